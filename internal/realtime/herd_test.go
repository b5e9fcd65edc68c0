package realtime_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/inmem"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// TestResubscribingHerdReadsTheLineOnce: many watchers of one queue subscribing at once, before the
// replica has read the queue (a restart, phones reconnecting), get their first states from the topic's
// first read: a query each to find their ticket's queue, and the queue's line read a few times, not
// once per watcher (each such read is every open ticket with its estimate).
func TestResubscribingHerdReadsTheLineOnce(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			const watchers = 60
			h := newHospital(t, d, watchers)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := newReplicaEvery(t, ctx, h.db, inmem.NewBroker(64), time.Hour)
			subCtx, stop := context.WithCancel(h.clinician)
			defer stop()

			before := r.reads.Load()
			firsts := subscribeAtOnce(t, watchers, func(i int) (<-chan *queue.TicketUpdate, error) {
				return r.live.TicketChanged(subCtx, h.tickets[i].ID)
			})
			for i, u := range firsts {
				require.Equal(t, i+1, *u.Position, "watcher %d", i)
			}
			// One statement per watcher finds its ticket's queue; the shared reads are a handful.
			require.LessOrEqual(t, r.reads.Load()-before, int64(watchers+15))
		})
	}
}

// TestWaitingRoomScreensReadTheBoardOnce: a department's screens reconnecting together (anyone may
// watch a board) get their first board from the topic's first read: one existence check each, not a
// board read each.
func TestWaitingRoomScreensReadTheBoardOnce(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			const screens = 60
			h := newHospital(t, d, 3)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := newReplicaEvery(t, ctx, h.db, inmem.NewBroker(64), time.Hour)
			anyone, stop := context.WithCancel(context.Background())
			defer stop()

			before := r.reads.Load()
			boards := subscribeAtOnce(t, screens, func(int) (<-chan *queue.Board, error) {
				return r.live.BoardChanged(anyone, h.q.DepartmentID)
			})
			for i, b := range boards {
				require.Equal(t, h.q.DepartmentID, b.DepartmentID, "screen %d", i)
			}
			require.LessOrEqual(t, r.reads.Load()-before, int64(screens+15))

			_, err := r.live.BoardChanged(anyone, "DPnosuchdepartment")
			require.Equal(t, "NOT_FOUND", string(cqerr.CodeOf(err)))
		})
	}
}

// subscribeAtOnce makes n subscriptions concurrently and returns the first value of each.
func subscribeAtOnce[T any](t *testing.T, n int, subscribe func(i int) (<-chan T, error)) []T {
	t.Helper()
	var wg sync.WaitGroup
	chans := make([]<-chan T, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { chans[i], errs[i] = subscribe(i) })
	}
	wg.Wait()
	firsts := make([]T, n)
	for i, ch := range chans {
		require.NoError(t, errs[i])
		firsts[i] = await(t, ch, func(T) bool { return true })
	}
	return firsts
}
