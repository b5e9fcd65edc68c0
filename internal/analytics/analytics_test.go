package analytics_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/analytics"
	"github.com/carequeue/carequeue/internal/queue"
)

var t0 = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

func at(m int) *time.Time { t := t0.Add(time.Duration(m) * time.Minute); return &t }

// ticket checks in at minute in, is due at minute due, called at call (-1: never), started and ended.
func ticket(level queue.Level, status queue.Status, in, due, call, start, end int) analytics.Ticket {
	t := analytics.Ticket{Level: level, Status: status, CheckedInAt: *at(in), TargetAt: *at(due)}
	if call >= 0 {
		t.CalledAt = at(call)
	}
	if start >= 0 {
		t.StartedAt = at(start)
	}
	if end >= 0 {
		t.EndedAt = at(end)
	}
	return t
}

func dur(d time.Duration) *time.Duration { return &d }

func minutes(n int) *time.Duration { return dur(time.Duration(n) * time.Minute) }

func TestCompute(t *testing.T) {
	t.Parallel()
	const (
		std = queue.LevelStandard
		vu  = queue.LevelVeryUrgent
	)
	for _, tc := range []struct {
		name string
		in   []analytics.Ticket
		want analytics.Figures
	}{
		{"EmptyDay", nil, analytics.Figures{WithinTarget: map[queue.Level]float64{}}},
		{"CountsOutcomes", []analytics.Ticket{
			ticket(std, queue.StatusCompleted, 0, 120, 10, 12, 22),
			ticket(std, queue.StatusNoShow, 0, 120, 30, -1, 35),
			ticket(std, queue.StatusCancelled, 5, 125, -1, -1, 20),
			ticket(std, queue.StatusWaiting, 50, 170, -1, -1, -1),
		}, analytics.Figures{Arrivals: 4, Served: 1, NoShows: 1, Cancellations: 1,
			MedianWait: minutes(20), P90Wait: minutes(30), MedianService: minutes(10),
			WithinTarget: map[queue.Level]float64{std: 1}}},
		{"SharesWithinTargetPerLevel", []analytics.Ticket{
			ticket(vu, queue.StatusCompleted, 0, 10, 5, 5, 15),        // on time
			ticket(vu, queue.StatusCompleted, 0, 10, 10, 10, 20),      // exactly at the deadline counts
			ticket(vu, queue.StatusCompleted, 0, 10, 25, 25, 30),      // late
			ticket(std, queue.StatusCompleted, 0, 120, 130, 130, 140), // late
		}, analytics.Figures{Arrivals: 4, Served: 4,
			// waits 5, 10, 25, 130: the median is the mean of the middle two
			MedianWait: dur(17*time.Minute + 30*time.Second), P90Wait: minutes(130), MedianService: minutes(10),
			WithinTarget: map[queue.Level]float64{vu: 2.0 / 3, std: 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, analytics.Compute(tc.in))
		})
	}
}

func TestDay(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	for _, tc := range []struct {
		day   string
		hours float64
	}{
		{"2026-11-25", 24},
		{"2026-03-29", 23}, // clocks go forward
		{"2026-10-25", 25}, // clocks go back
	} {
		start, end, err := analytics.Day(tc.day, paris)
		require.NoError(t, err)
		require.Equal(t, tc.hours, end.Sub(start).Hours(), tc.day)
		require.Equal(t, 0, start.Hour())
	}
	_, _, err = analytics.Day("25/11/2026", paris)
	require.Error(t, err)
}

// A re-triage after the call moves the ticket's level and deadline; the call is judged by the level and
// deadline the patient had when it was made.
func TestCountedAt(t *testing.T) {
	t.Parallel()
	targets := queue.DefaultTargets() // URGENT 60, VERY_URGENT 10, NON_URGENT 240 minutes
	// Checked in at 0 as URGENT (due at 60), called at 50, re-triaged VERY_URGENT afterwards (due at 10).
	moved := ticket(queue.LevelVeryUrgent, queue.StatusCompleted, 0, 10, 50, 55, 70)
	for _, tc := range []struct {
		name    string
		level   queue.Level
		want    queue.Level
		wantDue int
	}{
		{"RetriagedUpAfterTheCall", queue.LevelUrgent, queue.LevelUrgent, 60},
		{"RetriagedDownAfterTheCall", queue.LevelNonUrgent, queue.LevelNonUrgent, 240},
		{"SameLevel", queue.LevelVeryUrgent, queue.LevelVeryUrgent, 10},
		{"NeverCalled", "", queue.LevelVeryUrgent, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := moved.CountedAt(tc.level, targets)
			require.Equal(t, tc.want, got.Level)
			require.Equal(t, *at(tc.wantDue), got.TargetAt)
		})
	}

	t.Run("FiguresCountTheLevelAtTheCall", func(t *testing.T) {
		t.Parallel()
		f := analytics.Compute([]analytics.Ticket{moved.CountedAt(queue.LevelUrgent, targets)})
		require.Equal(t, map[queue.Level]float64{queue.LevelUrgent: 1}, f.WithinTarget,
			"on time as URGENT; not a VERY_URGENT breach it never was")
	})
}
