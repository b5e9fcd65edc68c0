package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/carequeue/carequeue/internal/store"
)

// NewMigratedDB returns a database of dialect d with every migration applied, closed and deleted when
// the test ends. migrations holds one directory per dialect, named "postgres" and "sqlite" (the layout
// of ent/migrate/migrations). The migrated template is built once per directory content and reused by
// later tests, test binaries and runs: a changed file gives a new template.
func NewMigratedDB(t testing.TB, d store.Dialect, migrations fs.FS) *store.DB {
	t.Helper()
	switch tmpl := migratedTemplate(t, d, migrations, nil); d {
	case store.SQLite:
		return openSQLite(t, copyTemplate(t, tmpl))
	default:
		return newPostgres(t, tmpl)
	}
}

// Then is set-up a template carries after the migrations: River's job tables, say. Name is part of the
// template's key. A template older than what Apply does now is still a correct start, as long as the
// code under test migrates forward from it (as the server's --migrate does).
type Then struct {
	Name  string
	Apply func(context.Context, *store.DB) error
}

// NewMigratedURL is NewURL with every migration applied, then then (when not nil), copied from a
// template as NewMigratedDB's are: for a test that opens the database itself. Migrating a fresh SQLite
// file for every server under -race was a seventh of the end-to-end tests' CPU.
func NewMigratedURL(t testing.TB, d store.Dialect, migrations fs.FS, then *Then) (databaseURL, sqlitePath string) {
	t.Helper()
	switch tmpl := migratedTemplate(t, d, migrations, then); d {
	case store.SQLite:
		return "", copyTemplate(t, tmpl)
	default:
		return databaseURLFor(createPostgres(t, tmpl)), ""
	}
}

// migratedTemplate returns the template of d's migrations and then: a file path (SQLite) or a
// database name (PostgreSQL), built on first use.
func migratedTemplate(t testing.TB, d store.Dialect, migrations fs.FS, then *Then) string {
	t.Helper()
	dir, err := store.MigrationsFor(migrations, d)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	sum, err := dir.Checksum()
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	seed := string(d) + "\n" + sum.Sum()
	if then != nil {
		seed += "\n" + then.Name
	}
	h := sha256.Sum256([]byte(seed))
	key := hex.EncodeToString(h[:8])
	apply := func(ctx context.Context, db *store.DB) error {
		if _, err := store.Migrate(ctx, db, dir); err != nil {
			return err
		}
		if then != nil {
			return then.Apply(ctx, db)
		}
		return nil
	}
	var tmpl string
	switch d {
	case store.SQLite:
		tmpl, err = templateOnce(key, func() (string, error) { return sqliteTemplate(key, apply) })
	case store.Postgres:
		requirePostgres(t)
		tmpl, err = templateOnce(key, func() (string, error) { return postgresTemplate(key, apply) })
	default:
		t.Fatalf("storetest: unknown dialect %q", d)
	}
	if err != nil {
		t.Fatalf("storetest: building the %s template: %v", d, err)
	}
	return tmpl
}

// copyTemplate copies a SQLite template into the test's temporary directory.
func copyTemplate(t testing.TB, tmpl string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	if err := copyFile(tmpl, path); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	return path
}

var templates sync.Map // key → func() (string, error), memoised

func templateOnce(key string, build func() (string, error)) (string, error) {
	f, _ := templates.LoadOrStore(key, sync.OnceValues(build))
	return f.(func() (string, error))()
}

// postgresTemplate makes (or finds) database cq_tmpl_<key>. IS_TEMPLATE marks a finished build; the
// advisory lock keeps test binaries running in parallel from building it twice.
func postgresTemplate(key string, apply func(context.Context, *store.DB) error) (string, error) {
	ctx := context.Background()
	name := "cq_tmpl_" + key
	conn, err := pgx.Connect(ctx, adminURL())
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext('carequeue storetest template'))"); err != nil {
		return "", err
	}
	defer conn.Exec(ctx, "SELECT pg_advisory_unlock(hashtext('carequeue storetest template'))") //nolint:errcheck // the connection closes next

	var done bool
	err = conn.QueryRow(ctx, "SELECT datistemplate FROM pg_database WHERE datname = $1", name).Scan(&done)
	switch {
	case err == nil && done:
		return name, nil
	case err != nil && !errors.Is(err, pgx.ErrNoRows):
		return "", err
	}
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	db, err := store.Open(ctx, databaseURLFor(name), "")
	if err != nil {
		return "", err
	}
	err = apply(ctx, db)
	db.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+name+" IS_TEMPLATE true"); err != nil {
		return "", err
	}
	return name, nil
}

// sqliteTemplate makes (or finds) a migrated database file in the system temporary directory. It is
// built under a unique name and renamed into place, so parallel test binaries never see half a file.
func sqliteTemplate(key string, apply func(context.Context, *store.DB) error) (string, error) {
	base := filepath.Join(os.TempDir(), "carequeue-storetest")
	final := filepath.Join(base, "tmpl-"+key+".db")
	if _, err := os.Stat(final); err == nil {
		return final, nil
	}
	build := filepath.Join(base, "build-"+randomHex(6))
	if err := os.MkdirAll(build, 0o750); err != nil {
		return "", err
	}
	defer os.RemoveAll(build)
	path := filepath.Join(build, "tmpl.db")
	ctx := context.Background()
	db, err := store.Open(ctx, "", path)
	if err != nil {
		return "", err
	}
	err = apply(ctx, db)
	if err == nil {
		// Move everything out of the write-ahead log so the one file is the whole database.
		_, err = db.SQL.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	if err := os.Rename(path, final); err != nil {
		return "", err
	}
	return final, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copying %s: %w", src, err)
	}
	return out.Close()
}
