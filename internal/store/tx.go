package store

import (
	"context"
	"database/sql"
	"fmt"

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

// Client returns an ent client on the whole database (outside any transaction).
func (db *DB) Client(opts ...ent.Option) *ent.Client {
	drv := entsql.OpenDB(db.Dialect.EntDialect(), db.SQL)
	return ent.NewClient(append([]ent.Option{ent.Driver(drv)}, opts...)...)
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
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context, tx *Tx) error, opts ...ent.Option) (err error) {
	sqlTx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	drv := txDriver{entsql.NewDriver(db.Dialect.EntDialect(), entsql.Conn{ExecQuerier: sqlTx})}
	tx := &Tx{Client: ent.NewClient(append([]ent.Option{ent.Driver(drv)}, opts...)...), SQL: sqlTx}
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
	for _, f := range tx.onCommit {
		f()
	}
	return nil
}

// txDriver is an ent driver on an open transaction. ent opens transactions of its own for some writes
// (an update that reads back its row); inside ours those become no-ops, as in ent's own Tx client.
type txDriver struct{ *entsql.Driver }

func (d txDriver) Tx(context.Context) (dialect.Tx, error) { return dialect.NopTx(d), nil }

func (d txDriver) BeginTx(context.Context, *sql.TxOptions) (dialect.Tx, error) {
	return dialect.NopTx(d), nil
}
