// Package storetest gives each test its own empty or freshly migrated database, on SQLite and on the
// PostgreSQL server named by TEST_POSTGRES_URL, so tests run in parallel against real SQL without
// sharing state. Migrated databases are copied from a template built once per migration directory
// content, which keeps the per-test cost to a file copy (SQLite) or a CREATE DATABASE (PostgreSQL).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/carequeue/carequeue/internal/store"
)

// DefaultPostgresURL is used when TEST_POSTGRES_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Dialects returns the dialects tests should run against: CAREQUEUE_TEST_DIALECTS (e.g.
// "sqlite,postgres") when set; otherwise both when PostgreSQL answers, SQLite alone when it does not
// (and on CI, where PostgreSQL is expected, both, so that an unreachable server fails the run).
func Dialects(t testing.TB) []store.Dialect {
	t.Helper()
	if v := os.Getenv("CAREQUEUE_TEST_DIALECTS"); v != "" {
		var out []store.Dialect
		for _, s := range strings.Split(v, ",") {
			switch d := store.Dialect(strings.TrimSpace(s)); d {
			case store.SQLite, store.Postgres:
				out = append(out, d)
			case "":
			default:
				t.Fatalf("CAREQUEUE_TEST_DIALECTS: unknown dialect %q (want sqlite, postgres)", d)
			}
		}
		return out
	}
	if postgresReachable() == nil || onCI() {
		return []store.Dialect{store.SQLite, store.Postgres}
	}
	return []store.Dialect{store.SQLite}
}

// NewDB returns an empty database of dialect d, closed and deleted when the test ends.
func NewDB(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	switch d {
	case store.SQLite:
		return openSQLite(t, filepath.Join(t.TempDir(), "test.db"))
	case store.Postgres:
		return newPostgres(t, "")
	default:
		t.Fatalf("storetest: unknown dialect %q", d)
		return nil
	}
}

func onCI() bool { return os.Getenv("CI") == "true" }

func adminURL() string {
	if v := os.Getenv("TEST_POSTGRES_URL"); v != "" {
		return v
	}
	return DefaultPostgresURL
}

var reachable = sync.OnceValue(func() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL())
	if err != nil {
		return err
	}
	return conn.Close(ctx)
})

func postgresReachable() error { return reachable() }

// requirePostgres skips the test when PostgreSQL is unreachable, or fails it on CI.
func requirePostgres(t testing.TB) {
	t.Helper()
	if err := postgresReachable(); err != nil {
		msg := fmt.Sprintf("PostgreSQL at %s is unreachable: %v", redacted(adminURL()), err)
		if onCI() {
			t.Fatal(msg)
		}
		t.Skip(msg + " (set CI=true to fail instead)")
	}
}

// admin runs statements on the server's maintenance database, one short-lived connection per call so
// that no pool (and no background goroutine) outlives a test.
func admin(ctx context.Context, stmts ...string) error {
	conn, err := pgx.Connect(ctx, adminURL())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// newPostgres creates cq_t_<random>, copied from template when it is not empty, and opens it.
func newPostgres(t testing.TB, template string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), databaseURLFor(createPostgres(t, template)), "")
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// createPostgres creates cq_t_<random>, copied from template when it is not empty, dropped when the
// test ends, and returns its name.
func createPostgres(t testing.TB, template string) string {
	t.Helper()
	requirePostgres(t)
	ctx := context.Background()
	name := "cq_t_" + randomHex(6)
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if err := admin(ctx, create); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() {
		if err := admin(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("storetest: %v", err)
		}
	})
	return name
}

// databaseURL is TEST_POSTGRES_URL pointed at database name.
func databaseURLFor(name string) string {
	u, err := url.Parse(adminURL())
	if err != nil {
		panic(fmt.Sprintf("TEST_POSTGRES_URL: %v", err))
	}
	u.Path = "/" + name
	return u.String()
}

func openSQLite(t testing.TB, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), "", path)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func redacted(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "TEST_POSTGRES_URL"
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewURL creates an empty database of dialect d for a test that opens it itself (an end-to-end test of
// the binary) and returns the DATABASE_URL and SQLITE_PATH to reach it; one of them is empty.
func NewURL(t testing.TB, d store.Dialect) (databaseURL, sqlitePath string) {
	t.Helper()
	switch d {
	case store.SQLite:
		return "", filepath.Join(t.TempDir(), "e2e.db")
	case store.Postgres:
		return databaseURLFor(createPostgres(t, "")), ""
	}
	t.Fatalf("storetest: unknown dialect %q", d)
	return "", ""
}
