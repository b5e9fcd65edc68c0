package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"ariga.io/atlas/sql/migrate"
	atlaspg "ariga.io/atlas/sql/postgres"
	atlassqlite "ariga.io/atlas/sql/sqlite"
)

// migrationLockKey is the pg_advisory_lock key held while migrating ("cqmigrat" in ASCII).
const migrationLockKey int64 = 0x63716d6967726174

// DirFS reads a migration directory (the *.sql files and atlas.sum at the root of fsys, typically an
// embed.FS narrowed with fs.Sub) into a migrate.Dir. atlas.sum is kept as is, so edits are detected.
func DirFS(fsys fs.FS) (migrate.Dir, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("reading migration directory: %w", err)
	}
	dir := &migrate.MemDir{}
	for _, e := range entries {
		if e.IsDir() || (path.Ext(e.Name()) != ".sql" && e.Name() != migrate.HashFileName) {
			continue
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("reading migration %s: %w", e.Name(), err)
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, err
		}
	}
	return dir, nil
}

// MigrationsFor picks the dialect's directory ("postgres" or "sqlite") under root and reads it with DirFS.
func MigrationsFor(root fs.FS, d Dialect) (migrate.Dir, error) {
	sub, err := fs.Sub(root, string(d))
	if err != nil {
		return nil, err
	}
	return DirFS(sub)
}

// Migrate applies dir's pending migration files in order and returns the names of those it applied
// (none when the database is up to date). Each file runs in its own transaction, so a failing file
// leaves no trace and can be fixed and retried. On PostgreSQL a session advisory lock makes replicas
// that start together take turns; the later ones find nothing to do. It refuses to run when atlas.sum
// does not match the files, when an applied file was changed, or, on the first run, when the database
// already holds tables (so run it before River's own migrations on a new database).
func Migrate(ctx context.Context, db *DB, dir migrate.Dir) ([]string, error) {
	if err := migrate.Validate(dir); err != nil {
		return nil, describeDirError(err)
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrating: %w", err)
	}
	defer conn.Close()
	if db.Dialect == Postgres {
		// A migration may build an index for minutes, and another replica's migration may hold the lock
		// for as long: the pool's statement and lock timeouts (pgTimeouts) are lifted on this connection.
		for _, set := range []string{"SET statement_timeout = 0", "SET lock_timeout = 0"} {
			if _, err := conn.ExecContext(ctx, set); err != nil {
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
				return nil, fmt.Errorf("migrating: %w", err)
			}
		}
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			return nil, fmt.Errorf("migrating: waiting for the migration lock: %w", err)
		}
		defer func() {
			// The session lock must go even when ctx is done, or this pooled connection keeps it (and
			// the lifted timeouts): a connection that cannot be put back in order is discarded.
			bg := context.WithoutCancel(ctx)
			if _, err := conn.ExecContext(bg, "SELECT pg_advisory_unlock($1)", migrationLockKey); err != nil {
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
				return
			}
			if _, err := conn.ExecContext(bg, "RESET statement_timeout; RESET lock_timeout"); err != nil {
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
	}
	rrw := &revisions{q: conn, dialect: db.Dialect}
	if db.Dialect == Postgres {
		if err := conn.QueryRowContext(ctx, "SELECT current_schema()").Scan(&rrw.schema); err != nil {
			return nil, fmt.Errorf("migrating: %w", err)
		}
	}
	if err := createRevisionsTable(ctx, conn, db.Dialect); err != nil {
		return nil, fmt.Errorf("migrating: %w", err)
	}
	if err := checkAppliedUnchanged(ctx, rrw, dir); err != nil {
		return nil, err
	}
	var applied []string
	for {
		name, err := applyNext(ctx, conn, db.Dialect, rrw.schema, dir)
		if errors.Is(err, migrate.ErrNoPendingFiles) {
			return applied, nil
		}
		if err != nil {
			return applied, err
		}
		applied = append(applied, name)
	}
}

// applyNext applies the first pending file inside one transaction and returns its name.
func applyNext(ctx context.Context, conn *sql.Conn, d Dialect, schema string, dir migrate.Dir) (string, error) {
	var fkWasOn bool
	if d == SQLite {
		// Atlas rebuilds SQLite tables to alter them; with foreign keys on, dropping the old table
		// would cascade to (or be refused by) child rows. The pragma is a no-op inside a transaction,
		// so it is switched off around it, and foreign_key_check stands in before commit.
		if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fkWasOn); err != nil {
			return "", fmt.Errorf("migrating: %w", err)
		}
		if fkWasOn {
			if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = off"); err != nil {
				return "", fmt.Errorf("migrating: %w", err)
			}
			defer func() {
				if _, err := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = on"); err != nil {
					_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // never pool a connection without FKs
				}
			}()
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("migrating: %w", err)
	}
	defer tx.Rollback() // a no-op after Commit
	var drv migrate.Driver
	if d == Postgres {
		drv, err = atlaspg.Open(tx)
	} else {
		drv, err = atlassqlite.Open(tx)
	}
	if err != nil {
		return "", fmt.Errorf("migrating: %w", err)
	}
	rrw := &revisions{q: tx, dialect: d, schema: schema}
	ex, err := migrate.NewExecutor(drv, dir, rrw)
	if err != nil {
		return "", fmt.Errorf("migrating: %w", err)
	}
	pending, err := ex.Pending(ctx)
	if err != nil {
		if errors.Is(err, migrate.ErrNoPendingFiles) {
			return "", err
		}
		return "", describeDirError(err)
	}
	file := pending[0]
	if err := ex.Execute(ctx, file); err != nil {
		return "", fmt.Errorf("migration %s failed, nothing of it was kept: %w", file.Name(), err)
	}
	if d == SQLite && fkWasOn {
		if err := checkForeignKeys(ctx, tx); err != nil {
			return "", fmt.Errorf("migration %s failed, nothing of it was kept: %w", file.Name(), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("migration %s: commit: %w", file.Name(), err)
	}
	return file.Name(), nil
}

func checkForeignKeys(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table string
		var rowid sql.NullInt64
		var parent string
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return err
		}
		return fmt.Errorf("it leaves rows of %s pointing at missing rows of %s", table, parent)
	}
	return rows.Err()
}

