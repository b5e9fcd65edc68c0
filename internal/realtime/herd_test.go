package realtime_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
			var wg sync.WaitGroup
			chans := make([]<-chan *queue.TicketUpdate, watchers)
			errs := make([]error, watchers)
			for i := range watchers {
				wg.Go(func() { chans[i], errs[i] = r.live.TicketChanged(subCtx, h.tickets[i].ID) })
			}
			wg.Wait()
			for i, ch := range chans {
				require.NoError(t, errs[i])
				u := await(t, ch, func(*queue.TicketUpdate) bool { return true })
				require.Equal(t, i+1, *u.Position, "watcher %d", i)
			}
			// One statement per watcher finds its ticket's queue; the shared reads are a handful.
			require.LessOrEqual(t, r.reads.Load()-before, int64(watchers+15))
		})
	}
}
