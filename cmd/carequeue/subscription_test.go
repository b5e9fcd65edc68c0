package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// subscribe opens a graphql-transport-ws connection and starts one subscription.
func (s *testServer) subscribe(t *testing.T, token, query string, vars map[string]any) *websocket.Conn {
	t.Helper()
	hdr := http.Header{"Origin": {"http://127.0.0.1"}}
	dialer := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	c, res, err := dialer.Dial("ws"+strings.TrimPrefix(s.url, "http")+"/graphql", hdr)
	require.NoError(t, err)
	res.Body.Close()
	t.Cleanup(func() { c.Close() })
	params := map[string]any{}
	if token != "" {
		params["authorization"] = "Bearer " + token
	}
	init, _ := json.Marshal(params)
	require.NoError(t, c.WriteJSON(wsMessage{Type: "connection_init", Payload: init}))
	require.Equal(t, "connection_ack", s.read(t, c).Type)
	payload, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, c.WriteJSON(wsMessage{ID: "1", Type: "subscribe", Payload: payload}))
	return c
}

// read returns the next message that is not a ping or pong.
func (s *testServer) read(t *testing.T, c *websocket.Conn) wsMessage {
	t.Helper()
	for {
		require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
		var m wsMessage
		require.NoError(t, c.ReadJSON(&m))
		if m.Type != "ping" && m.Type != "pong" {
			return m
		}
	}
}

func TestSubscriptionsSendStateThenChanges(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		first := h.checkIn(t, s, h.triage, "First", "STANDARD")
		second := h.checkIn(t, s, h.triage, "Second", "STANDARD")

		dash := s.subscribe(t, h.clinician, `subscription($q:ID!){ queueChanged(queueID:$q){ version waiting{ code position } } }`, map[string]any{"q": h.triage})
		watch := s.subscribe(t, h.reception, `subscription($t:ID!){ ticketChanged(ticketID:$t){ position version ticket{ status } } }`, map[string]any{"t": second.ID})

		type snap struct {
			Data struct {
				QueueChanged struct {
					Version int
					Waiting []struct {
						Code     string
						Position int
					}
				}
				TicketChanged struct {
					Position *int
					Version  int
					Ticket   struct{ Status string }
				}
			}
		}
		next := func(c *websocket.Conn) snap {
			m := s.read(t, c)
			require.Equal(t, "next", m.Type, string(m.Payload))
			var v snap
			require.NoError(t, json.Unmarshal(m.Payload, &v))
			return v
		}
		now := next(dash).Data.QueueChanged
		require.Len(t, now.Waiting, 2, "the current state comes first")
		mineNow := next(watch).Data.TicketChanged
		require.Equal(t, 2, *mineNow.Position)

		var called node
		s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`,
			map[string]any{"q": h.triage, "sp": h.room1}, "callNext", &called)
		require.Equal(t, first.ID, called.ID)

		after := next(dash).Data.QueueChanged
		require.Equal(t, now.Version+1, after.Version)
		require.Len(t, after.Waiting, 1)
		require.Equal(t, "E-002", after.Waiting[0].Code)
		mine := next(watch).Data.TicketChanged
		require.Equal(t, 1, *mine.Position, "the watcher moved up")
		require.Equal(t, after.Version, mine.Version)

		// A public board shows codes only.
		board := s.subscribe(t, "", `subscription($d:ID!){ boardChanged(departmentID:$d){ waitingCount nowCalling{ code servicePointName } } }`, map[string]any{"d": h.dept})
		m := s.read(t, board)
		require.Equal(t, "next", m.Type, string(m.Payload))
		require.JSONEq(t, `{"data":{"boardChanged":{"waitingCount":1,"nowCalling":[{"code":"E-001","servicePointName":"Room 1"}]}}}`, string(m.Payload))
	})
}

func TestWebSocketRefusesForeignOriginAndBadToken(t *testing.T) {
	t.Parallel()
	s := startServer(t, store.SQLite)
	url := "ws" + strings.TrimPrefix(s.url, "http") + "/graphql"
	dialer := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	_, res, err := dialer.Dial(url, http.Header{"Origin": {"https://evil.example"}})
	require.Error(t, err)
	require.Equal(t, http.StatusForbidden, res.StatusCode)

	c, res, err := dialer.Dial(url, http.Header{"Origin": {"http://127.0.0.1"}})
	require.NoError(t, err)
	res.Body.Close()
	defer c.Close()
	init, _ := json.Marshal(map[string]any{"authorization": "Bearer not-a-token"})
	require.NoError(t, c.WriteJSON(wsMessage{Type: "connection_init", Payload: init}))
	_, _, err = c.ReadMessage()
	var ce *websocket.CloseError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, 4401, ce.Code)
}

func TestSubscriptionsPerConnectionAreCapped(t *testing.T) {
	t.Parallel()
	s := startServer(t, store.SQLite)
	h := setupHospital(t, s)
	c := s.subscribe(t, h.clinician, `subscription($q:ID!){ queueChanged(queueID:$q){ version } }`, map[string]any{"q": h.triage})
	require.Equal(t, "next", s.read(t, c).Type)
	payload, _ := json.Marshal(map[string]any{"query": `subscription($q:ID!){ queueChanged(queueID:$q){ version } }`, "variables": map[string]any{"q": h.triage}})
	for i := 2; i <= 100; i++ {
		require.NoError(t, c.WriteJSON(wsMessage{ID: fmt.Sprint(i), Type: "subscribe", Payload: payload}))
	}
	for range 99 {
		require.Equal(t, "next", s.read(t, c).Type)
	}
	require.NoError(t, c.WriteJSON(wsMessage{ID: "101", Type: "subscribe", Payload: payload}))
	m := s.read(t, c)
	require.Equal(t, "101", m.ID)
	require.Contains(t, string(m.Payload), "RATE_LIMITED")
	// Ending one makes room for another.
	require.NoError(t, c.WriteJSON(wsMessage{ID: "7", Type: "complete"}))
	time.Sleep(200 * time.Millisecond)
	require.NoError(t, c.WriteJSON(wsMessage{ID: "102", Type: "subscribe", Payload: payload}))
	for {
		m := s.read(t, c)
		if m.ID != "102" {
			continue // the refused 101's complete
		}
		require.Equal(t, "next", m.Type)
		require.NotContains(t, string(m.Payload), "RATE_LIMITED")
		break
	}
}

func TestWebSocketEndsWhenTheTokenExpires(t *testing.T) {
	t.Parallel()
	s := startServer(t, store.SQLite)
	h := setupHospital(t, s)
	// The admin's own session (revocation checks that it exists), in a token that ends in 2 s.
	claims := jwt.MapClaims{}
	_, _, err := jwt.NewParser().ParseUnverified(h.admin, claims)
	require.NoError(t, err)
	claims["iat"], claims["exp"] = time.Now().Unix(), time.Now().Add(2*time.Second).Unix()
	short := signed(t, claims)
	c := s.subscribe(t, short, `subscription($d:ID!){ boardChanged(departmentID:$d){ waitingCount } }`, map[string]any{"d": h.dept})
	require.Equal(t, "next", s.read(t, c).Type)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			var ne interface{ Timeout() bool }
			require.False(t, errors.As(err, &ne) && ne.Timeout(), "the connection outlived its token: %v", err)
			return
		}
	}
}
