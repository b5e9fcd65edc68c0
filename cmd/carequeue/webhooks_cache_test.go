package main

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/webhook"
)

// TestWebhookEndpointsAcrossReplicas: each replica keeps its facilities' endpoints in memory. An
// endpoint created on replica A gets A's events at once, and the events committed on replica B from at
// most webhook.CacheTTL later, although B had just read (and kept) the facility's endpoints before.
func TestWebhookEndpointsAcrossReplicas(t *testing.T) {
	t.Parallel()
	a, b := startTwoReplicas(t, map[string]string{"APP_ENV": "test"})
	h := setupHospital(t, a)
	// Both replicas read the facility's endpoints (none) and keep that.
	h.checkIn(t, a, h.lab, "WarmA", "STANDARD")
	h.checkIn(t, b, h.lab, "WarmB", "STANDARD")

	rec := newHookReceiver(t)
	created := time.Now()
	a.createHook(t, h.admin, map[string]any{"facilityID": h.facility, "url": rec.srv.URL, "events": []string{"TICKET_CHECKED_IN"}})
	onA := h.checkIn(t, a, h.lab, "OnA", "STANDARD")
	require.Equal(t, onA.ID, rec.waitFor(t, 1)[0].Payload.Data["ticketId"], "the replica that made the change sees it at once")

	// Check in on B until one is delivered. A check-in's answer comes after its commit, so the answer's
	// time of the first delivered one bounds how late B saw the new endpoint.
	type sent struct {
		id  string
		end time.Time
	}
	var onB []sent
	delivered := func() map[string]bool {
		out := map[string]bool{}
		for _, d := range rec.deliveries() {
			out[d.Payload.Data["ticketId"].(string)] = true
		}
		return out
	}
	var first *sent
	for i := 0; first == nil; i++ {
		require.Less(t, time.Since(created), webhook.CacheTTL+20*time.Second, "no event from replica B was delivered")
		tk := h.checkIn(t, b, h.lab, "OnB"+strconv.Itoa(i), "STANDARD")
		onB = append(onB, sent{tk.ID, time.Now()})
		time.Sleep(200 * time.Millisecond)
		got := delivered()
		for j := range onB {
			if got[onB[j].id] {
				first = &onB[j]
				break
			}
		}
	}
	lag := first.end.Sub(created)
	t.Logf("first event from replica B delivered: committed at most %v after the endpoint was created on A (%d check-ins on B)", lag.Round(time.Millisecond), len(onB))
	require.LessOrEqual(t, lag, webhook.CacheTTL+2*time.Second, "replica B's copy is at most one TTL old")

	// From then on every event from B is delivered.
	var later []string
	for i := range 3 {
		later = append(later, h.checkIn(t, b, h.lab, "Later"+strconv.Itoa(i), "STANDARD").ID)
	}
	require.Eventually(t, func() bool {
		got := delivered()
		return got[later[0]] && got[later[1]] && got[later[2]]
	}, 30*time.Second, 50*time.Millisecond)
}

// TestWebhookRetryAfter: a receiver answering 429 or 503 with Retry-After (seconds, or an HTTP date)
// gets the next attempt when it asked, not at River's backoff (about a second for the first retry).
func TestWebhookRetryAfter(t *testing.T) {
	t.Parallel()
	s := startServerWith(t, store.SQLite, map[string]string{"APP_ENV": "test"})
	h := setupHospital(t, s)
	seconds := newHookReceiver(t, http.StatusTooManyRequests)
	seconds.retryAfter = func() string { return "4" }
	date := newHookReceiver(t, http.StatusServiceUnavailable)
	date.retryAfter = func() string { return time.Now().Add(5 * time.Second).UTC().Format(http.TimeFormat) }
	plain := newHookReceiver(t, http.StatusServiceUnavailable)
	var plainID string
	for _, r := range []*hookReceiver{seconds, date, plain} {
		plainID = s.createHook(t, h.admin, map[string]any{"facilityID": h.facility, "url": r.srv.URL, "events": []string{"TICKET_CHECKED_IN"}}).Endpoint.ID
	}
	h.checkIn(t, s, h.lab, "Ann", "STANDARD")
	for _, tc := range []struct {
		name     string
		r        *hookReceiver
		min, max time.Duration
	}{
		{"Seconds", seconds, 4 * time.Second, 12 * time.Second},
		// An HTTP date has whole seconds: 4 to 5 s.
		{"HTTPDate", date, 4 * time.Second, 12 * time.Second},
		{"NoHeaderKeepsTheBackoff", plain, 0, 4 * time.Second},
	} {
		got := tc.r.waitFor(t, 2)
		gap := got[1].At.Sub(got[0].At)
		t.Logf("%s: second attempt %v after the first", tc.name, gap.Round(time.Millisecond))
		require.GreaterOrEqual(t, gap, tc.min, tc.name)
		require.Less(t, gap, tc.max, tc.name)
		require.Equal(t, got[0].ID, got[1].ID, tc.name)
	}
	// The endpoint's newest attempt is the one the admin list shows.
	var ep struct {
		LastDelivery struct {
			Status              string
			Attempt, HTTPStatus int
		}
	}
	require.Eventually(t, func() bool {
		s.ok(t, h.admin, `query($e:ID!){ node(id:$e){ ... on WebhookEndpoint{ lastDelivery{ status attempt httpStatus } } } }`, map[string]any{"e": plainID}, "node", &ep)
		return ep.LastDelivery.Attempt == 2
	}, 10*time.Second, 50*time.Millisecond)
	require.Equal(t, "SUCCEEDED", ep.LastDelivery.Status)
	require.Equal(t, 200, ep.LastDelivery.HTTPStatus)
}
