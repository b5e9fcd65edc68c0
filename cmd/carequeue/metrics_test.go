package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// scrapeMetrics reads /metrics (the test client is a local, unproxied peer) and returns each sample by
// its series, e.g. `carequeue_notifications{channel="SMS",status="SENT"}`.
func (s *testServer) scrapeMetrics(t require.TestingT) map[string]float64 {
	res, err := http.Get(s.url + "/metrics")
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		require.NoError(t, err, line)
		out[line[:i]] = v
	}
	return out
}

// TestMetricsShowNotificationsAndJobs: a check-in's SMS, which with no provider configured only reaches
// the log, shows on /metrics as a LOGGED notification on channel LOG (never as SENT), and the
// jobs that sent it as queue depth, wait and run time, and completed attempts.
func TestMetricsShowNotificationsAndJobs(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		h.checkIn(t, s, h.triage, "Ann", "STANDARD")

		// The check-in's message, and any "your turn is near" that follows, are sent by jobs; once no job
		// is left, /metrics counts exactly the LOGGED messages that the API lists, and no SENT SMS.
		const sent = `carequeue_notifications{channel="LOG",status="LOGGED"}`
		const completed = `carequeue_job_attempts_total{kind="notify_ticket_message",outcome="completed"}`
		var m map[string]float64
		require.EventuallyWithT(t, func(c *assert.CollectT) {
			m = s.scrapeMetrics(c)
			var list struct{ TotalCount int }
			r := s.gql(t, h.admin, `{ notifications(first:100, where:{channel:LOG, status:LOGGED}){ totalCount } }`, nil)
			assert.Empty(c, r.Errors, r.Raw)
			assert.NoError(c, json.Unmarshal(r.Data["notifications"], &list))
			assert.GreaterOrEqual(c, list.TotalCount, 1)
			assert.Equal(c, float64(list.TotalCount), m[sent])
			assert.GreaterOrEqual(c, m[completed], 1.0)
			assert.Zero(c, m[`carequeue_jobs{queue="notify",state="available"}`]+m[`carequeue_jobs{queue="notify",state="running"}`])
		}, 20*time.Second, 200*time.Millisecond)

		require.Contains(t, m, `carequeue_notifications{channel="PUSH",status="FAILED"}`, "every pair is reported")
		require.Zero(t, m[`carequeue_notifications{channel="SMS",status="SENT"}`], "nothing was sent")
		for _, state := range []string{"available", "scheduled", "retryable", "running"} {
			require.Contains(t, m, `carequeue_jobs{queue="notify",state="`+state+`"}`)
		}
		require.Contains(t, m, `carequeue_jobs_oldest_available_age_seconds{queue="notify"}`)
		require.GreaterOrEqual(t, m[`carequeue_job_queue_wait_seconds_count{kind="notify_ticket_message"}`], 1.0)
		require.GreaterOrEqual(t, m[`carequeue_job_run_seconds_count{kind="notify_ticket_message"}`], 1.0)
		require.Contains(t, m, `carequeue_job_run_seconds_bucket{kind="notify_ticket_message",le="+Inf"}`)
		require.Contains(t, m, "go_goroutines", "the runtime's metrics are still there")
	})
}
