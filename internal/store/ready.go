package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Ready reports whether the database answers, for the readiness probe; ctx carries the probe's deadline.
//
// Readiness means "this replica can reach a working database", so it is checked on a connection of its
// own, outside the pool: a pool that one locked queue has filled with waiting requests says nothing about
// the database, and every replica shares that queue, so failing the probe would only take them all out of
// the load balancer together. The probe never waits behind those requests, and never takes a connection
// a request could use. One probe runs at a time; another waits for it within its own deadline.
func (db *DB) Ready(ctx context.Context) error {
	if db.probe == nil {
		return db.Ping(ctx)
	}
	if err := db.probe.ping(ctx); err != nil {
		return fmt.Errorf("probing %s database at %s: %w", db.Dialect, db.Target, err)
	}
	return nil
}

// probe holds the readiness connection, opened on first use and reopened after a failure.
type probe struct {
	turn    chan struct{} // a one-slot semaphore: the holder may use conn
	connect func(ctx context.Context) (probeConn, error)
	conn    probeConn
}

type probeConn interface {
	ping(ctx context.Context) error
	close()
}

func newProbe(connect func(ctx context.Context) (probeConn, error)) *probe {
	return &probe{turn: make(chan struct{}, 1), connect: connect}
}

func (p *probe) ping(ctx context.Context) error {
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("waiting for the previous probe: %w", ctx.Err())
	}
	defer func() { <-p.turn }()
	if p.conn == nil {
		c, err := p.connect(ctx)
		if err != nil {
			return err
		}
		p.conn = c
	}
	if err := p.conn.ping(ctx); err != nil {
		// The next probe starts afresh: the database may have restarted under this connection.
		p.conn.close()
		p.conn = nil
		return err
	}
	return nil
}

func (p *probe) close() {
	p.turn <- struct{}{}
	defer func() { <-p.turn }()
	if p.conn != nil {
		p.conn.close()
		p.conn = nil
	}
	// A probe after Close fails rather than reconnecting behind the closed pool's back.
	p.connect = func(context.Context) (probeConn, error) { return nil, errClosed }
}

var errClosed = errors.New("database is closed")

// newPostgresProbe probes on one pgx connection with the pool's settings (and so its timeouts).
func newPostgresProbe(cfg *pgx.ConnConfig) *probe {
	return newProbe(func(ctx context.Context) (probeConn, error) {
		c, err := pgx.ConnectConfig(ctx, cfg.Copy())
		if err != nil {
			return nil, fmt.Errorf("connecting: %s", shortReason(err))
		}
		return pgProbe{c}, nil
	})
}

type pgProbe struct{ c *pgx.Conn }

func (p pgProbe) ping(ctx context.Context) error { return p.c.Ping(ctx) }
func (p pgProbe) close()                         { _ = p.c.Close(context.Background()) }

// newSQLiteProbe probes on a one-connection handle of its own on the same file, which WAL lets read
// while writers wait for (or hold) the write lock.
func newSQLiteProbe(dsn string) *probe {
	return newProbe(func(ctx context.Context) (probeConn, error) {
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(1)
		return sqliteProbe{db}, nil
	})
}

type sqliteProbe struct{ db *sql.DB }

// ping reads the schema, so it touches the file (SELECT 1 alone would not).
func (p sqliteProbe) ping(ctx context.Context) error {
	var n int
	return p.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n)
}
func (p sqliteProbe) close() { _ = p.db.Close() }
