// Package store owns CareQueue's connection to its database and the schema's lifecycle: opening the
// embedded SQLite file or a PostgreSQL pool with the settings the rest of the system relies on (foreign
// keys on, writers serialised at BEGIN, a pgx pool River can share), readiness pings, and applying the
// versioned Atlas migrations exactly once even when several replicas start together. It also holds the
// process's one ent client on that database (DB.Ent) and the transactions that ent and River share
// (DB.InTx): a service that writes in transactions takes a *DB and reads through its Ent, a service
// that only reads takes the *ent.Client alone.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"go.opentelemetry.io/otel/trace"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver (pure Go, no cgo)

	"github.com/carequeue/carequeue/ent"
)

// Dialect names the SQL database in use.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// PingTimeout bounds the connectivity check in Open.
const PingTimeout = 5 * time.Second

// DB is an open database. SQL is safe for concurrent use and is what ent and River run on.
type DB struct {
	SQL *sql.DB
	// Ent is the process's ent client on SQL, outside any transaction; InTx gives one bound to a
	// transaction. Open builds it, so every DB has it and there is no second client to wire.
	Ent     *ent.Client
	Dialect Dialect
	// Pool is the pgx pool behind SQL on PostgreSQL (nil on SQLite). River's LISTEN/NOTIFY needs it.
	Pool *pgxpool.Pool
	// Target describes where the database is, safe to log: "host:port/db" or the SQLite file path.
	Target string
	// probe answers Ready on a connection of its own (ready.go).
	probe *probe
	// tracer, when set (Trace), makes ent's statements spans.
	tracer trace.Tracer
}

// Open connects to databaseURL (postgres:// or postgresql://), or, when it is empty, to the SQLite file
// at sqlitePath (created if missing); sqlite:PATH, sqlite://PATH and file:PATH URLs also select SQLite.
// It pings within PingTimeout; errors start with "DATABASE_URL: " (or "SQLITE_PATH: ") and never
// contain a password. opts configure DB.Ent (tests count its statements with ent.Debug and ent.Log);
// production passes none.
func Open(ctx context.Context, databaseURL, sqlitePath string, opts ...ent.Option) (*DB, error) {
	db, err := open(ctx, databaseURL, sqlitePath)
	if err != nil {
		return nil, err
	}
	db.Ent = db.Client(opts...)
	return db, nil
}

func open(ctx context.Context, databaseURL, sqlitePath string) (*DB, error) {
	switch u := strings.TrimSpace(databaseURL); {
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		return openPostgres(ctx, u)
	case u == "":
		return openSQLite(ctx, "SQLITE_PATH", sqlitePath)
	case strings.HasPrefix(u, "sqlite:"), strings.HasPrefix(u, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "file:"), "//")
		return openSQLite(ctx, "DATABASE_URL", path)
	default:
		return nil, errors.New("DATABASE_URL: missing scheme (expected postgres://user@host:5432/db or sqlite path)")
	}
}

// Close releases every connection.
func (db *DB) Close() error {
	if db.probe != nil {
		db.probe.close()
	}
	err := db.SQL.Close()
	if db.Pool != nil {
		db.Pool.Close()
	}
	return err
}

// Ping runs a trivial query, for readiness checks; ctx should carry the probe's deadline.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.SQL.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("pinging %s database at %s: %w", db.Dialect, db.Target, err)
	}
	return nil
}

// pgTimeouts are the server-side limits every pooled connection starts with; the same parameter in
// DATABASE_URL (e.g. ?lock_timeout=2s) wins. They are the backstop behind each call's own deadline, for
// work that has none or loses it (a job, a statement PostgreSQL keeps running after the client left):
//   - statement_timeout: no statement runs longer than a request or a job may (REQUEST_TIMEOUT, 30 s jobs).
//   - lock_timeout: a row or table lock not granted in 5 s fails with SQLSTATE 55P03 (UNAVAILABLE) instead
//     of holding a pool connection while it waits; the queue lock uses a shorter one (queue.LockWait).
//   - idle_in_transaction_session_timeout: a transaction its client stopped talking to (a stuck
//     process, a crashed replica behind a proxy) gives its locks back after a minute.
//
// Migrations lift the first two on their own connection: an index build or a wait for another replica's
// migration lock may take longer.
var pgTimeouts = map[string]string{
	"statement_timeout":                   "30s",
	"lock_timeout":                        "5s",
	"idle_in_transaction_session_timeout": "60s",
}

