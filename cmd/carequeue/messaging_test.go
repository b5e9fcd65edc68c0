package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestMessagingStatusTellsTheTruth: without an SMS provider a patient's check-in message is recorded
// LOGGED on channel LOG (never SENT), and admins — only admins — see that SMS and push are not
// configured; with Twilio configured the same query says so.
func TestMessagingStatusTellsTheTruth(t *testing.T) {
	t.Parallel()
	const status = `{ messagingStatus { smsConfigured pushConfigured } }`
	type providers struct{ SMSConfigured, PushConfigured bool }
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		var got providers
		s.ok(t, h.admin, status, nil, "messagingStatus", &got)
		require.Equal(t, providers{}, got)
		require.Equal(t, "FORBIDDEN", s.gql(t, h.reception, status, nil).code())
		require.Equal(t, "UNAUTHENTICATED", s.gql(t, "", status, nil).code(), "nobody signed in")

		tk := h.checkIn(t, s, h.lab, "Ana", "STANDARD")
		type row struct{ Channel, Status, Error string }
		var rows struct{ Edges []struct{ Node row } }
		require.Eventually(t, func() bool {
			s.ok(t, h.admin, `query($t:String!){ notifications(first: 10, where:{ticketID:$t}){ edges { node { channel status error } } } }`,
				map[string]any{"t": tk.ID}, "notifications", &rows)
			return len(rows.Edges) == 1 && rows.Edges[0].Node.Status != "PENDING"
		}, 20*time.Second, 50*time.Millisecond)
		require.Equal(t, "LOG", rows.Edges[0].Node.Channel)
		require.Equal(t, "LOGGED", rows.Edges[0].Node.Status, "a message no provider sent is never SENT")
		require.Contains(t, rows.Edges[0].Node.Error, "no provider configured")
	})
	t.Run("WithTwilio", func(t *testing.T) {
		t.Parallel()
		const sid, token = "AC0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"
		sms := newFakeTwilio(t, sid, token)
		s := startServerWith(t, store.SQLite, map[string]string{"APP_ENV": "test",
			"TWILIO_ACCOUNT_SID": sid, "TWILIO_AUTH_TOKEN": token, "TWILIO_FROM": "+15005550006", "TWILIO_API_URL": sms.srv.URL})
		h := setupHospital(t, s)
		var got providers
		s.ok(t, h.admin, status, nil, "messagingStatus", &got)
		require.Equal(t, providers{SMSConfigured: true}, got)
	})
}
