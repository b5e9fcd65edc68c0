package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/servicepoint"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// serveNext calls the next ticket in the TRIAGE queue to Room 1, starts it and completes it after took.
func serveNext(t *testing.T, f *fixture, took time.Duration) {
	t.Helper()
	tk, err := f.svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID)
	require.NoError(t, err)
	require.NotNil(t, tk)
	_, err = f.svc.StartService(f.clinician, queue.NoKey, tk.ID)
	require.NoError(t, err)
	f.clock.advance(took)
	_, err = f.svc.CompleteTicket(f.clinician, queue.NoKey, tk.ID, nil)
	require.NoError(t, err)
}

// The read side gathers the estimator's inputs from the database: positions and estimates for every
// waiting ticket, the range once the queue has three real services, and the same answer whether a
// ticket is read alone or in its queue's state.
func TestEstimatesFromTheDatabase(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		ctx := context.Background()
		sys := auth.SystemContext(ctx)
		serve := func(t *testing.T, took time.Duration) { t.Helper(); serveNext(t, f, took) }
		place := func(t *testing.T, tk *ent.Ticket) queue.Place {
			t.Helper()
			p, err := f.svc.TicketPlace(ctx, tk)
			require.NoError(t, err)
			return p
		}

		var line []*ent.Ticket
		for range 4 {
			line = append(line, f.checkIn(t, f.triage, "STANDARD"))
		}

		t.Run("NotEnoughDataYetWithoutServices", func(t *testing.T) {
			p := place(t, line[3])
			require.Equal(t, 4, *p.Position)
			require.NotNil(t, p.EstimatedWaitMinutes, "the configured service time still gives a number")
			require.Positive(t, *p.EstimatedWaitMinutes)
			require.Nil(t, p.EstimatedWait, "no range: not enough data yet")
			require.Equal(t, queue.BasisNotEnoughData, p.Wait.Basis)
		})

		t.Run("ClicksDoNotCountAsServices", func(t *testing.T) {
			serve(t, 10*time.Second)
			serve(t, 20*time.Second)
			serve(t, 5*time.Second)
			p := place(t, line[3])
			require.Equal(t, 1, *p.Position)
			require.Nil(t, p.EstimatedWait, "three sub-minute clicks are no history")
		})

		t.Run("ARangeOnceTheQueueHasServices", func(t *testing.T) {
			for range 3 {
				f.checkIn(t, f.triage, "STANDARD")
			}
			serve(t, 12*time.Minute)
			serve(t, 9*time.Minute)
			serve(t, 15*time.Minute)
			for range 5 {
				line = append(line, f.checkIn(t, f.triage, "STANDARD"))
			}
			last := line[len(line)-1]
			p := place(t, last)
			require.NotNil(t, p.EstimatedWait)
			require.Equal(t, queue.BasisHistory, p.Wait.Basis)
			require.LessOrEqual(t, p.EstimatedWait.LowMinutes, *p.EstimatedWaitMinutes)
			require.LessOrEqual(t, *p.EstimatedWaitMinutes, p.EstimatedWait.HighMinutes)
			// Five ahead and two free rooms (the hospital's and Room 1), services of 9 to 15 minutes:
			// the two rooms work through four of them first, about 25 minutes.
			require.Equal(t, 6, *p.Position)
			require.InDelta(t, 25, *p.EstimatedWaitMinutes, 10)

			st, err := f.svc.ReadState(ctx, f.triage.ID, nil, nil, nil)
			require.NoError(t, err)
			require.Equal(t, p, st.Snapshot.Place(last.ID), "a ticket read alone and in its queue's state agree")
			u, ok := st.TicketUpdate(last.ID)
			require.True(t, ok)
			require.Equal(t, p.EstimatedWait, u.EstimatedWait)
			ps, ok := st.PublicStatus(last.ID)
			require.True(t, ok)
			require.Equal(t, p.EstimatedWait, ps.EstimatedWait)
		})

		t.Run("NoOpenRoomNoRange", func(t *testing.T) {
			rooms := f.client.ServicePoint.Query().Where(servicepoint.HasQueuesWith(entqueue.ID(f.triage.ID))).IDsX(sys)
			require.Len(t, rooms, 2)
			f.client.ServicePoint.Update().Where(servicepoint.IDIn(rooms...)).SetOpen(false).ExecX(sys)
			defer f.client.ServicePoint.Update().Where(servicepoint.IDIn(rooms...)).SetOpen(true).ExecX(sys)
			p := place(t, line[len(line)-1])
			require.Nil(t, p.EstimatedWait)
			require.Equal(t, queue.BasisNoOpenPoint, p.Wait.Basis)
		})

		t.Run("CalledTicketsHaveNoPlace", func(t *testing.T) {
			tk, err := f.svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID)
			require.NoError(t, err)
			require.Equal(t, queue.Place{}, place(t, tk))
		})
	})
}

// Demand reads a queue's history for a replay: check-ins by hour of the facility's day, the level mix,
// service times and open points.
func TestDemand(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		for _, l := range []string{"URGENT", "STANDARD", "STANDARD", "VERY_URGENT"} {
			f.checkIn(t, f.triage, l)
		}
		for _, took := range []time.Duration{12 * time.Minute, 30 * time.Second, 9 * time.Minute} {
			serveNext(t, f, took)
		}

		dm, err := f.svc.Demand(f.admin, f.triage.ID, 7)
		require.NoError(t, err)
		require.Equal(t, "Triage", dm.QueueName)
		require.Equal(t, queue.PolicyTriage, dm.Policy)
		require.Equal(t, 4, dm.Arrivals())
		require.Equal(t, [5]float64{0, 1, 1, 2, 0}, dm.Mix)
		require.InDelta(t, 7, dm.Days, 0.01)
		require.InDelta(t, 4.0/7, dm.PerHour[9], 1e-9, "09:00 UTC is 09:00 in London in November")
		require.Equal(t, 2, dm.Service.Samples(), "the 30-second service is a click")
		require.Equal(t, 2, dm.OpenPoints)
		require.Equal(t, queue.DefaultTargets(), dm.Targets)

		_, err = f.svc.Demand(f.admin, "QU01NOSUCHQUEUE", 7)
		require.Equal(t, cqerr.NotFound, cqerr.CodeOf(err))
		for _, days := range []int{0, -1, 367} {
			_, err = f.svc.Demand(f.admin, f.triage.ID, days)
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), days)
		}
	})
}