// checkAppliedUnchanged refuses a directory in which a file already applied to this database has
// since been edited (atlas.sum recomputed to match): the database would silently differ from the files.
func checkAppliedUnchanged(ctx context.Context, rrw *revisions, dir migrate.Dir) error {
	revs, err := rrw.ReadRevisions(ctx)
	if err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	sums, err := dir.Checksum()
	if err != nil {
		return describeDirError(err)
	}
	files, err := dir.Files()
	if err != nil {
		return describeDirError(err)
	}
	byVersion := make(map[string]migrate.File, len(files))
	for _, f := range files {
		byVersion[f.Version()] = f
	}
	for _, r := range revs {
		f, ok := byVersion[r.Version]
		if !ok || r.Hash == "" || r.Applied != r.Total {
			continue
		}
		if h, err := sums.SumByName(f.Name()); err == nil && h != r.Hash {
			return fmt.Errorf("migration %s was changed after it was applied to this database: restore the applied version and put the change in a new migration file", f.Name())
		}
	}
	return nil
}

// describeDirError turns Atlas's terse directory errors into a sentence an operator can act on.
func describeDirError(err error) error {
	var cerr *migrate.ChecksumError
	var nonLinear *migrate.HistoryNonLinearError
	switch {
	case errors.As(err, &cerr):
		return fmt.Errorf("migration directory: checksum mismatch: %s was %s since atlas.sum was written; "+
			"revert it, or regenerate atlas.sum if the change is intended: %w", cerr.File, cerr.Reason, err)
	case errors.Is(err, migrate.ErrChecksumNotFound):
		return fmt.Errorf("migration directory: atlas.sum is missing: %w", err)
	case errors.As(err, &nonLinear):
		return fmt.Errorf("migration directory: %w", err)
	case errors.As(err, new(*migrate.NotCleanError)):
		return fmt.Errorf("database is not empty and has no migration history (apply migrations before anything else creates tables): %w", err)
	}
	return fmt.Errorf("migrating: %w", err)
}

// Pending returns the names of dir's migration files not yet fully applied to db, in order: all of them
// on a new database. It changes nothing, so a server can refuse to start on an unmigrated database
// before it says it is running.
func Pending(ctx context.Context, db *DB, dir migrate.Dir) ([]string, error) {
	files, err := dir.Files()
	if err != nil {
		return nil, describeDirError(err)
	}
	exists := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + RevisionsTable + "'"
	if db.Dialect == Postgres {
		exists = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = '" + RevisionsTable + "'"
	}
	var n int
	if err := db.SQL.QueryRowContext(ctx, exists).Scan(&n); err != nil {
		return nil, fmt.Errorf("reading the migration state: %w", err)
	}
	done := map[string]bool{}
	if n > 0 {
		revs, err := (&revisions{q: db.SQL, dialect: db.Dialect}).ReadRevisions(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range revs {
			done[r.Version] = r.Applied == r.Total
		}
	}
	var pending []string
	for _, f := range files {
		if !done[f.Version()] {
			pending = append(pending, f.Name())
		}
	}
	return pending, nil
}
