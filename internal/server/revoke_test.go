package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/server"
)

// tokenBook is a Deps.Viewer whose tokens can be revoked while sockets hold them, as the session
// service's are: "<user>-<n>" tokens are valid until revoked or their account changes.
type tokenBook struct {
	mu      sync.Mutex
	revoked map[string]bool // tokens whose session ended
	changed map[string]bool // users disabled or given another role
	down    bool            // the check itself fails
}

func newTokenBook() *tokenBook {
	return &tokenBook{revoked: map[string]bool{}, changed: map[string]bool{}}
}

func (b *tokenBook) viewer(_ context.Context, token string) (auth.Viewer, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	user, _, ok := strings.Cut(token, "-")
	switch {
	case !ok:
		return auth.Viewer{}, cqerr.E(cqerr.Unauthenticated, "invalid access token")
	case b.down:
		return auth.Viewer{}, fmt.Errorf("reading the session's account: pq: connection refused")
	case b.changed[user]:
		return auth.Viewer{}, cqerr.Wrap(cqerr.Unauthenticated, auth.ErrAccountChanged, "your account was disabled or changed, sign in again")
	case b.revoked[token]:
		return auth.Viewer{}, cqerr.E(cqerr.Unauthenticated, "session revoked, sign in again")
	}
	return auth.Viewer{UserID: pulid.ID("US" + user), Role: auth.RoleReceptionist}, nil
}

func (b *tokenBook) edit(f func(b *tokenBook)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f(b)
}

type revokeFixture struct {
	book    *tokenBook
	sockets *server.Sockets
	srv     *httptest.Server
	f       fixture
}

func newRevokeFixture(t *testing.T) *revokeFixture {
	t.Helper()
	r := &revokeFixture{book: newTokenBook(), sockets: server.NewSockets()}
	r.f = newFixture(t, server.Config{}, func(d *server.Deps) {
		d.Viewer, d.Sockets = r.book.viewer, r.sockets
	})
	r.srv = httptest.NewServer(r.f.handler)
	t.Cleanup(r.srv.Close)
	return r
}

// open signs a socket in with token and starts a subscription on it.
func (r *revokeFixture) open(t *testing.T, token string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	c, resp, err := d.Dial("ws"+strings.TrimPrefix(r.srv.URL, "http")+"/graphql", nil)
	require.NoError(t, err)
	_ = resp.Body.Close()
	t.Cleanup(func() { _ = c.Close() })
	send(t, c, initMsg("Bearer "+token))
	_, err = readUntil(t, c, "connection_ack")
	require.NoError(t, err)
	send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: mustJSON(map[string]any{"query": "subscription { tick }"})})
	_, err = readUntil(t, c, "next")
	require.NoError(t, err)
	return c
}

// requireClosed waits for c's close frame and returns its code and reason.
func requireClosed(t *testing.T, c *websocket.Conn) (int, string) {
	t.Helper()
	_, err := readUntil(t, c, "never")
	var ce *websocket.CloseError
	require.ErrorAs(t, err, &ce)
	return ce.Code, ce.Text
}

// requireOpen checks that c still answers a graphql-transport-ws ping.
func requireOpen(t *testing.T, c *websocket.Conn) {
	t.Helper()
	send(t, c, wsMessage{Type: "ping"})
	_, err := readUntil(t, c, "pong")
	require.NoError(t, err)
}

