package server_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/carequeue/carequeue/internal/server"
)

func TestMain(m *testing.M) {
	// An idle worker (workers.go) waits a moment for its next task before it ends: not a leak. A worker
	// still running a task has the task on top of its stack, and is reported.
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/carequeue/carequeue/internal/server.(*workers).work"))
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// dialWS opens a GraphQL WebSocket against a fresh server (its Deps as edit leaves them) with the given
// Origin and subprotocol.
func dialWS(t *testing.T, cfg server.Config, origin, protocol string, edit ...func(*server.Deps)) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	srv := httptest.NewServer(newFixture(t, cfg, edit...).handler)
	t.Cleanup(srv.Close)
	header := http.Header{}
	if origin == "self" {
		origin = srv.URL
	}
	if origin != "" {
		header.Set("Origin", origin)
	}
	d := websocket.Dialer{Subprotocols: []string{protocol}, HandshakeTimeout: 5 * time.Second}
	conn, resp, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql", header)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if conn != nil {
		t.Cleanup(func() { _ = conn.Close() })
	}
	return conn, resp, err
}

func send(t *testing.T, c *websocket.Conn, m wsMessage) {
	t.Helper()
	require.NoError(t, c.WriteJSON(m))
}

// readUntil reads messages until one of type want arrives, or the socket closes (returned as err).
func readUntil(t *testing.T, c *websocket.Conn, want string) (wsMessage, error) {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	for {
		var m wsMessage
		if err := c.ReadJSON(&m); err != nil {
			return m, err
		}
		if m.Type == want {
			return m, nil
		}
	}
}

func initMsg(auth string) wsMessage {
	return wsMessage{Type: "connection_init", Payload: mustJSON(map[string]any{"authorization": auth})}
}

func closeCode(err error) int {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return 0
}

