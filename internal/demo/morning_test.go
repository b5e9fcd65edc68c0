package demo

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/ticket"
)

// TestMorningPlan: this morning's check-ins come one after another over the last hours, before the
// first call; visits last minutes; everything ends before now and within today, however young the
// day is; each queue's calls keep history's order.
func TestMorningPlan(t *testing.T) {
	t.Parallel()
	london, err := time.LoadLocation(FacilityTimezone)
	require.NoError(t, err)
	midnight := time.Date(2026, 3, 29, 0, 0, 0, 0, london) // the clocks go forward at 01:00 that day
	for _, tc := range []struct {
		name      string
		now       time.Time
		squeezed  bool
		minSpread time.Duration
	}{
		{"MidMorning", midnight.Add(10*time.Hour + 17*time.Minute), false, 2 * time.Hour},
		{"Evening", midnight.Add(21 * time.Hour), false, 2 * time.Hour},
		{"EarlyHoursSqueezedIntoToday", midnight.Add(40 * time.Minute), true, 10 * time.Minute},
		{"FirstMinuteOfTheDay", midnight.Add(30 * time.Second), true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			arrivals, steps := morningPlan(tc.now, midnight, len(patients), rand.New(rand.NewPCG(1, 2)))
			require.Len(t, arrivals, len(patients))
			calls := map[int]time.Time{}
			for i, a := range arrivals {
				require.True(t, a.After(midnight) || a.Equal(midnight), "arrival %d at %s is today", i, a)
				require.False(t, a.After(tc.now), "arrival %d is not in the future", i)
				if i > 0 {
					require.False(t, a.Before(arrivals[i-1]), "arrivals in the patients' order")
				}
			}
			require.GreaterOrEqual(t, arrivals[len(arrivals)-1].Sub(arrivals[0]), tc.minSpread, "arrivals are spread out")
			for i, s := range steps {
				require.False(t, s.at.Before(arrivals[len(arrivals)-1]), "step %d after every arrival", i)
				require.False(t, s.at.After(tc.now), "step %d not in the future", i)
				require.False(t, s.at.Before(midnight), "step %d today", i)
				if i > 0 {
					require.False(t, s.at.Before(steps[i-1].at), "steps in time order")
				}
				if s.kind == stepCall {
					calls[s.visit] = s.at
				}
			}
			require.Len(t, calls, len(history), "every visit is called once")
			for i := range history {
				for j := i + 1; j < len(history); j++ {
					if history[i].queue == history[j].queue {
						require.False(t, calls[j].Before(calls[i]), "%s: call %d before call %d", history[i].queue, i, j)
					}
				}
			}
			if tc.squeezed {
				return
			}
			started := map[int]time.Time{}
			for _, s := range steps {
				switch s.kind {
				case stepStart:
					started[s.visit] = s.at
				case stepComplete:
					d := s.at.Sub(started[s.visit])
					require.GreaterOrEqual(t, d, 3*time.Minute, "a visit lasts minutes")
					require.LessOrEqual(t, d, time.Hour)
				case stepCall:
					if history[s.visit].until == ticket.StatusCALLED {
						require.Less(t, tc.now.Sub(s.at), 15*time.Minute, "still called: called a few minutes ago")
					}
				}
			}
			require.Less(t, tc.now.Sub(steps[len(steps)-1].at), 10*time.Minute, "the morning runs up to now")
		})
	}
}
