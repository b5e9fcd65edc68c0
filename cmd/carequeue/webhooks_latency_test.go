package main

import (
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestWebhookLatency measures webhook delivery latency from commit on a local receiver: for each of
// CAREQUEUE_WEBHOOK_LATENCY_EVENTS check-ins (at least 100), the time from the ticket event's own
// timestamp (written in the workflow's transaction, just before it commits: an upper bound on "from
// commit") to the receiver reading the delivery. It is a measurement, not a gate: it runs only when
// the variable is set, and prints the median and the 95th percentile (docs/BENCHMARKS.md).
func TestWebhookLatency(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CAREQUEUE_WEBHOOK_LATENCY_EVENTS"))
	if n == 0 {
		t.Skip("set CAREQUEUE_WEBHOOK_LATENCY_EVENTS (≥ 100) to measure")
	}
	require.GreaterOrEqual(t, n, 100)
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, map[string]string{"APP_ENV": "test"})
		h := setupHospital(t, s)
		rec := newHookReceiver(t)
		s.createHook(t, h.admin, map[string]any{"facilityID": h.facility, "url": rec.srv.URL, "events": []string{"TICKET_CHECKED_IN"}})
		for i := range n {
			h.checkIn(t, s, h.lab, "P"+strconv.Itoa(i), "STANDARD")
			time.Sleep(100 * time.Millisecond) // one event at a time: latency, not queueing under a burst
		}
		got := rec.waitFor(t, n)
		lat := make([]time.Duration, len(got))
		for i, d := range got {
			lat[i] = d.At.Sub(d.Payload.Timestamp)
			require.Positive(t, lat[i])
		}
		slices.Sort(lat)
		t.Logf("%s: %d deliveries: median %v, p95 %v, max %v", d, len(lat), lat[len(lat)/2].Round(time.Millisecond),
			lat[len(lat)*95/100].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
	})
}
