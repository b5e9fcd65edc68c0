package migrations_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ariga.io/atlas/sql/migrate"
	atlaspg "ariga.io/atlas/sql/postgres"
	atlassqlite "ariga.io/atlas/sql/sqlite"
	"entgo.io/ent/dialect/sql/schema"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/ent/migrate/migrations/internal/schemadiff"
)

// dialectCase bundles what differs between the two databases the migrations are shipped for.
type dialectCase struct {
	d    schemadiff.Dialect
	fsys fs.FS
	open func(t *testing.T) *sql.DB // an empty database, removed after the test
	// driver wraps db for Atlas's executor.
	driver func(db *sql.DB) (migrate.Driver, error)
	// rejected lists statements the audit triggers must refuse.
	rejected []string
}

func cases() []dialectCase {
	return []dialectCase{
		{
			d: schemadiff.Dialects[0], fsys: migrations.Postgres, open: openPostgres,
			driver:   func(db *sql.DB) (migrate.Driver, error) { return atlaspg.Open(db) },
			rejected: []string{"UPDATE audit_entries SET action = 'forged'", "DELETE FROM audit_entries", "TRUNCATE audit_entries"},
		},
		{
			d: schemadiff.Dialects[1], fsys: migrations.SQLite, open: openSQLite,
			driver:   func(db *sql.DB) (migrate.Driver, error) { return atlassqlite.Open(db) },
			rejected: []string{"UPDATE audit_entries SET action = 'forged'", "DELETE FROM audit_entries"},
		},
	}
}