func TestRevocationClosesSockets(t *testing.T) {
	t.Parallel()

	t.Run("EndedSessionIs4401ChangedAccountIs4403OthersStay", func(t *testing.T) {
		t.Parallel()
		r := newRevokeFixture(t)
		loggedOut, otherDevice, colleague := r.open(t, "01-a"), r.open(t, "01-b"), r.open(t, "02-a")
		r.book.edit(func(b *tokenBook) { b.revoked["01-a"] = true })
		r.sockets.Recheck(t.Context(), "US01")
		code, reason := requireClosed(t, loggedOut)
		require.Equal(t, server.CloseUnauthorized, code)
		require.Equal(t, "session revoked, sign in again", reason)
		requireOpen(t, otherDevice)
		requireOpen(t, colleague)

		r.book.edit(func(b *tokenBook) { b.changed["01"] = true })
		r.sockets.Recheck(t.Context(), "US01")
		code, reason = requireClosed(t, otherDevice)
		require.Equal(t, server.CloseForbidden, code)
		require.Contains(t, reason, "disabled or changed")
		requireOpen(t, colleague)
	})

	t.Run("RecheckOfAnotherUserClosesNothing", func(t *testing.T) {
		t.Parallel()
		r := newRevokeFixture(t)
		c := r.open(t, "01-a")
		r.book.edit(func(b *tokenBook) { b.revoked["01-a"] = true })
		r.sockets.Recheck(t.Context(), "US02")
		r.sockets.Recheck(t.Context(), "")
		requireOpen(t, c)
		r.sockets.RecheckAll(t.Context()) // after a lost message: everyone
		code, _ := requireClosed(t, c)
		require.Equal(t, server.CloseUnauthorized, code)
	})

	t.Run("FailedCheckKeepsTheSocket", func(t *testing.T) {
		t.Parallel()
		r := newRevokeFixture(t)
		c := r.open(t, "01-a")
		r.book.edit(func(b *tokenBook) { b.down = true })
		r.sockets.RecheckAll(t.Context())
		requireOpen(t, c)
		require.NotContains(t, r.f.logs.String(), "01-a", "tokens stay out of the logs")
	})

	t.Run("SweepClosesWithoutAnyMessage", func(t *testing.T) {
		t.Parallel()
		r := newRevokeFixture(t)
		c := r.open(t, "01-a")
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { r.sockets.Run(ctx, 20*time.Millisecond); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		r.book.edit(func(b *tokenBook) { b.changed["01"] = true })
		code, _ := requireClosed(t, c)
		require.Equal(t, server.CloseForbidden, code)
	})

	t.Run("ChangedAccountRefusedAtInitWith4401", func(t *testing.T) {
		t.Parallel()
		r := newRevokeFixture(t)
		r.book.edit(func(b *tokenBook) { b.changed["01"] = true })
		d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
		c, resp, err := d.Dial("ws"+strings.TrimPrefix(r.srv.URL, "http")+"/graphql", nil)
		require.NoError(t, err)
		_ = resp.Body.Close()
		t.Cleanup(func() { _ = c.Close() })
		send(t, c, initMsg("Bearer 01-a"))
		code, _ := requireClosed(t, c)
		require.Equal(t, server.CloseUnauthorized, code, "4401 is fatal to graphql-ws clients; 4403 would make them retry forever")
	})

	t.Run("RevokedTokenRefusedOverHTTP", func(t *testing.T) {
		t.Parallel()
		r := newRevokeFixture(t)
		rec, _ := r.f.post(t, "{ whoami }", "Authorization", "Bearer 01-a")
		require.Equal(t, http.StatusOK, rec.Code)
		r.book.edit(func(b *tokenBook) { b.revoked["01-a"] = true; b.changed["02"] = true })
		for _, tok := range []string{"01-a", "02-a"} {
			rec, resp := r.f.post(t, "{ whoami }", "Authorization", "Bearer "+tok)
			require.Equal(t, http.StatusUnauthorized, rec.Code, tok)
			require.Equal(t, "UNAUTHENTICATED", firstCode(t, resp))
			require.NotContains(t, rec.Body.String(), "account disabled or changed since", "the internal cause stays inside")
		}
	})

	t.Run("ClosedSocketLeavesTheRegistry", func(t *testing.T) {
		t.Parallel()
		r := newRevokeFixture(t)
		c := r.open(t, "01-a")
		require.NoError(t, c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")))
		_ = c.Close()
		require.Eventually(t, func() bool {
			// A closed socket's account may open its full quota again: its slot was released.
			return r.sockets.Count("US01") == 0
		}, 5*time.Second, 10*time.Millisecond)
	})
}
