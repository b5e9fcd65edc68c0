package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// dialWS opens a graphql-transport-ws connection and, when it is admitted, completes connection_init
// anonymously (as a display board does). A refused upgrade returns the HTTP response.
func (s *testServer) dialWS(t *testing.T) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	dialer := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	c, res, err := dialer.Dial("ws"+strings.TrimPrefix(s.url, "http")+"/graphql", http.Header{"Origin": {"http://127.0.0.1"}})
	if err != nil {
		return nil, res, err
	}
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.WriteJSON(wsMessage{Type: "connection_init", Payload: json.RawMessage(`{}`)}))
	require.Equal(t, "connection_ack", s.read(t, c).Type)
	return c, res, nil
}

// TestConnectionCap: with MAX_CONNECTIONS=3 the fourth upgrade is refused before it happens (503,
// Retry-After, a coded error), /readyz says "full" while /healthz and /metrics answer, the refusal is
// counted, and once a socket closes a new one is admitted.
func TestConnectionCap(t *testing.T) {
	t.Parallel()
	s := startServerWith(t, store.SQLite, map[string]string{"MAX_CONNECTIONS": "3"})
	probe := func(path string) (int, string) {
		t.Helper()
		res, err := http.Get(s.url + path)
		require.NoError(t, err)
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	code, body := probe("/readyz")
	require.Equal(t, http.StatusOK, code, body)

	open := make([]*websocket.Conn, 3)
	for i := range open {
		c, _, err := s.dialWS(t)
		require.NoError(t, err, "socket %d of 3", i+1)
		open[i] = c
	}

	_, res, err := s.dialWS(t)
	require.ErrorIs(t, err, websocket.ErrBadHandshake, "the fourth upgrade is refused")
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
	require.NoError(t, err, "Retry-After is whole seconds")
	require.True(t, retry >= 2 && retry <= 10, "Retry-After %d", retry)
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var refusal gqlResponse
	require.NoError(t, json.Unmarshal(raw, &refusal), string(raw))
	require.Equal(t, "UNAVAILABLE", refusal.code(), string(raw))

	code, body = probe("/readyz")
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.JSONEq(t, `{"status":"full"}`, body, "full, not broken")
	code, _ = probe("/healthz")
	require.Equal(t, http.StatusOK, code, "a full replica is alive")
	m := s.scrapeMetrics(t)
	require.Equal(t, 1.0, m[`carequeue_ws_refused_total{reason="full"}`])
	require.Equal(t, 0.0, m[`carequeue_ws_refused_total{reason="draining"}`])
	require.Equal(t, 3.0, m["carequeue_ws_open"])

	require.NoError(t, open[0].Close())
	require.Eventually(t, func() bool {
		code, _ := probe("/readyz")
		return code == http.StatusOK
	}, 10*time.Second, 10*time.Millisecond, "ready again below the cap")
	_, _, err = s.dialWS(t)
	require.NoError(t, err, "a place freed is taken")
	code, body = probe("/readyz")
	require.JSONEq(t, `{"status":"full"}`, body)
	require.Equal(t, http.StatusServiceUnavailable, code)
}
