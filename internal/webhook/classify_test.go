package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

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

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		status int
		header string
		want   time.Duration
		ok     bool
	}{
		{"Seconds429", 429, "30", 30 * time.Second, true},
		{"Seconds503", 503, " 120 ", 2 * time.Minute, true},
		{"HTTPDate", 503, "Fri, 04 Dec 2026 10:05:00 GMT", 5 * time.Minute, true},
		{"ZeroIsOneSecond", 429, "0", time.Second, true},
		{"PastDateIsOneSecond", 429, "Fri, 04 Dec 2026 09:00:00 GMT", time.Second, true},
		{"CappedSeconds", 429, "86400", time.Hour, true},
		{"HugeSeconds", 429, "99999999999999999999", time.Hour, true},
		{"CappedDate", 503, "Sat, 05 Dec 2026 10:00:00 GMT", time.Hour, true},
		{"Missing", 429, "", 0, false},
		{"Negative", 429, "-5", 0, false},
		{"Garbage", 503, "soon", 0, false},
		{"Fraction", 429, "1.5", 0, false},
		{"OtherStatus", 500, "30", 0, false},
		{"Accepted", 202, "30", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := RetryAfter(tc.status, tc.header, now)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
		})
	}
}
