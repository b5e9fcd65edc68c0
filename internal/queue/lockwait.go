package queue

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// DefaultLockWait is how long a workflow waits for its queue before answering UNAVAILABLE. A workflow
// holds the lock for milliseconds, so two seconds is a queue that is stuck (a held lock, a dead
// transaction), not a busy one; failing then, with a retryable code, keeps the waiters from piling up.
const DefaultLockWait = 2 * time.Second

// waitersPerQueue is how many of this process's workflows may be at the database for one queue at once:
// the one holding its lock and the next, already waiting for it, so the lock passes on without a gap.
// The others wait here, without a connection, so one stuck queue takes at most this many of the pool's.
const waitersPerQueue = 2

// errQueueBusy is the answer when the queue's lock is not ours within the lock wait.
var errQueueBusy = cqerr.E(cqerr.Unavailable, "this queue is busy, try again in a moment")

// gateKeys are the gates a workflow on ids passes: one per queue on PostgreSQL, where each queue has its
// row lock; on SQLite the lock is the whole database's, so every queue shares one gate (the empty id).
func gateKeys(d store.Dialect, ids []pulid.ID) []pulid.ID {
	if d == store.SQLite {
		return []pulid.ID{""}
	}
	return ids
}

// gates are the per-queue semaphores of one Service.
type gates struct {
	mu sync.Mutex
	m  map[pulid.ID]*gate
}

type gate struct {
	slots chan struct{}
	users int // callers holding or waiting for a slot; the gate goes when none are left
}

// enter takes a slot of each queue in ids (sorted, so two workflows on the same pair cannot deadlock
// here) before until; leave gives them back.
func (g *gates) enter(ctx context.Context, ids []pulid.ID, until time.Time) (leave func(), err error) {
	if !slices.IsSorted(ids) {
		return nil, fmt.Errorf("gates: ids not sorted")
	}
	timer := time.NewTimer(time.Until(until))
	defer timer.Stop()
	var entered []pulid.ID
	var held []*gate
	leave = func() {
		for _, gt := range held {
			<-gt.slots
		}
		g.release(entered)
	}
	for _, id := range ids {
		gt := g.acquire(id)
		entered = append(entered, id)
		select {
		case gt.slots <- struct{}{}:
			held = append(held, gt)
		case <-timer.C:
			leave()
			return nil, errQueueBusy
		case <-ctx.Done():
			leave()
			return nil, ctx.Err()
		}
	}
	return leave, nil
}

// alone reports whether the caller, inside ids' gates, is this process's only workflow on each of them
// just now: no lock of ours to queue behind, so the queue rows are most likely free.
func (g *gates) alone(ids []pulid.ID) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, id := range ids {
		if gt := g.m[id]; gt == nil || len(gt.slots) > 1 {
			return false
		}
	}
	return true
}

func (g *gates) acquire(id pulid.ID) *gate {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m == nil {
		g.m = map[pulid.ID]*gate{}
	}
	gt := g.m[id]
	if gt == nil {
		gt = &gate{slots: make(chan struct{}, waitersPerQueue)}
		g.m[id] = gt
	}
	gt.users++
	return gt
}

// release drops a caller's interest in ids, each of which it acquired.
func (g *gates) release(ids []pulid.ID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, id := range ids {
		if gt := g.m[id]; gt != nil {
			if gt.users--; gt.users == 0 {
				delete(g.m, id)
			}
		}
	}
}

// limitLockWait makes the transaction's next lock waits (the queue rows) give up at until, on
// PostgreSQL; on SQLite the transaction began with the write lock (BEGIN IMMEDIATE), so there is
// nothing left to wait for.
func limitLockWait(ctx context.Context, tx *store.Tx, d store.Dialect, until time.Time) error {
	if d != store.Postgres {
		return nil
	}
	left := time.Until(until).Milliseconds()
	if left < 1 {
		return errQueueBusy
	}
	// SET LOCAL takes no parameters; set_config(…, true) is its parameterised form.
	if _, err := tx.SQL.ExecContext(ctx, "SELECT set_config('lock_timeout', $1, true)", fmt.Sprintf("%dms", left)); err != nil {
		return fmt.Errorf("limiting the lock wait: %w", err)
	}
	return nil
}

// restoreLockWait undoes limitLockWait for the rest of the transaction.
func restoreLockWait(ctx context.Context, tx *store.Tx, d store.Dialect) error {
	if d != store.Postgres {
		return nil
	}
	if _, err := tx.SQL.ExecContext(ctx, "SET LOCAL lock_timeout TO DEFAULT"); err != nil {
		return fmt.Errorf("restoring the lock wait: %w", err)
	}
	return nil
}
