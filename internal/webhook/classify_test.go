package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema/enum"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		err    error
		want   Outcome
	}{
		{"OK", 200, nil, Outcome{OK: true}},
		{"NoContent", 204, nil, Outcome{OK: true}},
		{"ServerError", 500, nil, Outcome{Retry: true, Class: "http_5xx"}},
		{"Unavailable", 503, nil, Outcome{Retry: true, Class: "http_5xx"}},
		{"TooMany", 429, nil, Outcome{Retry: true, Class: "http_429"}},
		{"RequestTimeout", 408, nil, Outcome{Retry: true, Class: "http_408"}},
		{"BadRequest", 400, nil, Outcome{Class: "http_4xx"}},
		{"Unauthorized", 401, nil, Outcome{Class: "http_4xx"}},
		{"Gone", 410, nil, Outcome{Class: "http_4xx"}},
		{"Redirect", 302, nil, Outcome{Class: "redirect"}},
		{"Timeout", 0, fmt.Errorf("post: %w", context.DeadlineExceeded), Outcome{Retry: true, Class: "timeout"}},
		{"Refused", 0, &net.OpError{Op: "dial", Err: errors.New("connection refused")}, Outcome{Retry: true, Class: "connection"}},
		{"Blocked", 0, &net.OpError{Op: "dial", Err: errBlockedAddress}, Outcome{Class: "blocked_address"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, Classify(tc.status, tc.err))
		})
	}
}

func TestEventsFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		action      enum.Action
		to          string
		appointment bool
		want        []enum.WebhookEvent
	}{
		{enum.ActionCheckIn, "WAITING", false, []enum.WebhookEvent{enum.WebhookTicketCheckedIn}},
		{enum.ActionCheckIn, "WAITING", true, []enum.WebhookEvent{enum.WebhookTicketCheckedIn, enum.WebhookAppointmentArrived}},
		{enum.ActionCall, "CALLED", false, []enum.WebhookEvent{enum.WebhookTicketCalled}},
		{enum.ActionRecall, "CALLED", false, []enum.WebhookEvent{enum.WebhookTicketCalled}},
		{enum.ActionStart, "IN_SERVICE", false, []enum.WebhookEvent{enum.WebhookTicketStarted}},
		{enum.ActionComplete, "COMPLETED", false, []enum.WebhookEvent{enum.WebhookTicketCompleted}},
		{enum.ActionNoShow, "NO_SHOW", false, []enum.WebhookEvent{enum.WebhookTicketNoShow}},
		{enum.ActionCancel, "CANCELLED", false, []enum.WebhookEvent{enum.WebhookTicketCancelled}},
		{enum.ActionTransfer, "TRANSFERRED", false, []enum.WebhookEvent{enum.WebhookTicketTransferred}},
		{enum.ActionTransfer, "WAITING", false, nil},
		{enum.ActionRetriage, "WAITING", false, nil},
		{enum.ActionEscalate, "WAITING", false, nil},
	} {
		require.Equal(t, tc.want, EventsFor(tc.action, tc.to, tc.appointment), "%s → %s", tc.action, tc.to)
	}
	for _, e := range enum.WebhookEvents() {
		require.NotEmpty(t, e.Wire(), "every event has a wire name")
	}
	subs := []enum.WebhookEvent{enum.WebhookTicketCalled}
	require.Equal(t, subs, Subscribed([]enum.WebhookEvent{enum.WebhookTicketCheckedIn, enum.WebhookTicketCalled}, subs))
	require.Empty(t, Subscribed([]enum.WebhookEvent{enum.WebhookTicketCheckedIn}, subs))
	require.True(t, Allowed(subs, enum.WebhookTicketCalled))
	require.False(t, Allowed(subs, enum.WebhookTicketCompleted))
	require.Equal(t, "ab c", snippet([]byte("ab\x01c\xff")))
}
