package notify_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/queue"
)

func TestShouldNotifyAhead(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                  string
		position, notifyAhead int
		already               bool
		want                  bool
	}{
		{"NotifiesAtTheThreshold", 3, 3, false, true},
		{"NotifiesInsideTheThreshold", 1, 3, false, true},
		{"NotifiesTicketThatJumpedPastThreshold", 2, 5, false, true},
		{"WaitsOutsideTheThreshold", 4, 3, false, false},
		{"NotifiesOnlyOnce", 2, 3, true, false},
		{"ZeroTurnsItOff", 1, 0, false, false},
		{"IgnoresUnknownPosition", 0, 3, false, false},
		{"IgnoresNegativePosition", -1, 3, false, false},
		{"IgnoresNegativeSetting", 1, -1, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, notify.ShouldNotifyAhead(tc.position, tc.notifyAhead, tc.already))
		})
	}
}

func TestChannels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                           string
		hasDevices, smsOptIn, hasPhone bool
		want                           []notify.Channel
	}{
		{"PushThenSMSFallback", true, true, true, []notify.Channel{notify.Push, notify.SMS}},
		{"PushOnlyWithoutOptIn", true, false, true, []notify.Channel{notify.Push}},
		{"PushOnlyWithoutPhone", true, true, false, []notify.Channel{notify.Push}},
		{"PushOnlyWithNeither", true, false, false, []notify.Channel{notify.Push}},
		{"SMSWithoutDevices", false, true, true, []notify.Channel{notify.SMS}},
		{"QuietWhenOptedOut", false, false, true, nil},
		{"QuietWithoutPhone", false, true, false, nil},
		{"QuietWithNothing", false, false, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, notify.Channels(tc.hasDevices, tc.smsOptIn, tc.hasPhone))
		})
	}
}

func TestWaitChange(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	ago := func(m int) time.Time { return now.Add(-time.Duration(m) * time.Minute) }
	told := func(minutesAgo, low, high int) *notify.ToldWait {
		return &notify.ToldWait{At: ago(minutesAgo), Low: low, High: high}
	}
	span := func(low, high int) *queue.WaitRange { return &queue.WaitRange{LowMinutes: low, HighMinutes: high} }
	for _, tc := range []struct {
		name                  string
		told                  *notify.ToldWait
		now                   *queue.WaitRange
		position, notifyAhead int
		want                  bool
	}{
		// Told 40–70 35 minutes ago: the patient expects to be called within 35 more minutes.
		{"LaterByMuchSends", told(35, 40, 70), span(60, 90), 8, 3, true},
		{"SoonerByMuchSends", told(35, 100, 150), span(30, 60), 8, 3, true},
		{"TimePassingIsNoChange", told(35, 40, 70), span(10, 35), 8, 3, false},
		{"JitterIsQuiet", told(35, 40, 70), span(15, 45), 8, 3, false},
		{"JustUnderFifteenMinutesIsQuiet", told(40, 40, 70), span(30, 44), 8, 3, false},
		{"FifteenMinutesAndAQuarterSends", told(40, 40, 100), span(45, 75), 8, 3, true},
		{"FifteenMinutesOfALongWaitIsQuiet", told(40, 200, 300), span(230, 280), 30, 3, false},
		{"AQuarterOfALongWaitSends", told(40, 200, 300), span(260, 330), 30, 3, true},
		{"PastTheToldUpperEndSends", told(80, 40, 60), span(10, 30), 8, 3, true},
		{"PastTheToldUpperEndButCloseIsQuiet", told(80, 40, 60), span(0, 10), 8, 3, false},
		{"WithinThirtyMinutesOfTheLastMessageIsQuiet", told(29, 40, 70), span(90, 120), 8, 3, false},
		{"AtThirtyMinutesSends", told(30, 40, 70), span(90, 120), 8, 3, true},
		{"NeverToldIsQuiet", nil, span(90, 120), 8, 3, false},
		{"NoRangeNowIsQuiet", told(60, 40, 70), nil, 8, 3, false},
		{"WithinNotifyAheadIsQuiet", told(60, 90, 150), span(5, 20), 3, 3, false},
		{"JustOutsideNotifyAheadSends", told(60, 90, 150), span(5, 20), 4, 3, true},
		{"NotifyAheadOffStillSends", told(60, 90, 150), span(5, 20), 1, 0, true},
		{"AboutToBeCalledIsQuiet", told(60, 90, 150), span(0, 0), 1, 0, false},
		{"UnknownPositionIsQuiet", told(60, 40, 70), span(90, 120), 0, 3, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, notify.WaitChange(tc.told, now, tc.now, tc.position, tc.notifyAhead))
		})
	}
}

func TestPlanAhead(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	told := func(minutesAgo int) *notify.ToldWait {
		return &notify.ToldWait{At: now.Add(-time.Duration(minutesAgo) * time.Minute), Low: 40, High: 70}
	}
	for _, tc := range []struct {
		name         string
		line         []notify.AheadTicket
		notifyAhead  int
		due, recheck []string
	}{
		{"EmptyLineNeedsNothing", nil, 3, nil, nil},
		{"FreshBurstNeedsNoEstimate", []notify.AheadTicket{
			{ID: "A", Position: 1, NotifiedAhead: true, Told: told(1)},
			{ID: "B", Position: 2, NotifiedAhead: true, Told: told(1)},
			{ID: "C", Position: 3, Told: told(1)},
			{ID: "D", Position: 4, Told: told(0)},
			{ID: "E", Position: 5},
		}, 3, []string{"C"}, nil},
		{"ToldLongAgoOutsideAheadIsRechecked", []notify.AheadTicket{
			{ID: "A", Position: 1, Told: told(90)},
			{ID: "B", Position: 2, NotifiedAhead: true, Told: told(90)},
			{ID: "C", Position: 4, Told: told(30)},
			{ID: "D", Position: 5, Told: told(29)},
		}, 2, []string{"A"}, []string{"C"}},
		{"NotifyAheadOffRechecksEveryPosition", []notify.AheadTicket{
			{ID: "A", Position: 1, Told: told(45)},
			{ID: "B", Position: 2},
		}, 0, nil, []string{"A"}},
		{"UnknownPositionIsNeither", []notify.AheadTicket{{ID: "A", Position: 0, Told: told(90)}}, 3, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			due, recheck := notify.PlanAhead(tc.line, tc.notifyAhead, now)
			require.Equal(t, tc.due, due)
			require.Equal(t, tc.recheck, recheck)
		})
	}
	// Skipping the estimate must never hide a wait change: whenever WaitChange could say yes for some
	// range, the ticket is in recheck.
	t.Run("RecheckCoversEveryWaitChange", func(t *testing.T) {
		t.Parallel()
		ranges := []*queue.WaitRange{{LowMinutes: 0, HighMinutes: 5}, {LowMinutes: 30, HighMinutes: 60}, {LowMinutes: 200, HighMinutes: 300}}
		for minutesAgo := 0; minutesAgo <= 120; minutesAgo += 5 {
			for pos := range 7 {
				for ahead := range 5 {
					tw := told(minutesAgo)
					_, recheck := notify.PlanAhead([]notify.AheadTicket{{ID: "T", Position: pos, NotifiedAhead: true, Told: tw}}, ahead, now)
					for _, r := range ranges {
						if notify.WaitChange(tw, now, r, pos, ahead) {
							require.Equal(t, []string{"T"}, recheck, "told %d min ago, position %d, ahead %d", minutesAgo, pos, ahead)
						}
					}
				}
			}
		}
	})
}