func TestWebSocket(t *testing.T) {
	t.Parallel()

	t.Run("ForeignOriginRefusedBeforeUpgrade", func(t *testing.T) {
		t.Parallel()
		_, resp, err := dialWS(t, server.Config{AllowedOrigins: []string{"https://app.example"}}, "https://evil.example", "graphql-transport-ws")
		require.ErrorIs(t, err, websocket.ErrBadHandshake)
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	t.Run("ConfiguredOriginAccepted", func(t *testing.T) {
		t.Parallel()
		c, _, err := dialWS(t, server.Config{AllowedOrigins: []string{"https://app.example/"}}, "https://APP.example", "graphql-transport-ws")
		require.NoError(t, err)
		require.Equal(t, "graphql-transport-ws", c.Subprotocol())
	})
	t.Run("SameHostAccepted", func(t *testing.T) {
		t.Parallel()
		_, _, err := dialWS(t, server.Config{}, "self", "graphql-transport-ws")
		require.NoError(t, err)
	})
	t.Run("BadTokenClosesWith4401", func(t *testing.T) {
		t.Parallel()
		c, _, err := dialWS(t, server.Config{}, "self", "graphql-transport-ws")
		require.NoError(t, err)
		send(t, c, initMsg("Bearer expired-token"))
		_, err = readUntil(t, c, "connection_ack")
		require.Equal(t, server.CloseUnauthorized, closeCode(err), "%v", err)
	})
	t.Run("EmptyBearerClosesWith4401AndSaysWhy", func(t *testing.T) {
		t.Parallel()
		for _, token := range []string{"Bearer ", "Bearer", "Basic admin-token"} {
			c, _, err := dialWS(t, server.Config{}, "self", "graphql-transport-ws")
			require.NoError(t, err)
			send(t, c, initMsg(token))
			_, err = readUntil(t, c, "connection_ack")
			require.Equal(t, server.CloseUnauthorized, closeCode(err), "%q: %v", token, err)
			require.Contains(t, err.Error(), "Bearer", token)
		}
	})
	t.Run("BadTokenClosesWith4401OnLegacyProtocol", func(t *testing.T) {
		t.Parallel()
		c, _, err := dialWS(t, server.Config{}, "self", "graphql-ws")
		require.NoError(t, err)
		require.Equal(t, "graphql-ws", c.Subprotocol())
		send(t, c, initMsg("expired-token"))
		m, err := readUntil(t, c, "connection_error")
		require.NoError(t, err)
		require.Contains(t, string(m.Payload), "session expired")
		_, err = readUntil(t, c, "connection_ack")
		require.Equal(t, server.CloseUnauthorized, closeCode(err), "%v", err)
	})
	for _, token := range []string{"broken-token", "down-token"} { // a failing session store, a database outage
		t.Run("ViewerOutageAsksClientToRetry/"+token, func(t *testing.T) {
			t.Parallel()
			c, _, err := dialWS(t, server.Config{}, "self", "graphql-transport-ws")
			require.NoError(t, err)
			send(t, c, initMsg("Bearer "+token))
			_, err = readUntil(t, c, "connection_ack")
			require.Equal(t, 1013, closeCode(err), "%v", err)
			require.NotContains(t, err.Error(), "pq:")
			require.NotContains(t, err.Error(), "refused")
		})
	}
	t.Run("TokenSetsTheSubscriptionViewer", func(t *testing.T) {
		t.Parallel()
		c, _, err := dialWS(t, server.Config{}, "self", "graphql-transport-ws")
		require.NoError(t, err)
		send(t, c, initMsg("admin-token")) // a bare token is accepted too
		_, err = readUntil(t, c, "connection_ack")
		require.NoError(t, err)
		send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: mustJSON(map[string]any{"query": "subscription { tick }"})})
		m, err := readUntil(t, c, "next")
		require.NoError(t, err)
		require.JSONEq(t, `{"data":{"tick":"ADMIN"}}`, string(m.Payload))
		require.NoError(t, c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")))
	})
	t.Run("NoTokenIsAnonymous", func(t *testing.T) {
		t.Parallel()
		c, _, err := dialWS(t, server.Config{}, "self", "graphql-transport-ws")
		require.NoError(t, err)
		send(t, c, wsMessage{Type: "connection_init"})
		_, err = readUntil(t, c, "connection_ack")
		require.NoError(t, err)
		send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: mustJSON(map[string]any{"query": "subscription { tick }"})})
		m, err := readUntil(t, c, "next")
		require.NoError(t, err)
		require.JSONEq(t, `{"data":{"tick":"anonymous"}}`, string(m.Payload))
	})
	t.Run("BadSubscriptionGetsCodedError", func(t *testing.T) {
		t.Parallel()
		c, _, err := dialWS(t, server.Config{}, "self", "graphql-transport-ws")
		require.NoError(t, err)
		send(t, c, initMsg(""))
		_, err = readUntil(t, c, "connection_ack")
		require.NoError(t, err)
		send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: mustJSON(map[string]any{"query": "subscription { tick"})})
		m, err := readUntil(t, c, "error")
		require.NoError(t, err)
		require.Contains(t, string(m.Payload), `"code":"BAD_USER_INPUT"`)
	})
	t.Run("OversizedMessageClosesTheSocket", func(t *testing.T) {
		t.Parallel()
		// 1009 (message too big), before signing in and after; nothing of the message is handled.
		for _, signIn := range []bool{false, true} {
			c, _, err := dialWS(t, server.Config{}, "self", "graphql-transport-ws")
			require.NoError(t, err)
			if signIn {
				send(t, c, initMsg(""))
				_, err = readUntil(t, c, "connection_ack")
				require.NoError(t, err)
			}
			big := strings.Repeat("x", 70<<10)
			send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: mustJSON(map[string]any{"query": "subscription { tick } #" + big})})
			_, err = readUntil(t, c, "never")
			require.Equal(t, websocket.CloseMessageTooBig, closeCode(err), "signed in %v: %v", signIn, err)
		}
	})
	t.Run("NonWebSocketUpgradeIs400", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, server.Config{})
		r := httptest.NewRequest(http.MethodGet, "/graphql", nil)
		r.Header.Set("Upgrade", "h2c")
		rec, _ := f.do(t, r)
		require.Equal(t, http.StatusBadRequest, rec.Code)
	})
}
