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
	}{
		{"NothingServed", nil, 0, 0},
		{"OnlyTheOverlapWithTheHourCounts", []queue.ServiceSpan{
			span(queue.LevelVeryUrgent, 90, 40), // 20 min inside the window
			span(queue.LevelStandard, 30, 10),   // 20 min
		}, 20 * time.Minute, 40 * time.Minute},
		{"OpenServiceRunsToNow", []queue.ServiceSpan{
			span(queue.LevelImmediate, 15, open),
			span(queue.LevelUrgent, 45, 15),
		}, 15 * time.Minute, 45 * time.Minute},
		{"EndedBeforeTheWindowIsIgnored", []queue.ServiceSpan{
			span(queue.LevelVeryUrgent, 180, 61),
			span(queue.LevelNonUrgent, 10, 0),
		}, 0, 10 * time.Minute},
		{"UrgentIsOnlyImmediateAndVeryUrgent", []queue.ServiceSpan{
			span(queue.LevelUrgent, 60, 0),
		}, 0, 60 * time.Minute},
		{"AnEndInTheFutureIsCutAtNow", []queue.ServiceSpan{
			{Level: queue.LevelVeryUrgent, Start: at(10), End: now.Add(time.Hour)},
		}, 10 * time.Minute, 10 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, tot := queue.UrgentShare(tc.spans, now, queue.ShareWindow)
			require.Equal(t, tc.urgent, u)
			require.Equal(t, tc.total, tot)
		})
	}
}

func TestWarnings(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	served := func(urgentMin, otherMin int) []queue.ServiceSpan {
		var out []queue.ServiceSpan
		if urgentMin > 0 {
			out = append(out, queue.ServiceSpan{Level: queue.LevelVeryUrgent, Start: now.Add(-time.Duration(urgentMin) * time.Minute), End: now})
		}
		if otherMin > 0 {
			out = append(out, queue.ServiceSpan{Level: queue.LevelStandard, Start: now.Add(-time.Duration(otherMin) * time.Minute), End: now})
		}
		return out
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
