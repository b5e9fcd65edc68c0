package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

func TestIsUnavailable(t *testing.T) {
	t.Parallel()
	pg := func(code string) error { return fmt.Errorf("querying: %w", &pgconn.PgError{Code: code, Message: "x"}) }
	for _, c := range []struct {
		name        string
		err         error
		unavailable bool
		lock        bool
	}{
		{"Nil", nil, false, false},
		{"PlainBug", errors.New("sql: converting argument"), false, false},
		{"Cancelled", context.Canceled, false, false},
		{"Deadline", fmt.Errorf("reading: %w", context.DeadlineExceeded), true, false},
		{"LockTimeout", pg("55P03"), true, true},
		{"StatementTimeout", pg("57014"), true, false},
		{"Terminated", pg("57P01"), true, false},
		{"Starting", pg("57P03"), true, false},
		{"ConnectionLost", pg("08006"), true, false},
		{"TooManyConnections", pg("53300"), true, false},
		{"Deadlock", pg("40P01"), true, false},
		{"UniqueViolation", pg("23505"), false, false},
		{"SyntaxError", pg("42601"), false, false},
		{"Refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true, false},
		{"Reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true, false},
		{"EOF", fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), true, false},
		{"ConnDone", sql.ErrConnDone, true, false},
		{"ClosedPool", errors.New("closed pool"), true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, c.unavailable, store.IsUnavailable(c.err))
			require.Equal(t, c.lock, store.IsLockTimeout(c.err))
		})
	}
}

// A database that refuses connections (ALLOW_CONNECTIONS false) fails with a ConnectError around the
// server's FATAL, SQLSTATE 55000, which is not itself a transient state: the connect failure is.
func TestIsUnavailableRefusedConnection(t *testing.T) {
	t.Parallel()
	storetest.NewDB(t, store.Postgres) // skips without PostgreSQL
	u, err := url.Parse(os.Getenv("TEST_POSTGRES_URL"))
	require.NoError(t, err)
	u.Path = "/template0"
	_, err = pgconn.Connect(context.Background(), u.String())
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	require.Equal(t, "55000", pgErr.Code)
	require.True(t, store.IsUnavailable(err))
}

func TestPostgresTimeouts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	show := func(t *testing.T, q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}, name string) (v string) {
		require.NoError(t, q.QueryRowContext(ctx, "SHOW "+name).Scan(&v))
		return v
	}

	t.Run("EveryConnectionStartsWithThem", func(t *testing.T) {
		t.Parallel()
		db := storetest.NewDB(t, store.Postgres)
		require.Equal(t, "30s", show(t, db.SQL, "statement_timeout"))
		require.Equal(t, "5s", show(t, db.SQL, "lock_timeout"))
		require.Equal(t, "1min", show(t, db.SQL, "idle_in_transaction_session_timeout"))
	})

	t.Run("URLWins", func(t *testing.T) {
		t.Parallel()
		storetest.NewDB(t, store.Postgres)
		url, _ := storetest.NewURL(t, store.Postgres)
		db, err := store.Open(ctx, url+"&lock_timeout=250ms", "")
		require.NoError(t, err)
		defer db.Close()
		require.Equal(t, "250ms", show(t, db.SQL, "lock_timeout"))
		require.Equal(t, "30s", show(t, db.SQL, "statement_timeout"))
	})

	t.Run("HeldRowLockFailsAsLockTimeout", func(t *testing.T) {
		t.Parallel()
		db := storetest.NewDB(t, store.Postgres)
		_, err := db.SQL.ExecContext(ctx, "CREATE TABLE q (id int PRIMARY KEY); INSERT INTO q VALUES (1)")
		require.NoError(t, err)
		holder, err := db.SQL.BeginTx(ctx, nil)
		require.NoError(t, err)
		defer holder.Rollback()
		_, err = holder.ExecContext(ctx, "SELECT id FROM q WHERE id = 1 FOR UPDATE")
		require.NoError(t, err)
		start := time.Now()
		_, err = db.SQL.ExecContext(ctx, "UPDATE q SET id = 1 WHERE id = 1")
		require.True(t, store.IsLockTimeout(err), "%v", err)
		require.True(t, store.IsUnavailable(err))
		require.InDelta(t, 5, time.Since(start).Seconds(), 1.5)
	})

	t.Run("MigrationConnectionGoesBackWithThem", func(t *testing.T) {
		t.Parallel()
		db := storetest.NewDB(t, store.Postgres)
		db.SQL.SetMaxOpenConns(1) // the migration's connection is the one checked after
		_, err := store.Migrate(ctx, db, testDir(t, store.Postgres, nil, false))
		require.NoError(t, err)
		require.Equal(t, "30s", show(t, db.SQL, "statement_timeout"))
		require.Equal(t, "5s", show(t, db.SQL, "lock_timeout"))
	})
}

func TestReady(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, d := range storetest.Dialects(t) {
		t.Run(fmt.Sprintf("AnswersWhileThePoolIsFull/%s", d), func(t *testing.T) {
			t.Parallel()
			db := storetest.NewDB(t, d)
			// Every pooled connection is taken (by requests stuck behind a lock, say).
			db.SQL.SetMaxOpenConns(2)
			var conns []*sql.Conn
			for range 2 {
				c, err := db.SQL.Conn(ctx)
				require.NoError(t, err)
				conns = append(conns, c)
			}
			short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			defer cancel()
			require.Error(t, db.Ping(short), "the pool is full: Ping waits for it")
			probe, cancel2 := context.WithTimeout(ctx, time.Second)
			defer cancel2()
			// Both within the probe's one second: a probe that waited for the full pool would time out.
			require.NoError(t, db.Ready(probe))
			require.NoError(t, db.Ready(probe), "a second probe reuses the connection")
			for _, c := range conns {
				c.Close()
			}
			require.NoError(t, db.Close())
			require.Error(t, db.Ready(ctx), "a closed database is not ready")
		})
	}

	t.Run("ReconnectsAfterTheServerDropsIt", func(t *testing.T) {
		t.Parallel()
		db := storetest.NewDB(t, store.Postgres)
		require.NoError(t, db.Ready(ctx))
		// Every other backend of this database goes, the probe's included (a restart, a failover).
		_, err := db.SQL.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`)
		require.NoError(t, err)
		first := db.Ready(ctx)
		if first != nil {
			require.NotContains(t, first.Error(), "postgres@")
		}
		require.NoError(t, db.Ready(ctx), "the next probe connects afresh")
	})
}
