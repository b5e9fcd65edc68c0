package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrBackupPostgres says PostgreSQL is backed up with its own tools: pg_dump takes a consistent
// snapshot of a live database and pg_restore (or a managed provider's point-in-time recovery) puts it
// back, which nothing in this binary would do better.
var ErrBackupPostgres = errors.New("PostgreSQL is backed up with pg_dump: pg_dump --format=custom --file=carequeue.dump \"$DATABASE_URL\" (README: Backups and restore)")

// BackupSQLite writes a consistent copy of the live SQLite database to path with VACUUM INTO: it
// reads one snapshot while the server goes on serving (WAL readers do not block writers), and the copy
// is a complete database file, WAL folded in, that SQLITE_PATH can point at. path must not exist.
func (db *DB) BackupSQLite(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return ErrBackupPostgres
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	switch _, err := os.Stat(abs); {
	case err == nil:
		return fmt.Errorf("%s already exists: a backup never overwrites a file", abs)
	case !errors.Is(err, os.ErrNotExist):
		return err
	}
	if _, err := db.SQL.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		_ = os.Remove(abs) // a partial copy is not a backup
		return fmt.Errorf("backing up to %s: %w", abs, err)
	}
	return nil
}
