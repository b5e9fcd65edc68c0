package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/redis"
	"github.com/carequeue/carequeue/internal/redis/redistest"
	"github.com/carequeue/carequeue/internal/server"
)

var tickQuery = mustJSON(map[string]any{"query": "subscription { tick }"})

// wsServer is one server that several sockets dial, for the limits that count across connections.
type wsServer struct {
	url  string
	logs fmt.Stringer
}

func newWSServer(t *testing.T, cfg server.Config, edit ...func(*server.Deps)) wsServer {
	t.Helper()
	f := newFixture(t, cfg, edit...)
	srv := httptest.NewServer(f.handler)
	t.Cleanup(srv.Close)
	return wsServer{url: "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql", logs: f.logs}
}

// dial opens a graphql-transport-ws socket and, when token is not "-", sends connection_init.
func (s wsServer) dial(t *testing.T, token string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	c, resp, err := d.Dial(s.url, nil)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		return nil, resp, err
	}
	t.Cleanup(func() { _ = c.Close() })
	if token != "-" {
		send(t, c, initMsg(token))
	}
	return c, resp, nil
}

func TestWebSocketLimits(t *testing.T) {
	t.Parallel()

	t.Run("DuplicateSubscriptionIDClosesWith4409", func(t *testing.T) {
		t.Parallel()
		c, _, err := newWSServer(t, server.Config{}).dial(t, "")
		require.NoError(t, err)
		send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: tickQuery})
		_, err = readUntil(t, c, "next")
		require.NoError(t, err)
		send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: tickQuery})
		_, err = readUntil(t, c, "never")
		require.Equal(t, 4409, closeCode(err), "%v", err)
		require.Contains(t, err.Error(), "Subscriber for 1 already exists")
	})
	t.Run("InitPayloadThatIsNotAnObjectClosesWith4400", func(t *testing.T) {
		t.Parallel()
		// gqlgen returns without closing on this one; left open, each such socket would hold a
		// descriptor and a ping timer for as long as the client liked.
		c, _, err := newWSServer(t, server.Config{}).dial(t, "-")
		require.NoError(t, err)
		require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(`{"type":"connection_init","payload":[1,2]}`)))
		_, err = readUntil(t, c, "connection_ack")
		require.Equal(t, 4400, closeCode(err), "%v", err)
	})
	t.Run("CompletedIDMayBeReused", func(t *testing.T) {
		t.Parallel()
		c, _, err := newWSServer(t, server.Config{}).dial(t, "")
		require.NoError(t, err)
		for range 3 {
			send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: tickQuery})
			_, err = readUntil(t, c, "next")
			require.NoError(t, err)
			send(t, c, wsMessage{ID: "1", Type: "complete"})
		}
	})
	t.Run("RefusedSubscriptionFreesItsID", func(t *testing.T) {
		t.Parallel()
		c, _, err := newWSServer(t, server.Config{}).dial(t, "")
		require.NoError(t, err)
		send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: mustJSON(map[string]any{"query": "subscription { tock }"})})
		_, err = readUntil(t, c, "error")
		require.NoError(t, err)
		send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: tickQuery})
		_, err = readUntil(t, c, "next")
		require.NoError(t, err)
	})
	t.Run("SubscribingTooFastIsRateLimitedAndTheSocketStays", func(t *testing.T) {
		t.Parallel()
		c, _, err := newWSServer(t, server.Config{}).dial(t, "")
		require.NoError(t, err)
		_, err = readUntil(t, c, "connection_ack")
		require.NoError(t, err)
		// Churn: subscribe and complete far faster than any dashboard does.
		for i := range 300 {
			id := fmt.Sprint(i)
			send(t, c, wsMessage{ID: id, Type: "subscribe", Payload: tickQuery})
			send(t, c, wsMessage{ID: id, Type: "complete"})
		}
		// gqlgen sends a refusal as a result with errors (next), like any operation error.
		for {
			m, err := readUntil(t, c, "next")
			require.NoError(t, err)
			if strings.Contains(string(m.Payload), `"code":"RATE_LIMITED"`) {
				require.Contains(t, string(m.Payload), "too fast")
				break
			}
		}
		// The connection goes on: once the bucket refills, a subscription runs.
		time.Sleep(300 * time.Millisecond)
		send(t, c, wsMessage{ID: "after", Type: "subscribe", Payload: tickQuery})
		for {
			m, err := readUntil(t, c, "next")
			require.NoError(t, err)
			if m.ID == "after" {
				break
			}
		}
	})
	t.Run("SocketsPerAccountAreCappedWith4429", func(t *testing.T) {
		t.Parallel()
		s := newWSServer(t, server.Config{MaxSocketsPerUser: 2})
		var open []*websocket.Conn
		for range 2 {
			c, _, err := s.dial(t, "admin-token")
			require.NoError(t, err)
			_, err = readUntil(t, c, "connection_ack")
			require.NoError(t, err)
			open = append(open, c)
		}
		c, _, err := s.dial(t, "admin-token")
		require.NoError(t, err)
		_, err = readUntil(t, c, "connection_ack")
		require.Equal(t, 4429, closeCode(err), "%v", err)
		require.Contains(t, s.logs.String(), "too many sockets for one account")
		// Another account is not affected.
		other, _, err := s.dial(t, "")
		require.NoError(t, err)
		_, err = readUntil(t, other, "connection_ack")
		require.NoError(t, err)
		// Closing one makes room (the server counts it down when it sees the close).
		require.NoError(t, open[0].Close())
		require.Eventually(t, func() bool {
			c, _, err := s.dial(t, "admin-token")
			if err != nil {
				return false
			}
			_, err = readUntil(t, c, "connection_ack")
			return err == nil
		}, 5*time.Second, 50*time.Millisecond)
	})
	t.Run("SocketsPerAccountAreCappedAcrossReplicas", func(t *testing.T) {
		t.Parallel()
		client := redistest.Client(t)
		prefix := redistest.Prefix(t, client)
		replica := func() wsServer {
			return newWSServer(t, server.Config{MaxSocketsPerUser: 2}, func(d *server.Deps) {
				d.SharedSockets = redis.NewSockets(client, prefix, 0, nil)
			})
		}
		a, b := replica(), replica()
		acked := func(s wsServer) (*websocket.Conn, error) {
			c, _, err := s.dial(t, "admin-token")
			require.NoError(t, err)
			_, err = readUntil(t, c, "connection_ack")
			return c, err
		}
		onA, err := acked(a)
		require.NoError(t, err)
		_, err = acked(b)
		require.NoError(t, err)
		for _, s := range []wsServer{a, b} {
			_, err = acked(s)
			require.Equal(t, 4429, closeCode(err), "one socket on each of two replicas fills a cap of two: %v", err)
		}
		require.Contains(t, b.logs.String(), "too many sockets for one account")
		// A socket closed on one replica makes room on the other.
		require.NoError(t, onA.Close())
		require.Eventually(t, func() bool {
			_, err := acked(b)
			return err == nil
		}, 5*time.Second, 50*time.Millisecond)
	})
	t.Run("SocketsPerAddressAreCappedBeforeTheUpgrade", func(t *testing.T) {
		t.Parallel()
		s := newWSServer(t, server.Config{MaxSocketsPerAddress: 2})
		for range 2 {
			_, _, err := s.dial(t, "-") // anonymous, like a waiting-room board
			require.NoError(t, err)
		}
		_, resp, err := s.dial(t, "-")
		require.ErrorIs(t, err, websocket.ErrBadHandshake)
		require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
		require.Contains(t, s.logs.String(), "too many sockets from one address")
	})
}
