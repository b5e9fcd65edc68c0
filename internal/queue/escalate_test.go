package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticketevent"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

func TestEscalateOverdue(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		ctx := context.Background()
		sys := auth.SystemContext(ctx)
		f.fifo = f.client.Queue.UpdateOne(f.fifo).SetMaxWaitMinutes(60).SaveX(sys)

		standard := f.checkIn(t, f.triage, "STANDARD")
		urgent := f.checkIn(t, f.triage, "URGENT")
		lab := f.checkIn(t, f.fifo, "STANDARD")
		called, err := f.svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID)
		require.NoError(t, err)
		require.Equal(t, urgent.ID, called.ID, "the urgent patient is at a service point, no longer waiting")
		drain(f)

		// escalate runs the job's work and returns how many it escalated and the events it published.
		escalate := func(t *testing.T) (int, []queue.Event) {
			t.Helper()
			n, err := f.svc.EscalateOverdue(ctx)
			require.NoError(t, err)
			return n, drain(f)
		}
		escalatedAt := func(id pulid.ID) *time.Time { return f.client.Ticket.GetX(sys, id).EscalatedAt }

		t.Run("NobodyBeforeTheirMaximum", func(t *testing.T) {
			f.clock.advance(59 * time.Minute)
			n, evs := escalate(t)
			require.Zero(t, n)
			require.Empty(t, evs, "no change, no event")
		})

		fifoVersion := f.version(t, f.fifo)
		t.Run("EscalatesPastTheQueuesOwnMaximum", func(t *testing.T) {
			f.clock.advance(2 * time.Minute) // 61 min: past the lab's 60, not the triage queue's 360
			n, evs := escalate(t)
			require.Equal(t, 1, n)
			require.NotNil(t, escalatedAt(lab.ID))
			require.Nil(t, escalatedAt(standard.ID))
			require.Len(t, evs, 1, "one event for the one queue that changed")
			require.Equal(t, f.fifo.ID, evs[0].QueueID)
			require.Equal(t, []pulid.ID{lab.ID}, evs[0].TicketIDs)
			require.Equal(t, int(fifoVersion)+1, evs[0].Version, "the queue's version moved once")
			ev := f.client.TicketEvent.Query().Where(ticketevent.TicketID(lab.ID), ticketevent.ActionEQ(queue.ActionEscalate)).OnlyX(sys)
			require.Equal(t, "WAITING", ev.FromStatus)
			require.Equal(t, "WAITING", ev.ToStatus)
			require.Empty(t, ev.ActorID, "the system did it")
		})

		t.Run("NeverTwice", func(t *testing.T) {
			first := escalatedAt(lab.ID)
			f.clock.advance(10 * time.Minute)
			n, evs := escalate(t)
			require.Zero(t, n)
			require.Empty(t, evs)
			require.Equal(t, first, escalatedAt(lab.ID))
			require.Equal(t, 1, f.client.TicketEvent.Query().Where(ticketevent.TicketID(lab.ID), ticketevent.ActionEQ(queue.ActionEscalate)).CountX(sys))
		})

		t.Run("SkipsTicketsNoLongerWaiting", func(t *testing.T) {
			f.clock.advance(6 * time.Hour) // everyone checked in is past the triage queue's 360 min now
			n, evs := escalate(t)
			require.Equal(t, 1, n, "the standard patient only")
			require.NotNil(t, escalatedAt(standard.ID))
			require.Nil(t, escalatedAt(urgent.ID), "called before the maximum: not waiting, not escalated")
			require.Len(t, evs, 1)
			require.Equal(t, f.triage.ID, evs[0].QueueID)
		})

		t.Run("ATransferKeepsTheVisitsClock", func(t *testing.T) {
			// Checked in to the triage queue, transferred to the lab 50 minutes later: the lab's 60 minutes
			// count from the first arrival, not from the transfer.
			first := f.checkIn(t, f.triage, "STANDARD")
			f.clock.advance(50 * time.Minute)
			moved, err := f.svc.TransferTicket(f.reception, queue.NoKey, first.ID, f.fifo.ID, nil)
			require.NoError(t, err)
			require.True(t, moved.ArrivedAt.Equal(first.ArrivedAt))
			drain(f)
			f.clock.advance(11 * time.Minute)
			n, evs := escalate(t)
			require.Equal(t, 1, n)
			require.NotNil(t, escalatedAt(moved.ID))
			require.Len(t, evs, 1)
			require.Equal(t, f.fifo.ID, evs[0].QueueID)
		})

		t.Run("ANewArrivalWaitsItsOwnMaximum", func(t *testing.T) {
			late := f.checkIn(t, f.triage, "NON_URGENT")
			f.clock.advance(359 * time.Minute)
			n, _ := escalate(t)
			require.Zero(t, n)
			f.clock.advance(2 * time.Minute)
			n, _ = escalate(t)
			require.Equal(t, 1, n)
			require.NotNil(t, escalatedAt(late.ID))
		})
	})
}

// drain returns the events published so far.
func drain(f *fixture) []queue.Event {
	var out []queue.Event
	for {
		select {
		case e := <-f.events.versions:
			out = append(out, e)
		default:
			return out
		}
	}
}