// defaultPGConns replaces pgx's default (max(4, NumCPU)), too few for API, River workers and the
// migration lock on a two-core machine. A pool_max_conns parameter in the URL wins.
const defaultPGConns = 20

func openPostgres(ctx context.Context, rawURL string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: cannot parse PostgreSQL URL: %s", shortReason(err))
	}
	if u, err := url.Parse(rawURL); err == nil && !u.Query().Has("pool_max_conns") {
		cfg.MaxConns = defaultPGConns
	}
	for name, value := range pgTimeouts {
		if _, set := cfg.ConnConfig.RuntimeParams[name]; !set {
			cfg.ConnConfig.RuntimeParams[name] = value
		}
	}
	// River's batch inserts encoded without a text round trip (see pqarrays.go).
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		m := c.TypeMap()
		m.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{unwrapPQArrays}, m.TryWrapEncodePlanFuncs...)
		return nil
	}
	target := fmt.Sprintf("%s/%s", net.JoinHostPort(cfg.ConnConfig.Host, fmt.Sprint(cfg.ConnConfig.Port)), cfg.ConnConfig.Database)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: cannot reach PostgreSQL at %s: %s", target, shortReason(err))
	}
	pingCtx, cancel := context.WithTimeout(ctx, PingTimeout)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("DATABASE_URL: cannot reach PostgreSQL at %s: %s", target, shortReason(err))
	}
	return &DB{SQL: stdlib.OpenDBFromPool(pool), Dialect: Postgres, Pool: pool, Target: target,
		probe: newPostgresProbe(cfg.ConnConfig)}, nil
}

// shortReason turns a pgx connection error (which lists every address tried) into a few words.
func shortReason(err error) string {
	var pgErr *pgconn.PgError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &pgErr):
		return fmt.Sprintf("%s (SQLSTATE %s)", pgErr.Message, pgErr.Code)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer within %s", PingTimeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &dnsErr):
		return "host not found"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}

// sqliteDSN is the connection string for path. Pragmas run on every new connection:
//   - foreign_keys: SQLite ignores FOREIGN KEY constraints unless asked, per connection.
//   - journal_mode(WAL): readers do not block the writer, nor the writer readers.
//   - busy_timeout: a writer waits up to sqliteBusyTimeout for the lock instead of failing at once (or
//     until its context ends; InTxWaiting sets a shorter wait for one BEGIN).
//   - _txlock=immediate: BEGIN takes the write lock, so two transactions that read then write queue up
//     at BEGIN instead of deadlocking at their first write (SQLITE_BUSY that busy_timeout cannot fix).
//   - _timezone=UTC: the driver converts every time.Time it binds (a written value or a query's bound)
//     to UTC before formatting it as text, and reads times back in UTC. SQLite compares those texts as
//     text, so they order as instants only when they share one offset: without it a day bound built in
//     a facility's zone ("2026-12-05 00:00:00 +0100 CET") sorts after "2026-12-04 23:30:00 +0000 UTC",
//     an instant half an hour later. It applies to every statement on the connection (ent, raw SQL,
//     River), and converting also drops the monotonic clock reading time.Time.String would write.
func sqliteDSN(path string) string {
	return fmt.Sprintf("%s?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(%d)&_txlock=immediate&_timezone=UTC",
		path, sqliteBusyTimeout.Milliseconds())
}

// sqliteBusyTimeout is the request deadline's default: a writer without a deadline of its own (a job)
// gives up no later than a request would.
const sqliteBusyTimeout = 10 * time.Second

func openSQLite(ctx context.Context, varName, path string) (*DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") || path == ":memory:" {
		return nil, fmt.Errorf("%s: %q is not a SQLite file path", varName, path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("%s: cannot create the directory for %q: %w", varName, path, err)
	}
	db, err := sql.Open("sqlite", sqliteDSN(path))
	if err != nil {
		return nil, fmt.Errorf("%s: cannot open SQLite database %q: %w", varName, path, err)
	}
	// WAL lets readers run beside the one writer; more connections than cores only add lock waits.
	n := max(4, 2*runtime.NumCPU())
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n) // keep connections: each new one re-runs the pragmas
	pingCtx, cancel := context.WithTimeout(ctx, PingTimeout)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: cannot open SQLite database %q: %w", varName, path, err)
	}
	return &DB{SQL: db, Dialect: SQLite, Target: path, probe: newSQLiteProbe(sqliteDSN(path))}, nil
}
