package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// heldTwilio is a fake Twilio that holds the first message it is sent until release: a job in flight.
type heldTwilio struct {
	*fakeTwilio
	srv     *httptest.Server
	arrived chan struct{} // closed when the first message is being held
	release func()
}

func newHeldTwilio(t *testing.T, sid, token string) *heldTwilio {
	t.Helper()
	h := &heldTwilio{fakeTwilio: newFakeTwilio(t, sid, token), arrived: make(chan struct{})}
	released := make(chan struct{})
	h.release = sync.OnceFunc(func() { close(released) })
	var first sync.Once
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first.Do(func() {
			close(h.arrived)
			<-released
		})
		h.fakeTwilio.srv.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(h.srv.Close)
	t.Cleanup(h.release) // runs first: a held handler must not hold up Close
	return h
}

// TestGracefulShutdownAcrossReplicas is a rolling deploy of one of two replicas (one PostgreSQL, one
// Redis). Replica A (the one running the SMS job) has a dashboard subscribed, a callNext blocked on the queue's lock and an SMS job
// waiting on Twilio when it gets the SIGTERM: /readyz says draining at once while /healthz stays ok, a
// new WebSocket is refused with 503 and Retry-After, the dashboard's socket is closed with 1001, the
// callNext completes with 200 after that, the SMS job completes (once, not cancelled), and every phase
// is logged. The dashboard then resubscribes on replica B: its first state already holds the call made
// while it was away, and the next change arrives.
func TestGracefulShutdownAcrossReplicas(t *testing.T) {
	t.Parallel()
	const sid, token = "AC0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"
	sms := newHeldTwilio(t, sid, token)
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		redisURL = "redis://127.0.0.1:6379/0"
	}
	env := map[string]string{"APP_ENV": "test", "REDIS_URL": redisURL, "REDIS_PREFIX": fmt.Sprintf("cqt%d:", time.Now().UnixNano()),
		"TWILIO_ACCOUNT_SID": sid, "TWILIO_AUTH_TOKEN": token, "TWILIO_FROM": "+15005550006", "TWILIO_API_URL": sms.srv.URL,
		"SHUTDOWN_DRAIN_DELAY": "500ms", "SHUTDOWN_TIMEOUT": "20s", "LOG_LEVEL": "info"}
	// Both replicas run job workers; the one whose worker takes the check-in's SMS job (held at
	// Twilio) is the one stopped, A. River records which client attempted a job; each replica logs its
	// client id.
	var logs [2]safeBuffer
	r0 := startServerLogging(t, store.Postgres, env, &logs[0])
	env1 := map[string]string{"DATABASE_URL": r0.env["DATABASE_URL"]}
	for k, v := range env {
		env1[k] = v
	}
	r1 := startServerLogging(t, store.Postgres, env1, &logs[1])
	h := setupHospital(t, r0)
	first := h.checkIn(t, r0, h.triage, "First", "STANDARD")
	select {
	case <-sms.arrived:
	case <-time.After(30 * time.Second):
		t.Fatal("the check-in's SMS job never reached Twilio")
	}
	db, err := sql.Open("pgx", r0.env["DATABASE_URL"])
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	var worker string
	require.NoError(t, db.QueryRowContext(t.Context(),
		"SELECT attempted_by[array_length(attempted_by, 1)] FROM river_job WHERE kind = 'notify_ticket_message' ORDER BY id LIMIT 1").Scan(&worker))
	a, b, logA := r0, r1, &logs[0]
	if strings.Contains(logs[1].String(), "client_id="+worker) {
		a, b, logA = r1, r0, &logs[1]
	}
	require.Contains(t, logA.String(), "client_id="+worker, "the job runs on one of the replicas")

	const dashboard = `subscription($q:ID!){ queueChanged(queueID:$q){ version waiting{ code } called{ code } } }`
	type snapshot struct {
		Data struct {
			QueueChanged struct {
				Version         int
				Waiting, Called []struct{ Code string }
			}
		}
	}
	next := func(s *testServer, c *websocket.Conn) snapshot {
		t.Helper()
		m := s.read(t, c)
		require.Equal(t, "next", m.Type, string(m.Payload))
		var snap snapshot
		require.NoError(t, json.Unmarshal(m.Payload, &snap))
		return snap
	}
	onA := a.subscribe(t, h.reception, dashboard, map[string]any{"q": h.triage})
	seenOnA := next(a, onA).Data.QueueChanged
	require.Len(t, seenOnA.Waiting, 1)

	// A callNext waits for the queue's lock, held from outside, when the signal comes.
	release := holdLock(t, a, store.Postgres, h.triage)
	type answer struct {
		status int
		body   string
		err    error
	}
	called := make(chan answer, 1)
	go func() {
		body, _ := json.Marshal(map[string]any{"query": `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`,
			"variables": map[string]any{"q": h.triage, "sp": h.room1}})
		req, _ := http.NewRequest(http.MethodPost, a.url+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+h.clinician)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			called <- answer{err: err}
			return
		}
		defer res.Body.Close()
		raw, err := io.ReadAll(res.Body)
		called <- answer{status: res.StatusCode, body: string(raw), err: err}
	}()
	require.Eventually(t, func() bool {
		var n int
		require.NoError(t, db.QueryRowContext(t.Context(),
			"SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&n))
		return n > 0
	}, 10*time.Second, 10*time.Millisecond, "callNext never waited for the queue's lock")

	a.signal() // SIGTERM

	probe := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	get := func(path string) (int, string) {
		res, err := probe.Get(a.url + path)
		require.NoError(t, err, "%s during the drain delay", path)
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(raw)
	}
	require.Eventually(t, func() bool {
		code, body := get("/readyz")
		return code == http.StatusServiceUnavailable && strings.Contains(body, `"draining"`)
	}, 2*time.Second, 5*time.Millisecond, "/readyz never said draining")
	code, _ := get("/healthz")
	require.Equal(t, http.StatusOK, code, "liveness stays ok while draining")
	dialer := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	_, res, err := dialer.Dial("ws"+strings.TrimPrefix(a.url, "http")+"/graphql", http.Header{"Origin": {"http://127.0.0.1"}})
	require.ErrorIs(t, err, websocket.ErrBadHandshake, "a new WebSocket is refused while draining")
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	require.NotEmpty(t, res.Header.Get("Retry-After"))
	res.Body.Close()

	// The dashboard is told to go away, with 1001.
	require.NoError(t, onA.SetReadDeadline(time.Now().Add(10*time.Second)))
	for {
		var m wsMessage
		err := onA.ReadJSON(&m)
		if err == nil {
			continue // a change published before the close (none expected, but not wrong)
		}
		var ce *websocket.CloseError
		require.ErrorAs(t, err, &ce, "the socket ended without a close frame")
		require.Equal(t, websocket.CloseGoingAway, ce.Code)
		require.Contains(t, ce.Text, "shutting down")
		break
	}

	// The listener is closed, yet the blocked callNext completes once the lock is free.
	release()
	select {
	case got := <-called:
		require.NoError(t, got.err)
		require.Equal(t, http.StatusOK, got.status, got.body)
		require.JSONEq(t, `{"data":{"callNext":{"id":"`+first.ID+`"}}}`, got.body)
	case <-time.After(15 * time.Second):
		t.Fatal("the in-flight callNext never answered")
	}

	// The SMS job is still held at Twilio: A waits for it, then stops.
	stopped := make(chan error, 1)
	go func() { stopped <- a.stop() }()
	select {
	case err := <-stopped:
		t.Fatalf("replica A stopped (%v) with its SMS job still running", err)
	case <-time.After(300 * time.Millisecond):
	}
	sms.release()
	select {
	case err := <-stopped:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("replica A did not stop within SHUTDOWN_TIMEOUT")
	}
	var state string
	var attempt int
	var errs sql.NullString
	require.NoError(t, db.QueryRowContext(t.Context(),
		"SELECT state, attempt, errors::text FROM river_job WHERE kind = 'notify_ticket_message' ORDER BY id LIMIT 1").Scan(&state, &attempt, &errs))
	require.Equal(t, "completed", state, "the job in flight finished on A (errors: %s)", errs.String)
	require.Equal(t, 1, attempt)
	require.False(t, errs.Valid, "the job was never cancelled: %s", errs.String)
	require.NotNil(t, sms.find("+33612345678", ""), "Twilio got the message")
	stopLog := logA.String()
	for _, phase := range []string{"drain", "close", "requests", "jobs"} {
		require.Contains(t, stopLog, "phase="+phase, "every phase is logged")
	}
	require.NotContains(t, stopLog, "shutdown: requests still running", "no request was cut short")
	require.NotContains(t, stopLog, "shutdown: jobs still running", "no job was cut short")

	// The dashboard reconnects to B: its first state already has the call made while it was away
	// (the resync), and the next change arrives.
	onB := b.subscribe(t, h.reception, dashboard, map[string]any{"q": h.triage})
	resync := next(b, onB).Data.QueueChanged
	require.Greater(t, resync.Version, seenOnA.Version)
	require.Equal(t, []struct{ Code string }{{first.Code}}, resync.Called)
	third := h.checkIn(t, b, h.triage, "Third", "STANDARD")
	after := next(b, onB).Data.QueueChanged
	require.Equal(t, resync.Version+1, after.Version)
	require.Equal(t, []struct{ Code string }{{third.Code}}, after.Waiting)
}
