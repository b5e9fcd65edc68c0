package analytics_test

import (
	"context"
	"testing"
	"time"

	"entgo.io/ent/privacy"
	"github.com/stretchr/testify/require"

	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	entticket "github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/analytics"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// The what-if replays a queue's real history; the API tests (cmd/carequeue) cover the bad inputs.
func TestWhatIf(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	h := newHospital(t, store.SQLite, "UTC", now)
	// Three days of the Clinic: a patient every 30 minutes, called after 10 minutes, served for 15.
	for i := range 3 * 24 * 2 {
		in := now.Add(-72*time.Hour + time.Duration(i)*30*time.Minute)
		h.visit(t, h.clinic, in.Format(time.DateOnly), in, 10*time.Minute, 15*time.Minute, entticket.StatusCOMPLETED)
	}
	w := analytics.NewWhatIf(h.svc, queue.NewService(h.db, queue.Options{Now: func() time.Time { return h.now }}))
	two, three := 2, 3

	t.Run("ReplaysTheQueuesDemand", func(t *testing.T) {
		t.Parallel()
		rep, err := w.Simulate(h.admin, analytics.SimulationInput{QueueID: &h.clinic.ID, HistoryDays: &three, ServicePoints: &two,
			Orderings: []entqueue.Ordering{entqueue.OrderingTRIAGE, entqueue.OrderingFIFO}})
		require.NoError(t, err)
		require.Equal(t, "Clinic", *rep.QueueName)
		require.Equal(t, 2, rep.ServicePoints)
		require.InDelta(t, 48, rep.ArrivalsPerDay, 0.5, "two an hour")
		require.InDelta(t, 15, rep.MeanServiceMinutes, 0.5)
		require.InDelta(t, 48*15.0/60/24/2, rep.Load, 0.01)
		require.Len(t, rep.Runs, 2)
		for _, run := range rep.Runs {
			require.Greater(t, run.Patients, 50)
			require.Len(t, run.Levels, 1, "every patient was STANDARD")
			require.Equal(t, enum.TriageLevelStandard, *run.Levels[0].Level)
			require.Len(t, run.PointsNeeded.Hours, 24)
			require.Equal(t, 1, run.PointsNeeded.FewestTried)
			for _, hr := range run.PointsNeeded.Hours {
				if hr.Patients == 0 {
					require.False(t, hr.Met)
					continue
				}
				require.True(t, hr.Met, "hour %d: a quarter of two points' time is easily met", hr.Hour)
				require.LessOrEqual(t, *hr.PointsNeeded, 2)
			}
		}
	})

	t.Run("DefaultsToTheQueuesOwnOrderingAndOpenPoints", func(t *testing.T) {
		t.Parallel()
		_, err := w.Simulate(h.admin, analytics.SimulationInput{QueueID: &h.clinic.ID})
		require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), "no service point is open: say how many")
		requireField(t, err, "input.servicePoints")
		rep, err := w.Simulate(h.admin, analytics.SimulationInput{QueueID: &h.clinic.ID, ServicePoints: &two})
		require.NoError(t, err)
		require.Len(t, rep.Runs, 1)
		require.Equal(t, h.clinic.Ordering, rep.Runs[0].Ordering)
	})

	t.Run("ErrAnotherFacilitysQueue", func(t *testing.T) {
		t.Parallel()
		_, err := w.Simulate(h.foreignAdmin, analytics.SimulationInput{QueueID: &h.clinic.ID, ServicePoints: &two})
		require.Equal(t, cqerr.NotFound, cqerr.CodeOf(err))
	})

	t.Run("ErrNotAnAdmin", func(t *testing.T) {
		t.Parallel()
		_, err := w.Simulate(h.clinician, analytics.SimulationInput{QueueID: &h.clinic.ID, ServicePoints: &two})
		require.ErrorIs(t, err, privacy.Deny, "FORBIDDEN through the API")
	})

	t.Run("ErrLongerThanTheTimeout", func(t *testing.T) {
		t.Parallel()
		short := analytics.NewWhatIf(h.svc, queue.NewService(h.db, queue.Options{Now: func() time.Time { return h.now }}))
		short.Timeout = time.Nanosecond
		_, err := short.Simulate(h.admin, analytics.SimulationInput{QueueID: &h.clinic.ID, ServicePoints: &two})
		require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err))
		require.ErrorContains(t, err, "did not finish within 1ns")
		requireField(t, err, "input.days")
	})

	t.Run("StopsWhenTheRequestEnds", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(h.admin)
		cancel()
		_, err := w.Simulate(ctx, analytics.SimulationInput{QueueID: &h.clinic.ID, ServicePoints: &two})
		require.ErrorIs(t, err, context.Canceled)
	})
}

func requireField(t *testing.T, err error, field string) {
	t.Helper()
	var ce *cqerr.Error
	require.ErrorAs(t, err, &ce)
	require.Equal(t, field, ce.Field)
}
