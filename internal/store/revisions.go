package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"ariga.io/atlas/sql/migrate"
)

// RevisionsTable records which migration files have been applied.
const RevisionsTable = "atlas_schema_revisions"

// querier is what revisions needs: a *sql.Tx while migrating, a *sql.Conn while preparing.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// revisions is Atlas's RevisionReadWriter on RevisionsTable. Every field has its own column (Type in
// particular does not survive Atlas's JSON form), so the table is readable by an operator too.
type revisions struct {
	q       querier
	dialect Dialect
	schema  string // PostgreSQL schema holding the table; Atlas's clean-database check needs it
}

var _ migrate.RevisionReadWriter = (*revisions)(nil)

const revisionColumns = "version, description, type, applied, total, executed_at, execution_time, error, error_stmt, hash, partial_hashes, operator_version"

func createRevisionsTable(ctx context.Context, q querier, d Dialect) error {
	timeType := "timestamptz"
	if d == SQLite {
		timeType = "datetime" // modernc reads DATETIME columns back as time.Time
	}
	_, err := q.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+RevisionsTable+` (
	version text PRIMARY KEY,
	description text NOT NULL,
	type integer NOT NULL,
	applied integer NOT NULL,
	total integer NOT NULL,
	executed_at `+timeType+` NOT NULL,
	execution_time bigint NOT NULL,
	error text NOT NULL,
	error_stmt text NOT NULL,
	hash text NOT NULL,
	partial_hashes text NOT NULL,
	operator_version text NOT NULL
)`)
	if err != nil {
		return fmt.Errorf("creating %s: %w", RevisionsTable, err)
	}
	return nil
}

func (r *revisions) Ident() *migrate.TableIdent {
	return &migrate.TableIdent{Name: RevisionsTable, Schema: r.schema}
}

func (r *revisions) ReadRevisions(ctx context.Context) ([]*migrate.Revision, error) {
	rows, err := r.q.QueryContext(ctx, "SELECT "+revisionColumns+" FROM "+RevisionsTable+" ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", RevisionsTable, err)
	}
	defer rows.Close()
	var revs []*migrate.Revision
	for rows.Next() {
		rev, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		revs = append(revs, rev)
	}
	return revs, rows.Err()
}

func (r *revisions) ReadRevision(ctx context.Context, version string) (*migrate.Revision, error) {
	rows, err := r.q.QueryContext(ctx, "SELECT "+revisionColumns+" FROM "+RevisionsTable+" WHERE version = "+r.ph(1), version)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", RevisionsTable, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, migrate.ErrRevisionNotExist
	}
	return scanRevision(rows)
}

func (r *revisions) WriteRevision(ctx context.Context, rev *migrate.Revision) error {
	partial, err := json.Marshal(rev.PartialHashes)
	if err != nil {
		return err
	}
	cols := strings.Split(revisionColumns, ", ")
	phs := make([]string, len(cols))
	sets := make([]string, 0, len(cols)-1)
	for i, c := range cols {
		phs[i] = r.ph(i + 1)
		if c != "version" {
			sets = append(sets, c+" = excluded."+c)
		}
	}
	_, err = r.q.ExecContext(ctx, "INSERT INTO "+RevisionsTable+" ("+revisionColumns+") VALUES ("+strings.Join(phs, ", ")+
		") ON CONFLICT (version) DO UPDATE SET "+strings.Join(sets, ", "),
		rev.Version, rev.Description, int64(rev.Type), rev.Applied, rev.Total, rev.ExecutedAt.UTC(),
		int64(rev.ExecutionTime), rev.Error, rev.ErrorStmt, rev.Hash, string(partial), rev.OperatorVersion)
	if err != nil {
		return fmt.Errorf("writing %s: %w", RevisionsTable, err)
	}
	return nil
}

func (r *revisions) DeleteRevision(ctx context.Context, version string) error {
	if _, err := r.q.ExecContext(ctx, "DELETE FROM "+RevisionsTable+" WHERE version = "+r.ph(1), version); err != nil {
		return fmt.Errorf("deleting from %s: %w", RevisionsTable, err)
	}
	return nil
}

// ph is the n-th bind placeholder in the dialect's syntax.
func (r *revisions) ph(n int) string {
	if r.dialect == Postgres {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

func scanRevision(rows *sql.Rows) (*migrate.Revision, error) {
	var (
		rev      migrate.Revision
		typ      int64
		execTime int64
		partial  string
	)
	err := rows.Scan(&rev.Version, &rev.Description, &typ, &rev.Applied, &rev.Total, &rev.ExecutedAt,
		&execTime, &rev.Error, &rev.ErrorStmt, &rev.Hash, &partial, &rev.OperatorVersion)
	if err != nil {
		return nil, fmt.Errorf("scanning %s: %w", RevisionsTable, err)
	}
	rev.Type = migrate.RevisionType(typ)
	rev.ExecutionTime = time.Duration(execTime)
	if err := json.Unmarshal([]byte(partial), &rev.PartialHashes); err != nil {
		return nil, errors.Join(fmt.Errorf("decoding partial_hashes of %s", rev.Version), err)
	}
	return &rev, nil
}
