package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/carequeue/carequeue/internal/store"
)

// backupCmd copies the embedded SQLite database while the server runs. PostgreSQL has pg_dump, which
// the command names instead of wrapping it (its connection string would show in the process list).
func backupCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: carequeue backup --to FILE\n  SQLite: write a consistent copy of the live database to FILE (it must not exist); PostgreSQL: use pg_dump")
		fs.PrintDefaults()
	}
	to := fs.String("to", "", "the backup file to write (must not exist)")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("backup takes no arguments but --to FILE (got %q)", fs.Arg(0))
	}
	if *to == "" {
		return fmt.Errorf("backup needs --to FILE")
	}
	// Any command creates the embedded SQLite file on first use; a backup must not back up a new,
	// empty database because SQLITE_PATH was mistyped.
	if cfg, _, err := loadConfig(getenv, io.Discard); err == nil && cfg.DatabaseURL == "" {
		if _, err := os.Stat(cfg.SQLitePath); err != nil {
			return fmt.Errorf("no SQLite database at %s to back up (SQLITE_PATH)", cfg.SQLitePath)
		}
	}
	return withDB(ctx, getenv, stdout, stderr, false, func(db *store.DB) error {
		if err := db.BackupSQLite(ctx, *to); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backup written to %s: restore by stopping CareQueue and pointing SQLITE_PATH at it (or copying it over the database file)\n", *to)
		return nil
	})
}
