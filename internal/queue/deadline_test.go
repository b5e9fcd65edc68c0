package queue_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

func TestTargets(t *testing.T) {
	t.Parallel()

	t.Run("DefaultsFollowDesign", func(t *testing.T) {
		t.Parallel()
		d := queue.DefaultTargets()
		require.NoError(t, d.Validate())
		for l, want := range map[queue.Level]time.Duration{
			queue.LevelImmediate: 0, queue.LevelVeryUrgent: 10 * time.Minute, queue.LevelUrgent: time.Hour,
			queue.LevelStandard: 2 * time.Hour, queue.LevelNonUrgent: 4 * time.Hour,
			"SEVERE": 2 * time.Hour, // unknown: the STANDARD target
		} {
			require.Equal(t, want, d.For(l), l)
		}
	})

	const minute = time.Minute
	for _, tc := range []struct {
		name    string
		targets queue.Targets
		msg     string // "" means valid
	}{
		{"AcceptsAllZero", queue.Targets{}, ""},
		{"AcceptsEqualNeighbours", queue.Targets{0, 30 * minute, 30 * minute, 30 * minute, 30 * minute}, ""},
		{"ErrNegative", queue.Targets{-5 * minute, 10 * minute, 60 * minute, 120 * minute, 240 * minute},
			"target wait for IMMEDIATE must not be negative (got -5 min)"},
		{"ErrLessUrgentShorter", queue.Targets{0, 10 * minute, 60 * minute, 45 * minute, 240 * minute},
			"target wait for STANDARD (45 min) must not be shorter than for the more urgent URGENT (60 min)"},
		{"ErrShowsOddDurations", queue.Targets{0, 10 * minute, 60 * minute, 120 * minute, 30*time.Second + 119*minute},
			"target wait for NON_URGENT (1h59m30s) must not be shorter than for the more urgent STANDARD (120 min)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.targets.Validate()
			if tc.msg == "" {
				require.NoError(t, err)
				return
			}
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err))
			require.Equal(t, tc.msg, cqerr.MessageOf(err))
		})
	}
}

func TestDeadline(t *testing.T) {
	t.Parallel()

	d := queue.DefaultTargets()
	for _, tc := range []struct {
		name      string
		checkedIn time.Time
		scheduled *time.Time
		level     queue.Level
		want      time.Time
	}{
		{"WalkInIsCheckInPlusTarget", orderAt(0), nil, queue.LevelUrgent, orderAt(60)},
		{"ImmediateIsDueAtCheckIn", orderAt(5), nil, queue.LevelImmediate, orderAt(5)},
		{"EarlyForAppointmentCountsFromScheduledTime", orderAt(0), ptrTo(orderAt(30)), queue.LevelStandard, orderAt(150)},
		{"LateForAppointmentCountsFromCheckIn", orderAt(45), ptrTo(orderAt(30)), queue.LevelStandard, orderAt(165)},
		{"OnTimeForAppointment", orderAt(30), ptrTo(orderAt(30)), queue.LevelNonUrgent, orderAt(270)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, queue.Deadline(tc.checkedIn, tc.scheduled, tc.level, d))
		})
	}
}