func TestMigrations(t *testing.T) {
	t.Parallel()
	for _, tc := range cases() {
		t.Run(tc.d.Dir, func(t *testing.T) {
			t.Parallel()
			t.Run("AppliesEveryFileToEmptyDatabase", func(t *testing.T) {
				t.Parallel()
				db := tc.open(t)
				revs := apply(t, tc, db)
				files, err := memDir(t, tc.fsys).Files()
				require.NoError(t, err)
				require.Len(t, revs, len(files))
				for _, r := range revs {
					require.Equal(t, r.Total, r.Applied, "revision %s", r.Version)
					require.Empty(t, r.Error, "revision %s", r.Version)
				}
			})
			t.Run("AppliedSchemaMatchesEnt", func(t *testing.T) {
				t.Parallel()
				db := tc.open(t)
				apply(t, tc, db)
				require.Empty(t, pendingDiff(t, tc, db, schema.ModeInspect))
			})
			t.Run("DirectoryMatchesEnt", func(t *testing.T) {
				t.Parallel()
				// What `go run ./gen` does: replay the files on an empty dev database and diff.
				require.Empty(t, pendingDiff(t, tc, tc.open(t), schema.ModeReplay),
					"the ent schema changed without a migration: run go generate ./ent/migrate/migrations")
			})
			t.Run("DetectsMissingUniqueIndex", func(t *testing.T) {
				t.Parallel()
				db := tc.open(t)
				apply(t, tc, db)
				exec(t, db, "DROP INDEX ticket_queue_id_service_day_seq")
				stmts := pendingDiff(t, tc, db, schema.ModeInspect)
				require.Contains(t, stmts, "CREATE UNIQUE INDEX")
				require.Contains(t, stmts, "ticket_queue_id_service_day_seq")
			})
			t.Run("IgnoresRiverTables", func(t *testing.T) {
				t.Parallel()
				db := tc.open(t)
				apply(t, tc, db)
				exec(t, db, "CREATE TABLE river_job (id bigint PRIMARY KEY, kind text NOT NULL)")
				require.Empty(t, pendingDiff(t, tc, db, schema.ModeInspect))
			})
			t.Run("CarriesIdempotencyKeysOver", func(t *testing.T) {
				t.Parallel()
				db := tc.open(t)
				// Stop before the hand-written copy, where the two old key columns still exist.
				revs := &memRevisions{}
				applyUpTo(t, tc, db, revs, "20261202190638")
				for _, stmt := range append(hospitalRows(),
					ticketRow("TK01", "WAITING", "WALK_IN", "'checkin-key'", "NULL"),
					ticketRow("TK02", "WAITING", "TRANSFER", "NULL", "NULL"),
					eventRow("TE01", "CHECK_IN", "TK01", "'US1'", "NULL"),
					eventRow("TE02", "CALL", "TK01", "'US2'", "'call-key'"),
					eventRow("TE03", "CHECK_IN", "TK02", "'US2'", "'move-key'"),
				) {
					exec(t, db, stmt)
				}
				applyUpTo(t, tc, db, revs, "")
				rows, err := db.QueryContext(ctx(t), "SELECT id, actor_id, key, action, target_id, request_hash, ticket_id FROM idempotency_keys ORDER BY key")
				require.NoError(t, err)
				defer rows.Close()
				var got []string
				for rows.Next() {
					var id, actor, key, action, target, hash, ticketID string
					require.NoError(t, rows.Scan(&id, &actor, &key, &action, &target, &hash, &ticketID))
					require.Len(t, id, 4, "IK plus the source row's suffix")
					got = append(got, strings.Join([]string{actor, key, action, target, hash, ticketID}, "|"))
				}
				require.NoError(t, rows.Err())
				require.Equal(t, []string{
					"US2|call-key|CALL|||TK01",
					"US1|checkin-key|CHECK_IN|||TK01",
					"US2|move-key|TRANSFER|||TK02",
				}, got, "each old key, with its actor and action; a transfer's key was on its new ticket's check-in")
			})
			t.Run("CarriesArrivalOver", func(t *testing.T) {
				t.Parallel()
				db := tc.open(t)
				// Stop before arrived_at exists; TK01 → TK02 → TK03 is one visit transferred twice.
				revs := &memRevisions{}
				applyUpTo(t, tc, db, revs, "20261202202910")
				at := func(hour int) string {
					if tc.d.Dir == "postgres" {
						return fmt.Sprintf("'2026-12-01 %02d:00:00+00'", hour)
					}
					return fmt.Sprintf("'2026-12-01 %02d:00:00'", hour)
				}
				for _, stmt := range append(hospitalRows(),
					ticketRow("TK01", "TRANSFERRED", "WALK_IN", "NULL", "NULL"),
					ticketRow("TK02", "TRANSFERRED", "TRANSFER", "NULL", "'TK01'"),
					ticketRow("TK03", "WAITING", "TRANSFER", "NULL", "'TK02'"),
					ticketRow("TK04", "WAITING", "KIOSK", "NULL", "NULL"),
					"UPDATE tickets SET checked_in_at = "+at(8)+", target_at = "+at(10)+" WHERE id = 'TK01'",
					"UPDATE tickets SET checked_in_at = "+at(9)+", target_at = "+at(11)+" WHERE id = 'TK02'",
					"UPDATE tickets SET checked_in_at = "+at(12)+", target_at = "+at(14)+" WHERE id = 'TK03'",
					"UPDATE tickets SET checked_in_at = "+at(13)+", target_at = "+at(15)+" WHERE id = 'TK04'",
				) {
					exec(t, db, stmt)
				}
				applyUpTo(t, tc, db, revs, "")
				rows, err := db.QueryContext(ctx(t), `SELECT t.id,
					(SELECT r.id FROM tickets r WHERE r.checked_in_at = t.arrived_at),
					(SELECT r.id FROM tickets r WHERE r.target_at = t.target_at), t.awaiting_triage
					FROM tickets t ORDER BY t.id`)
				require.NoError(t, err)
				defer rows.Close()
				var got []string
				for rows.Next() {
					var id, arrivedWith, targetOf string
					var awaiting bool
					require.NoError(t, rows.Scan(&id, &arrivedWith, &targetOf, &awaiting))
					require.False(t, awaiting, id)
					got = append(got, id+" arrived with "+arrivedWith+", deadline of "+targetOf)
				}
				require.NoError(t, rows.Err())
				require.Equal(t, []string{
					"TK01 arrived with TK01, deadline of TK01",
					"TK02 arrived with TK01, deadline of TK02",
					"TK03 arrived with TK01, deadline of TK03",
					"TK04 arrived with TK04, deadline of TK04",
				}, got, "a transferred chain keeps its first check-in; deadlines already promised stay")
				var level string
				var keeps bool
				require.NoError(t, db.QueryRowContext(ctx(t), "SELECT self_check_in_level, transfer_keeps_arrival FROM queues WHERE id = 'QU1'").Scan(&level, &keeps))
				require.Equal(t, "STANDARD", level)
				require.True(t, keeps)
			})
			t.Run("AuditEntriesAreAppendOnly", func(t *testing.T) {
				t.Parallel()
				db := tc.open(t)
				apply(t, tc, db)
				exec(t, db, "INSERT INTO audit_entries (id, at, action, entity_type) VALUES ('a1', CURRENT_TIMESTAMP, 'ticket.call', 'Ticket')")
				for _, stmt := range tc.rejected {
					_, err := db.ExecContext(ctx(t), stmt)
					require.ErrorContains(t, err, "audit entries are append-only", stmt)
				}
				var n int
				require.NoError(t, db.QueryRowContext(ctx(t), "SELECT count(*) FROM audit_entries WHERE action = 'ticket.call'").Scan(&n))
				require.Equal(t, 1, n)
			})
		})
	}
}

