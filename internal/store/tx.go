package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/carequeue/carequeue/ent"
	// Registers the schema hooks and privacy policies: a client without them would bypass authorization.
	_ "github.com/carequeue/carequeue/ent/runtime"
)

// EntDialect is ent's name for d.
func (d Dialect) EntDialect() string {
	if d == Postgres {
		return dialect.Postgres
	}
	return dialect.SQLite
}

// Client returns a new ent client on the whole database (outside any transaction), apart from db.Ent:
// for a test that observes the statements of its own client (ent.Debug, ent.Log). Everything else
// uses db.Ent.
func (db *DB) Client(opts ...ent.Option) *ent.Client {
	drv := entsql.OpenDB(db.Dialect.EntDialect(), db.SQL)
	return ent.NewClient(append([]ent.Option{ent.Driver(db.traced(drv))}, opts...)...)
}

// Tx is one database transaction shared by ent and anything else that needs the raw *sql.Tx (River's
// InsertTx): a workflow's writes, its audit entry, its version bump and its jobs commit or roll back
// together.
type Tx struct {
	// Client is an ent client bound to the transaction.
	Client *ent.Client
	// SQL is the transaction itself.
	SQL      *sql.Tx
	onCommit []func()
}

// OnCommit registers f to run after a successful commit, in order; events are published here, so
// nobody hears of a change that was rolled back.
func (tx *Tx) OnCommit(f func()) { tx.onCommit = append(tx.onCommit, f) }

// InTx runs fn in one transaction: committed when fn returns nil, rolled back otherwise (and on panic).
// On SQLite the transaction begins IMMEDIATE (see Open), so concurrent writers queue up at BEGIN.
// tx.Client is a plain client: it does not take db.Ent's options.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	return db.InTxWaiting(ctx, time.Time{}, fn)
}

// InTxWaiting is InTx whose wait for SQLite's write lock at BEGIN ends at until (zero: busy_timeout) with
// SQLITE_BUSY (IsLockTimeout). On PostgreSQL it is InTx: a transaction meets its locks later, row by row,
// and the caller limits those with lock_timeout.
func (db *DB) InTxWaiting(ctx context.Context, until time.Time, fn func(ctx context.Context, tx *Tx) error) (err error) {
	sqlTx, done, err := db.begin(ctx, until)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	defer done()
	drv := txDriver{
		tx:   entsql.NewDriver(db.Dialect.EntDialect(), entsql.Conn{ExecQuerier: sqlTx}),
		base: entsql.OpenDB(db.Dialect.EntDialect(), db.SQL),
		done: new(atomic.Bool),
	}
	// Entities written in the transaction outlive it (a mutation's result whose edges GraphQL loads
	// after commit): from then on their queries go to the database, outside any transaction.
	defer drv.done.Store(true)
	tx := &Tx{Client: ent.NewClient(ent.Driver(db.traced(drv))), SQL: sqlTx}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	if err := fn(ctx, tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("committing transaction: %w", err)
	}
	drv.done.Store(true)
	for _, f := range tx.onCommit {
		f()
	}
	return nil
}

// txDriver is an ent driver on an open transaction until it ends, then on the database. ent opens
// transactions of its own for some writes (an update that reads back its row); inside ours those
// become no-ops, as in ent's own Tx client.
type txDriver struct {
	tx, base *entsql.Driver
	done     *atomic.Bool
}

func (d txDriver) current() *entsql.Driver {
	if d.done.Load() {
		return d.base
	}
	return d.tx
}

func (d txDriver) Exec(ctx context.Context, query string, args, v any) error {
	return d.current().Exec(ctx, query, args, v)
}

func (d txDriver) Query(ctx context.Context, query string, args, v any) error {
	return d.current().Query(ctx, query, args, v)
}

// ExecContext and QueryContext serve the generated client's raw-SQL helpers (the execquery feature).
func (d txDriver) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.current().ExecContext(ctx, query, args...)
}

func (d txDriver) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.current().QueryContext(ctx, query, args...)
}

func (d txDriver) Dialect() string { return d.tx.Dialect() }

// Close leaves the database open: it belongs to DB.
func (d txDriver) Close() error { return nil }

func (d txDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	if d.done.Load() {
		return d.base.Tx(ctx)
	}
	return dialect.NopTx(d), nil
}

func (d txDriver) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	if d.done.Load() {
		return d.base.BeginTx(ctx, opts)
	}
	return dialect.NopTx(d), nil
}

// begin starts a transaction; done gives back its connection once it has ended.
func (db *DB) begin(ctx context.Context, until time.Time) (tx *sql.Tx, done func(), err error) {
	if db.Dialect != SQLite || until.IsZero() {
		tx, err := db.SQL.BeginTx(ctx, nil)
		return tx, func() {}, err
	}
	// busy_timeout is per connection: this BEGIN's own, on a connection held for the transaction.
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	setBusy := func(ms int64) error {
		_, err := conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA busy_timeout = %d", ms))
		return err
	}
	if err := setBusy(max(time.Until(until).Milliseconds(), 1)); err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	tx, err = conn.BeginTx(ctx, nil)
	if rerr := setBusy(sqliteBusyTimeout.Milliseconds()); rerr != nil {
		if err == nil {
			_ = tx.Rollback()
			err = rerr
		}
		// A connection left with the short wait would hand it to the next caller: discard it.
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	if err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	return tx, func() { _ = conn.Close() }, nil
}
