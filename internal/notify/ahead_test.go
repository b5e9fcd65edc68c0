package notify_test

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// outcomes counts QueueAheadWorker runs by outcome.
type outcomes struct {
	mu sync.Mutex
	n  map[notify.AheadOutcome]int
}

func (o *outcomes) observe(x notify.AheadOutcome) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.n[x]++
}

func (o *outcomes) get() map[notify.AheadOutcome]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return maps.Clone(o.n)
}

func TestQueueAheadCoalesces(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			const n = 25
			seen := &outcomes{n: map[notify.AheadOutcome]int{}}
			f := newIdleFixture(t, d, func(o *notify.Options) { o.OnAhead = seen.observe })
			f.client.Queue.UpdateOneID(f.queue.ID).SetNotifyAhead(3).ExecX(sys)

			// A burst of n check-ins queues n passes before any runs: one forward, one pass reads the line.
			var tks []*ent.Ticket
			for i := range n {
				tks = append(tks, f.checkIn(t, f.patient(t, fmt.Sprintf("+141555503%02d", i))))
			}
			f.start(t)
			f.settle(t)
			got := seen.get()
			require.Equal(t, 1, got[notify.AheadChecked]+got[notify.AheadEstimated], "passes over the line after %d check-ins: %v", n, got)
			require.Equal(t, 1, got[notify.AheadForwarded], "the oldest version forwards and drops the others before they run: %v", got)
			require.Zero(t, got[notify.AheadEstimated], "nobody was told a range 30 minutes ago: no estimate needed")
			for i, tk := range tks {
				require.Equal(t, i < 3, f.client.Ticket.GetX(sys, tk.ID).NotifiedAhead, "ticket %d", i+1)
				require.Empty(t, f.notifications(t, tk, notify.Ahead), "ticket %d: its check-in message gave its position", i+1)
			}

			// Every change is still seen: each call moves the next ticket up to third, told once.
			for i := range 4 {
				require.Equal(t, tks[i].ID, f.callNext(t).ID)
				f.settle(t)
				require.Len(t, f.notifications(t, tks[i+3], notify.Ahead), 1, "ticket %d moved up to third", i+4)
			}
			for i, tk := range tks {
				want := 0
				if i >= 3 && i < 7 {
					want = 1
				}
				require.Len(t, f.notifications(t, tk, notify.Ahead), want, "ahead messages of ticket %d", i+1)
			}
			after := seen.get()
			require.LessOrEqual(t, after[notify.AheadChecked]+after[notify.AheadEstimated], 1+4, "at most one pass per settled change: %v", after)
		})
	}

	// A change that enqueues no pass of its own (an escalation's version bump) is not lost: the older
	// job forwards to the current version, whose pass then runs.
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d)+"/VersionWithoutItsJob", func(t *testing.T) {
			t.Parallel()
			seen := &outcomes{n: map[notify.AheadOutcome]int{}}
			f := newFixture(t, d, func(o *notify.Options) { o.OnAhead = seen.observe })
			tks := []*ent.Ticket{f.checkIn(t, f.patient(t, "+14155550400")), f.checkIn(t, f.patient(t, "+14155550401")),
				f.checkIn(t, f.patient(t, "+14155550402"))}
			f.settle(t)
			before := seen.get()
			// Notify ahead turned on by two changes, the first with its job still queued (at v-1), the
			// second without one (as an escalation bumps the version).
			q := f.client.Queue.UpdateOneID(f.queue.ID).SetNotifyAhead(2).AddVersion(2).SaveX(sys)
			require.NoError(t, f.db.InTx(sys, func(ctx context.Context, tx *store.Tx) error {
				_, err := f.jobs.InsertTx(ctx, tx, notify.QueueAheadArgs{QueueID: string(q.ID), Version: int(q.Version) - 1}, nil)
				return err
			}))
			f.settle(t)
			got := seen.get()
			require.Equal(t, before[notify.AheadForwarded]+1, got[notify.AheadForwarded], "%v", got)
			require.Equal(t, before[notify.AheadChecked]+1, got[notify.AheadChecked], "%v", got)
			for i, tk := range tks {
				want := 0
				if i < 2 {
					want = 1
				}
				require.Len(t, f.notifications(t, tk, notify.Ahead), want, "ticket %d", i+1)
			}
		})
	}
}
