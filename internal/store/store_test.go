package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

func TestOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("SQLiteEnforcesForeignKeysInWALMode", func(t *testing.T) {
		t.Parallel()
		db := storetest.NewDB(t, store.SQLite)
		var fk, busy int
		var mode string
		require.NoError(t, db.SQL.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
		require.NoError(t, db.SQL.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
		require.NoError(t, db.SQL.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy))
		require.Equal(t, 1, fk)
		require.Equal(t, "wal", mode)
		require.Equal(t, 10000, busy)
		_, err := db.SQL.ExecContext(ctx, `CREATE TABLE p (id integer PRIMARY KEY); CREATE TABLE c (p integer REFERENCES p (id))`)
		require.NoError(t, err)
		_, err = db.SQL.ExecContext(ctx, `INSERT INTO c (p) VALUES (42)`)
		require.ErrorContains(t, err, "FOREIGN KEY constraint failed")
	})

	t.Run("SQLiteSerialisesReadThenWriteTransactions", func(t *testing.T) {
		t.Parallel()
		// With deferred BEGIN, two transactions that both read and then write deadlock and one
		// fails with SQLITE_BUSY at once; with BEGIN IMMEDIATE they queue.
		db := storetest.NewDB(t, store.SQLite)
		_, err := db.SQL.ExecContext(ctx, `CREATE TABLE counter (n integer NOT NULL); INSERT INTO counter VALUES (0)`)
		require.NoError(t, err)
		const workers, rounds = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers*rounds)
		for range workers {
			wg.Go(func() {
				for range rounds {
					errs <- increment(ctx, db)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		var n int
		require.NoError(t, db.SQL.QueryRowContext(ctx, "SELECT n FROM counter").Scan(&n))
		require.Equal(t, workers*rounds, n)
	})

	t.Run("PostgresUnreachableNamesServerNotPassword", func(t *testing.T) {
		t.Parallel()
		_, err := store.Open(ctx, "postgres://cq:s3cretpw@127.0.0.1:1/cq", "")
		require.EqualError(t, err, "DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:1/cq: connection refused")
	})

	t.Run("PostgresMissingDatabaseSaysSo", func(t *testing.T) {
		t.Parallel()
		storetest.NewDB(t, store.Postgres) // skips when PostgreSQL is unreachable
		_, err := store.Open(ctx, "postgres://postgres@127.0.0.1:5432/cq_no_such_db?sslmode=disable", "")
		require.EqualError(t, err, `DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:5432/cq_no_such_db: database "cq_no_such_db" does not exist (SQLSTATE 3D000)`)
	})

	t.Run("RejectsUnknownScheme", func(t *testing.T) {
		t.Parallel()
		_, err := store.Open(ctx, "mysql://h/db", "")
		require.ErrorContains(t, err, "DATABASE_URL: missing scheme")
	})

	t.Run("SQLiteURLSelectsFile", func(t *testing.T) {
		t.Parallel()
		path := t.TempDir() + "/sub/dir/x.db"
		db, err := store.Open(ctx, "sqlite://"+path, "ignored.db")
		require.NoError(t, err)
		defer db.Close()
		require.Equal(t, store.SQLite, db.Dialect)
		require.Equal(t, path, db.Target)
		require.Nil(t, db.Pool)
	})

	for _, d := range storetest.Dialects(t) {
		t.Run(fmt.Sprintf("PingAnswers/%s", d), func(t *testing.T) {
			t.Parallel()
			db := storetest.NewDB(t, d)
			require.Equal(t, d, db.Dialect)
			require.NoError(t, db.Ping(ctx))
			require.Equal(t, d == store.Postgres, db.Pool != nil)
			require.NoError(t, db.Close())
			require.Error(t, db.Ping(ctx))
		})
	}
}

func increment(ctx context.Context, db *store.DB) error {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT n FROM counter").Scan(&n); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE counter SET n = ?", n+1); err != nil {
		return err
	}
	return tx.Commit()
}
