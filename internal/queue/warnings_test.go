package queue_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/queue"
)

func TestUrgentShare(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	at := func(minAgo int) time.Time { return now.Add(-time.Duration(minAgo) * time.Minute) }
	span := func(l queue.Level, from, to int) queue.ServiceSpan {
		s := queue.ServiceSpan{Level: l, Start: at(from)}
		if to >= 0 {
			s.End = at(to)
		}
		return s
	}
	const open = -1 // still at the service point
	for _, tc := range []struct {
		name          string
		spans         []queue.ServiceSpan
		urgent, total time.Duration
		served        int
	}{
		{"NothingServed", nil, 0, 0, 0},
		{"OnlyTheOverlapWithTheHourCounts", []queue.ServiceSpan{
			span(queue.LevelVeryUrgent, 90, 40), // 20 min inside the window
			span(queue.LevelStandard, 30, 10),   // 20 min
		}, 20 * time.Minute, 40 * time.Minute, 2},
		{"OpenServiceRunsToNow", []queue.ServiceSpan{
			span(queue.LevelImmediate, 15, open),
			span(queue.LevelUrgent, 45, 15),
		}, 15 * time.Minute, 45 * time.Minute, 2},
		{"EndedBeforeTheWindowIsIgnored", []queue.ServiceSpan{
			span(queue.LevelVeryUrgent, 180, 61),
			span(queue.LevelNonUrgent, 10, 0),
		}, 0, 10 * time.Minute, 1},
		{"UrgentIsOnlyImmediateAndVeryUrgent", []queue.ServiceSpan{
			span(queue.LevelUrgent, 60, 0),
		}, 0, 60 * time.Minute, 1},
		{"AnEndInTheFutureIsCutAtNow", []queue.ServiceSpan{
			{Level: queue.LevelVeryUrgent, Start: at(10), End: now.Add(time.Hour)},
		}, 10 * time.Minute, 10 * time.Minute, 1},
		{"AStartInTheFutureIsNotServed", []queue.ServiceSpan{
			{Level: queue.LevelVeryUrgent, Start: now.Add(time.Minute)},
			{Level: queue.LevelStandard, Start: at(5), End: at(5)}, // no time at all: not served in it
		}, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, tot, n := queue.UrgentShare(tc.spans, now, queue.ShareWindow)
			require.Equal(t, tc.urgent, u)
			require.Equal(t, tc.total, tot)
			require.Equal(t, tc.served, n)
		})
	}
}

func TestWarnings(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	// patients serves n patients of level one after another, minutes in all, ending now.
	patients := func(l queue.Level, n, minutes int) []queue.ServiceSpan {
		out := make([]queue.ServiceSpan, n)
		each := time.Duration(minutes) * time.Minute / time.Duration(max(n, 1))
		for i := range out {
			end := now.Add(-time.Duration(i) * each)
			out[i] = queue.ServiceSpan{Level: l, Start: end.Add(-each), End: end}
		}
		return out
	}
	// served: urgentMin minutes of very urgent care and otherMin of standard, by three patients each
	// (as many as MinShareServed and more).
	served := func(urgentMin, otherMin int) []queue.ServiceSpan {
		var out []queue.ServiceSpan
		if urgentMin > 0 {
			out = append(out, patients(queue.LevelVeryUrgent, 3, urgentMin)...)
		}
		if otherMin > 0 {
			out = append(out, patients(queue.LevelStandard, 3, otherMin)...)
		}
		if len(out) < queue.MinShareServed { // one group only: enough patients of it
			out = patients(out[0].Level, queue.MinShareServed, max(urgentMin, otherMin))
		}
		return out
	}
	mix := func(urgent, other int) []queue.ServiceSpan { // urgent and other patients of 10 min each
		return append(patients(queue.LevelVeryUrgent, urgent, 10*urgent), patients(queue.LevelStandard, other, 10*other)...)
	}
	for _, tc := range []struct {
		name  string
		spans []queue.ServiceSpan
		limit int
		share int // 0: no warning
	}{
		{"NoServiceNoWarning", nil, 50, 0},
		{"AtTheLimitNoWarning", served(30, 30), 50, 0},
		{"AboveTheLimitWarns", served(40, 20), 50, 67},
		{"OnlyUrgentServedWarns", served(5, 0), 50, 100},
		{"LowLimit", served(10, 50), 10, 17},
		{"LimitOfAHundredNeverWarns", served(60, 0), 100, 0},
		{"BelowTheLimit", served(10, 50), 50, 0},
		// Too few patients for a share: the brief's example, 1 urgent of 2 served, is "50 %" of nothing.
		{"OneUrgentOfTwoIsNoShare", mix(1, 1), 40, 0},
		{"TwoUrgentOfThreeIsNoShare", mix(2, 1), 50, 0},
		{"OneLongUrgentCaseAloneIsNoShare", patients(queue.LevelImmediate, 1, 60), 50, 0},
		{"ThreeUrgentOnlyIsNoShare", mix(3, 0), 50, 0},
		{"AtTheMinimumItWarns", mix(3, 1), 50, 75},
		{"AtTheMinimumAllUrgentWarns", mix(queue.MinShareServed, 0), 50, 100},
		{"ManyServedBelowTheLimit", mix(2, 8), 50, 0},
		// A patient whose service ended before the hour is not one served in it.
		{"ServedBeforeTheHourDoNotCount", append(mix(3, 0),
			queue.ServiceSpan{Level: queue.LevelStandard, Start: now.Add(-3 * time.Hour), End: now.Add(-2 * time.Hour)}), 50, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ws := queue.Warnings(tc.spans, now, tc.limit)
			require.NotNil(t, ws, "an empty list, never null")
			if tc.share == 0 {
				require.Empty(t, ws)
				return
			}
			require.Len(t, ws, 1)
			require.Equal(t, queue.WarningUrgentShareHigh, ws[0].Kind)
			require.Equal(t, tc.share, *ws[0].SharePercent)
			require.Equal(t, tc.limit, *ws[0].LimitPercent)
		})
	}
}

func TestNextShareStep(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { at := now.Add(-d); return &at }
	for _, tc := range []struct {
		name            string
		high            bool
		since, announce *time.Time
		want            queue.ShareStep
	}{
		{"StaysOff", false, nil, nil, queue.ShareKeep},
		{"FirstStart", true, nil, nil, queue.ShareStart},
		{"StaysOnSilently", true, ago(5 * time.Minute), ago(5 * time.Minute), queue.ShareKeep},
		{"GoesOff", false, ago(5 * time.Minute), ago(5 * time.Minute), queue.ShareEnd},
		{"FlickersBackWithinTheHour", true, nil, ago(59 * time.Minute), queue.ShareStartQuiet},
		{"StartsAgainAfterAnHour", true, nil, ago(time.Hour), queue.ShareStart},
		{"OffAndLongAgo", false, nil, ago(3 * time.Hour), queue.ShareKeep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, queue.NextShareStep(tc.high, tc.since, tc.announce, now))
		})
	}
}
