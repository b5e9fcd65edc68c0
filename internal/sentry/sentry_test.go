package sentry_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	sentrygo "github.com/getsentry/sentry-go"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/sentry"
	"github.com/carequeue/carequeue/internal/sentry/sentrytest"
)

const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl"

var patientData = []string{"Zephyrine", "Quackenbush", "MRN-4471-XQ", "698765432", "1961-07-23", "zq@example.org", jwt}

func TestReporter(t *testing.T) {
	t.Parallel()
	t.Run("OffWithoutDSN", func(t *testing.T) {
		t.Parallel()
		r, err := sentry.New(sentry.Config{})
		require.NoError(t, err)
		require.Nil(t, r)
		r.ReportError(t.Context(), errors.New("x")) // a nil Reporter reports nothing and does not panic
		r.ReportPanic(t.Context(), "x")
		r.Flush(time.Millisecond)
	})
	t.Run("BadDSNIsNotQuoted", func(t *testing.T) {
		t.Parallel()
		_, err := sentry.New(sentry.Config{DSN: "secret-key-without-a-host"})
		require.Error(t, err)
		require.NotContains(t, err.Error(), "secret-key")
	})
	t.Run("SendsScrubbedEventsWithTags", func(t *testing.T) {
		t.Parallel()
		fake := sentrytest.New(t)
		r, err := sentry.New(sentry.Config{DSN: fake.DSN, Release: "v1.2.3", Environment: "staging"})
		require.NoError(t, err)
		ctx := audit.WithRequest(context.Background(), audit.Request{ID: "NQ7T3ZK2M4XW6C5VYB2HJ4D3FA"}) // rand.Text()'s shape
		r.ReportError(ctx, errors.New(`inserting patient "Zephyrine Quackenbush" (mrn)=(MRN-4471-XQ) phone +33 6 98 76 54 32 born 1961-07-23 zq@example.org token `+jwt))
		func() {
			defer func() {
				if p := recover(); p != nil {
					r.ReportPanic(ctx, p)
				}
			}()
			panic("nil map write for 'Zephyrine' Bearer " + jwt)
		}()
		r.Flush(5 * time.Second)
		events := fake.Events()
		require.Len(t, events, 2)
		for _, e := range events {
			require.Equal(t, "v1.2.3", e.JSON["release"])
			require.Equal(t, "staging", e.JSON["environment"])
			tags, _ := e.JSON["tags"].(map[string]any)
			require.Equal(t, "NQ7T3ZK2M4XW6C5VYB2HJ4D3FA", tags["request_id"], "kept whole, though shaped like a token")
			require.True(t, e.JSON["exception"] != nil || e.JSON["message"] != nil, "the fault is there, its shape kept")
			for _, secret := range patientData {
				require.NotContains(t, e.Envelope, secret)
			}
		}
		// The SDK may post the two envelopes side by side, so they arrive in either order.
		var reported, panicked int
		for _, e := range events {
			if e.JSON["message"] == "nil map write for [Filtered] [Filtered]" {
				panicked++ // a panic's value
			} else if strings.Contains(e.Envelope, "inserting patient [Filtered]") {
				reported++
			}
		}
		require.Equal(t, 1, reported, "the error, scrubbed")
		require.Equal(t, 1, panicked, "the panic's value, scrubbed")
	})
}

func TestScrub(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`no rows for "Zephyrine Quackenbush"`, `no rows for [Filtered]`},
		{`duplicate key (mrn)=(MRN-4471-XQ)`, `duplicate key [Filtered]`},
		{`phone +33 6 98 76 54 32 rejected`, `phone [Filtered] rejected`},
		{`dob 1961-07-23T00:00:00Z`, `dob [Filtered]`},
		{`born 23/07/1961 or 23 Jul 1961 or 23 de julio de 1961 or Jul 23, 1961`, `born [Filtered] or [Filtered] or [Filtered] or [Filtered]`},
		{`GET /reception?lookup=Quackenbush&x=1 failed`, `GET /reception[Filtered] failed`},
		{`mail zq@example.org`, `mail [Filtered]`},
		{`Authorization: Bearer ` + jwt, `Authorization: [Filtered]`},
		{`sql: database is closed`, `sql: database is closed`},
		{`no such table: ticket_events`, `no such table: ticket_events`},
		{`GET /t/k3XqP9sVn2LmW8rTz4YbQ7uE`, `GET /t/[Filtered]`},
		{`ticket 01JEXAMPLE7Q2M9V4KZ8R3T6WY5 not found`, `ticket [Filtered] not found`},
		{`(*ticketNotificationScheduler).schedule`, `(*ticketNotificationScheduler).schedule`},
	} {
		require.Equal(t, tc.want, sentry.ScrubText(tc.in), tc.in)
	}
	e := sentry.Scrub(&sentrygo.Event{
		Message: "for Zephyrine? no: 'Zephyrine'",
		User:    sentrygo.User{ID: "u1", Email: "zq@example.org", IPAddress: "10.0.0.1"},
		Request: &sentrygo.Request{Method: "POST", URL: "https://q.example.org/t/k3XqP9sVn2LmW8rTz4YbQ7uE?token=abc", Data: `{"variables":{"name":"Zephyrine"}}`,
			Cookies: "session=1", QueryString: "token=abc", Headers: map[string]string{"Authorization": "Bearer " + jwt, "Cookie": "s=1", "Content-Type": "application/json"}},
		Breadcrumbs: []*sentrygo.Breadcrumb{{Message: "Zephyrine"}},
		Contexts: map[string]sentrygo.Context{"patient": {"givenName": "Zephyrine", "queue": "C", "visits": []string{"Zephyrine"},
			"job": map[string]any{"kind": "reminder", "dateOfBirth": "1961-07-23", "detail": `for "Zephyrine"`, "attempt": 2}}},
		Transaction: "GET /t/k3XqP9sVn2LmW8rTz4YbQ7uE",
		Attachments: []*sentrygo.Attachment{{Filename: "dump.json", Payload: []byte("Zephyrine")}},
	})
	require.Equal(t, "GET /t/[Filtered]", e.Transaction, "a status link's token")
	require.Nil(t, e.Attachments)
	require.Equal(t, sentrygo.User{}, e.User)
	require.Equal(t, &sentrygo.Request{Method: "POST", URL: "https://q.example.org/t/[Filtered]", Headers: map[string]string{"Content-Type": "application/json"}}, e.Request)
	require.Nil(t, e.Breadcrumbs)
	require.Equal(t, sentrygo.Context{"queue": "C", "job": map[string]any{"kind": "reminder", "detail": "for [Filtered]", "attempt": 2}},
		e.Contexts["patient"], "patient keys and unreadable kinds dropped, strings scrubbed, nested maps too")
	require.Equal(t, "for Zephyrine? no: [Filtered]", e.Message, "free text is scrubbed by shape: a bare name in a message stays (the server writes none)")
}
