package notify_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/notify"
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