// apply runs every file of the dialect's directory with Atlas's executor and returns the revisions.
func apply(t *testing.T, tc dialectCase, db *sql.DB) []*migrate.Revision {
	t.Helper()
	rrw := &memRevisions{}
	applyUpTo(t, tc, db, rrw, "")
	revs, err := rrw.ReadRevisions(ctx(t))
	require.NoError(t, err)
	return revs
}

// applyUpTo runs the dialect's pending files up to and including the one whose version is last (all of
// them when last is ""), recording revisions in revs.
func applyUpTo(t *testing.T, tc dialectCase, db *sql.DB, revs *memRevisions, last string) {
	t.Helper()
	n := 0
	if last != "" {
		files, err := memDir(t, tc.fsys).Files()
		require.NoError(t, err)
		n = slices.IndexFunc(files, func(f migrate.File) bool { return f.Version() == last }) + 1
		require.Positive(t, n, "no migration %s", last)
	}
	drv, err := tc.driver(db)
	require.NoError(t, err)
	ex, err := migrate.NewExecutor(drv, memDir(t, tc.fsys), revs)
	require.NoError(t, err)
	require.NoError(t, ex.ExecuteN(ctx(t), n))
}

// hospitalRows insert the facility, department, queue (QU1) and patient (PA1) that ticketRow's rows
// belong to, as the tables were before issue 11.
func hospitalRows() []string {
	return []string{
		"INSERT INTO facilities (id, created_at, updated_at, name, timezone, active) VALUES ('FA1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'General', 'UTC', true)",
		"INSERT INTO departments (id, created_at, updated_at, name, active, facility_id) VALUES ('DE1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'ED', true, 'FA1')",
		"INSERT INTO queues (id, created_at, updated_at, name, prefix, ordering, active, version, notify_ahead, default_service_minutes, target_immediate_minutes, target_very_urgent_minutes, target_urgent_minutes, target_standard_minutes, target_non_urgent_minutes, department_id) VALUES ('QU1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Triage', 'E', 'TRIAGE', true, 1, 3, 10, 0, 10, 60, 120, 240, 'DE1')",
		"INSERT INTO patients (id, created_at, updated_at, given_name, family_name, language, sms_opt_in, facility_id) VALUES ('PA1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Ada', 'Lovelace', 'en', false, 'FA1')",
	}
}

