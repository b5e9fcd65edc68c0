package queue_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// holdQueueLock takes q's lock from a connection of its own, as a stuck transaction elsewhere would (on
// PostgreSQL the queue row, on SQLite the database's write lock), until the returned func is called.
func holdQueueLock(t *testing.T, f *fixture, d store.Dialect, queueID string) (release func()) {
	t.Helper()
	ctx := context.Background()
	var tx *sql.Tx
	var err error
	if d == store.Postgres {
		tx, err = f.db.SQL.BeginTx(ctx, nil)
		require.NoError(t, err)
		_, err = tx.ExecContext(ctx, "SELECT id FROM queues WHERE id = $1 FOR UPDATE", queueID)
	} else {
		// A second handle on the file: SQLite's lock is per database, whoever holds it.
		var side *sql.DB
		side, err = sql.Open("sqlite", f.db.Target+"?_txlock=immediate")
		require.NoError(t, err)
		t.Cleanup(func() { side.Close() })
		tx, err = side.BeginTx(ctx, nil)
	}
	require.NoError(t, err)
	var once sync.Once
	release = func() { once.Do(func() { _ = tx.Rollback() }) }
	t.Cleanup(release)
	return release
}

func TestHeldQueueLockAnswersUnavailableFast(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		const wait = 300 * time.Millisecond
		svc := queue.NewService(f.db, queue.Options{Publisher: f.events, Now: f.clock.now, LockWait: wait})
		f.checkIn(t, f.triage, "URGENT")
		release := holdQueueLock(t, f, d, string(f.triage.ID))

		// A hostile or unlucky burst: many callers on the stuck queue at once.
		const callers = 25
		ctx, cancel := context.WithTimeout(f.clinician, 20*time.Second)
		defer cancel()
		type result struct {
			err  error
			took time.Duration
		}
		results := make(chan result, callers)
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				start := time.Now()
				_, err := svc.CallNext(ctx, queue.NoKey, f.triage.ID, f.room1.ID)
				results <- result{err, time.Since(start)}
			})
		}
		wg.Wait()
		close(results)
		for r := range results {
			require.Equal(t, cqerr.Unavailable, cqerr.CodeOf(r.err), "%v", r.err)
			require.Equal(t, "this queue is busy, try again in a moment", cqerr.MessageOf(r.err))
			if d == store.Postgres {
				// The lock wait, plus scheduling on a loaded 2-core machine; not the 10 s of a request.
				require.Less(t, r.took, wait+2*time.Second)
			}
		}
		// Nothing happened: the version did not move, the ticket still waits.
		release()
		tk, err := svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID)
		require.NoError(t, err)
		require.NotNil(t, tk)
	})
}

func TestHeldQueueLockLeavesOtherQueuesAndThePool(t *testing.T) {
	t.Parallel()
	f := newFixture(t, store.Postgres)
	svc := queue.NewService(f.db, queue.Options{Publisher: f.events, Now: f.clock.now, LockWait: 3 * time.Second})
	f.checkIn(t, f.fifo, "STANDARD")
	holdQueueLock(t, f, store.Postgres, string(f.triage.ID))

	var wg sync.WaitGroup
	defer wg.Wait()
	for range 25 {
		wg.Go(func() { _, _ = svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID) })
	}
	// Two connections wait for the stuck queue's lock, never more: the other 23 callers wait in the gate
	// without one, and the pool keeps its room for everything else.
	waiting := func() (n int) {
		require.NoError(t, f.db.SQL.QueryRowContext(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n))
		return n
	}
	require.Eventually(t, func() bool { return waiting() == 2 }, 2*time.Second, 10*time.Millisecond)
	for range 10 {
		require.LessOrEqual(t, waiting(), 2)
		time.Sleep(50 * time.Millisecond)
	}
	start := time.Now()
	tk, err := svc.CallNext(f.clinician, queue.NoKey, f.fifo.ID, f.room2.ID)
	require.NoError(t, err)
	require.NotNil(t, tk)
	// Behind the stuck lock the call would take the whole 3 s lock wait; the margin is for a loaded machine.
	require.Less(t, time.Since(start), 2*time.Second, "another queue waited behind the stuck one")
	n, err := f.client.Ticket.Query().Count(auth.SystemContext(context.Background()))
	require.NoError(t, err)
	require.Positive(t, n)
}

// TestQueueTakenElsewhereIsWaitedFor: a workflow alone in this process takes its queue's row without
// waiting; when the row is held elsewhere after all (another replica, a job), the transaction starts
// again and waits its turn within the lock wait: the call succeeds once the row is free, and the
// version moves by one, the first try having left nothing behind.
func TestQueueTakenElsewhereIsWaitedFor(t *testing.T) {
	t.Parallel()
	f := newFixture(t, store.Postgres)
	svc := queue.NewService(f.db, queue.Options{Publisher: f.events, Now: f.clock.now, LockWait: 5 * time.Second})
	f.checkIn(t, f.triage, "URGENT")
	before, err := f.client.Queue.Get(auth.SystemContext(context.Background()), f.triage.ID)
	require.NoError(t, err)
	release := holdQueueLock(t, f, store.Postgres, string(f.triage.ID))
	const held = 300 * time.Millisecond
	time.AfterFunc(held, release)
	start := time.Now()
	tk, err := svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID)
	require.NoError(t, err)
	require.NotNil(t, tk)
	require.GreaterOrEqual(t, time.Since(start), held, "it waited for the row")
	after, err := f.client.Queue.Get(auth.SystemContext(context.Background()), f.triage.ID)
	require.NoError(t, err)
	require.Equal(t, before.Version+1, after.Version)
}
