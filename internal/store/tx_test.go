package store_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

// TestInTx checks that a transaction's writes commit or roll back together, and that entities written
// in it can still load their edges after it ends (a GraphQL mutation's result is resolved after commit).
func TestInTx(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := storetest.NewMigratedDB(t, d, migrations.FS)
			sys := auth.SystemContext(context.Background())

			var dept *ent.Department
			require.NoError(t, db.InTx(sys, func(ctx context.Context, tx *store.Tx) error {
				dept = testfactory.Department(ctx, t, tx.Client, nil) // and its facility, in the transaction
				return nil
			}))
			f, err := dept.QueryFacility().Only(sys)
			require.NoError(t, err, "an edge of a committed entity loads after commit")
			require.Equal(t, dept.FacilityID, f.ID)
			require.NoError(t, dept.Update().SetName("ED").Exec(sys), "and it can still be changed")

			boom := errors.New("boom")
			var gone *ent.Facility
			err = db.InTx(sys, func(ctx context.Context, tx *store.Tx) error {
				gone = testfactory.Facility(ctx, t, tx.Client, nil)
				return boom
			})
			require.ErrorIs(t, err, boom)
			_, err = db.Client().Facility.Get(sys, gone.ID)
			require.True(t, ent.IsNotFound(err), "the rolled-back row does not exist")
		})
	}
}

// TestInTxUnderHeldSQLiteLock holds SQLite's write lock from a second handle, as a stuck writer would:
// a transaction waiting for it gives up when its context ends (a request's deadline: UNAVAILABLE then,
// not after SQLite's 10 s busy_timeout, whose wait does not watch the context), or at its own until.
func TestInTxUnderHeldSQLiteLock(t *testing.T) {
	t.Parallel()
	db := storetest.NewMigratedDB(t, store.SQLite, migrations.FS)
	side, err := sql.Open("sqlite", db.Target+"?_txlock=immediate")
	require.NoError(t, err)
	t.Cleanup(func() { side.Close() })
	held, err := side.BeginTx(context.Background(), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = held.Rollback() })
	ran := func(context.Context, *store.Tx) error { t.Error("the transaction ran under a held lock"); return nil }

	t.Run("EndsWithItsContext", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := db.InTx(ctx, ran)
		t.Logf("gave up after %s", time.Since(start).Round(time.Millisecond))
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.True(t, store.IsUnavailable(err))
	})
	t.Run("EndsAtItsWait", func(t *testing.T) {
		err := db.InTxWaiting(context.Background(), time.Now().Add(200*time.Millisecond), ran)
		require.True(t, store.IsLockTimeout(err), "%v", err)
		require.NotErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("RunsOnceTheLockIsFree", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		go func() { time.Sleep(200 * time.Millisecond); _ = held.Rollback() }()
		require.NoError(t, db.InTx(ctx, func(context.Context, *store.Tx) error { return nil }))
	})
}
