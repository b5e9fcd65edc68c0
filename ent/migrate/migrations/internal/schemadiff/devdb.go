package schemadiff

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"

	"entgo.io/ent/dialect"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite" (pure Go)
)

// DefaultPostgresURL is the local development server (trust auth) that throwaway databases are made on.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Dialect names a migration directory ("postgres" or "sqlite") and the ent dialect it is written for.
type Dialect struct {
	Dir string
	Ent string
}

// Dialects are the databases CareQueue ships migrations for.
var Dialects = []Dialect{{Dir: "postgres", Ent: dialect.Postgres}, {Dir: "sqlite", Ent: dialect.SQLite}}

// OpenSQLiteDev opens an empty in-memory SQLite database with foreign keys on (ent's SQLite dialect
// refuses to work without them). One connection only: each new connection would be another database.
func OpenSQLiteDev() (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:dev?mode=memory&_pragma=foreign_keys(1)")
	if err != nil {
		return nil, fmt.Errorf("opening in-memory SQLite: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// CreatePostgres creates an empty database with a random name on the server at serverURL and opens it with
// search_path=public, so Atlas works schema-scoped and writes unqualified names. drop closes db and removes
// the database; call it even on failure paths.
func CreatePostgres(ctx context.Context, serverURL string) (*sql.DB, func() error, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return nil, nil, fmt.Errorf("parsing PostgreSQL server URL: %w", err)
	}
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return nil, nil, fmt.Errorf("opening PostgreSQL server %s: %w", redact(serverURL), err)
	}
	var suffix [6]byte
	_, _ = rand.Read(suffix[:]) // never fails (crypto/rand panics instead)
	name := "carequeue_migrate_" + hex.EncodeToString(suffix[:])
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return nil, nil, errors.Join(fmt.Errorf("creating dev database on %s: %w", redact(serverURL), err), admin.Close())
	}
	u.Path = "/" + name
	q := u.Query()
	q.Set("search_path", "public")
	u.RawQuery = q.Encode()
	db, err := sql.Open("pgx", u.String())
	if err == nil {
		err = db.PingContext(ctx)
	}
	drop := func() error {
		var errs []error
		if db != nil {
			errs = append(errs, db.Close())
		}
		// A fresh context: the dev database must go even when the caller's was cancelled.
		_, dropErr := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		errs = append(errs, dropErr, admin.Close())
		return errors.Join(errs...)
	}
	if err != nil {
		return nil, nil, errors.Join(fmt.Errorf("opening dev database %s: %w", name, err), drop())
	}
	return db, drop, nil
}

// redact hides a password in a server URL before it reaches an error message.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