func ticketRow(id, status, source, key, previous string) string {
	return "INSERT INTO tickets (id, created_at, updated_at, code, service_day, seq, status, triage_level, source, checked_in_at, target_at, recall_count, status_token, notified_ahead, patient_id, queue_id, idempotency_key, previous_id) VALUES ('" +
		id + "', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '" + id + "', '2026-12-01', " + id[2:] + ", '" + status + "', 'STANDARD', '" + source +
		"', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, 'token-" + id + "', false, 'PA1', 'QU1', " + key + ", " + previous + ")"
}

func eventRow(id, action, ticketID, actor, key string) string {
	return "INSERT INTO ticket_events (id, action, to_status, triage_level, at, actor_id, queue_id, ticket_id, idempotency_key) VALUES ('" +
		id + "', '" + action + "', 'WAITING', 'STANDARD', CURRENT_TIMESTAMP, " + actor + ", 'QU1', '" + ticketID + "', " + key + ")"
}

// pendingDiff returns the SQL the generator would write for db (empty when the schema matches).
func pendingDiff(t *testing.T, tc dialectCase, db *sql.DB, mode schema.Mode) string {
	t.Helper()
	dir := memDir(t, tc.fsys)
	before, err := dir.Files()
	require.NoError(t, err)
	wrote, err := schemadiff.Diff(ctx(t), db, tc.d.Ent, dir, "drift", mode)
	require.NoError(t, err)
	if !wrote {
		return ""
	}
	after, err := dir.Files()
	require.NoError(t, err)
	var b strings.Builder
	for _, f := range after[len(before):] {
		b.Write(f.Bytes())
	}
	return b.String()
}

// memDir copies an embedded directory into memory, so diffs never write to the source tree.
func memDir(t *testing.T, fsys fs.FS) *migrate.MemDir {
	t.Helper()
	entries, err := fs.ReadDir(fsys, ".")
	require.NoError(t, err)
	dir := &migrate.MemDir{}
	for _, e := range entries {
		b, err := fs.ReadFile(fsys, e.Name())
		require.NoError(t, err)
		require.NoError(t, dir.WriteFile(e.Name(), b))
	}
	return dir
}

func openSQLite(t *testing.T) *sql.DB {
	t.Helper()
	db, err := schemadiff.OpenSQLiteDev()
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	return db
}

// openPostgres creates a throwaway database; without a server the test skips, except in CI.
func openPostgres(t *testing.T) *sql.DB {
	t.Helper()
	server := os.Getenv("MIGRATE_DEV_POSTGRES_URL")
	if server == "" {
		server = schemadiff.DefaultPostgresURL
	}
	db, drop, err := schemadiff.CreatePostgres(ctx(t), server)
	if err != nil && os.Getenv("CI") != "true" {
		t.Skipf("PostgreSQL not reachable (set CI=true to fail instead): %v", err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, drop()) })
	return db
}

func exec(t *testing.T, db *sql.DB, stmt string) {
	t.Helper()
	_, err := db.ExecContext(ctx(t), stmt)
	require.NoError(t, err)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// memRevisions keeps the executor's revision history in memory; the store persists it for real.
type memRevisions struct {
	mu   sync.Mutex
	revs []*migrate.Revision
}

func (*memRevisions) Ident() *migrate.TableIdent { return nil }

func (m *memRevisions) ReadRevisions(context.Context) ([]*migrate.Revision, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]*migrate.Revision(nil), m.revs...), nil
}

func (m *memRevisions) ReadRevision(_ context.Context, v string) (*migrate.Revision, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.revs {
		if r.Version == v {
			return r, nil
		}
	}
	return nil, migrate.ErrRevisionNotExist
}

func (m *memRevisions) WriteRevision(_ context.Context, r *migrate.Revision) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, have := range m.revs {
		if have.Version == r.Version {
			m.revs[i] = r
			return nil
		}
	}
	m.revs = append(m.revs, r)
	return nil
}

func (m *memRevisions) DeleteRevision(_ context.Context, v string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, r := range m.revs {
		if r.Version == v {
			m.revs = append(m.revs[:i], m.revs[i+1:]...)
			return nil
		}
	}
	return nil
}
