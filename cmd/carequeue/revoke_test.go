package main

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/store"
)

// revocationCase is one way a session ends: how an admin (or the thief) does it on replica a, and the
// close code the receptionist's sockets get.
type revocationCase struct {
	name  string
	code  int
	end   func(t *testing.T, a *testServer, h *hospital, userID, refresh string)
	after func(t *testing.T, a *testServer, h *hospital, userID string) // undoes an account change
}

var revocationCases = []revocationCase{
	{name: "Disabled", code: 4403,
		end: func(t *testing.T, a *testServer, h *hospital, id, _ string) {
			a.ok(t, h.admin, `mutation($id:ID!){ updateUser(id:$id, input:{active:false}){ id } }`, map[string]any{"id": id}, "updateUser", nil)
		},
		after: func(t *testing.T, a *testServer, h *hospital, id string) {
			a.ok(t, h.admin, `mutation($id:ID!){ updateUser(id:$id, input:{active:true}){ id } }`, map[string]any{"id": id}, "updateUser", nil)
		}},
	{name: "RoleChanged", code: 4403,
		end: func(t *testing.T, a *testServer, h *hospital, id, _ string) {
			a.ok(t, h.admin, `mutation($id:ID!){ updateUser(id:$id, input:{role:CLINICIAN}){ id } }`, map[string]any{"id": id}, "updateUser", nil)
		},
		after: func(t *testing.T, a *testServer, h *hospital, id string) {
			a.ok(t, h.admin, `mutation($id:ID!){ updateUser(id:$id, input:{role:RECEPTIONIST}){ id } }`, map[string]any{"id": id}, "updateUser", nil)
		}},
	{name: "LoggedOut", code: 4401,
		end: func(t *testing.T, a *testServer, _ *hospital, _, refresh string) {
			a.ok(t, "", `mutation($r:String!){ logout(refreshToken:$r) }`, map[string]any{"r": refresh}, "logout", nil)
		}},
	{name: "PasswordChanged", code: 4401,
		end: func(t *testing.T, a *testServer, h *hospital, id, _ string) {
			a.ok(t, h.admin, `mutation($id:ID!){ setUserPassword(id:$id, password:"a-long-password-1") }`, map[string]any{"id": id}, "setUserPassword", nil)
		}},
	{name: "RefreshTokenReused", code: 4401,
		end: func(t *testing.T, a *testServer, _ *hospital, _, refresh string) {
			const q = `mutation($r:String!){ refreshSession(refreshToken:$r){ accessToken } }`
			a.ok(t, "", q, map[string]any{"r": refresh}, "refreshSession", nil)
			require.Equal(t, "UNAUTHENTICATED", a.gql(t, "", q, map[string]any{"r": refresh}).code(), "the replay is the theft signal")
		}},
}

// readPatients is what the receptionist of the issue kept doing after being disabled.
const readPatients = `{ patients(first:5){ totalCount } }`

// revokeOnce signs the receptionist in, opens a subscription on b, ends the session on a with c and
// returns how long the socket on b took to close. It then plays the hostile client: the old token on
// both replicas over HTTP, a new socket with it, and its refresh token.
func revokeOnce(t *testing.T, a, b *testServer, h *hospital, ticketID string, c revocationCase) time.Duration {
	t.Helper()
	access, refresh := a.login(t, "desk@test.org", "a-long-password-1")
	var me struct{ ID string }
	b.ok(t, access, `{ me { id } }`, nil, "me", &me)
	b.ok(t, access, readPatients, nil, "patients", nil)
	ws := b.subscribe(t, access, `subscription($t:ID!){ ticketChanged(ticketID:$t){ position } }`, map[string]any{"t": ticketID})
	require.Equal(t, "next", b.read(t, ws).Type)

	start := time.Now()
	c.end(t, a, h, me.ID, refresh)
	code, reason := waitClosed(t, ws)
	took := time.Since(start)
	require.Equal(t, c.code, code, "close reason %q", reason)

	for _, s := range []*testServer{a, b} {
		r := s.gql(t, access, readPatients, nil)
		require.Equal(t, http.StatusUnauthorized, r.Status, r.Raw)
		require.Equal(t, "UNAUTHENTICATED", r.code())
		r = s.gql(t, access, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, triageLevel:STANDARD, patient:{givenName:"Late", familyName:"Test", facilityID:$f, phone:"+33612345670"}}){ id } }`,
			map[string]any{"q": h.triage, "f": h.facility})
		require.Equal(t, "UNAUTHENTICATED", r.code(), "no check-in with a revoked token: %s", r.Raw)
	}
	again := dialInit(t, b, access)
	code, _ = waitClosed(t, again)
	require.Equal(t, 4401, code, "reconnecting with the revoked token is refused, for good (graphql-ws retries after 4403)")
	r := a.gql(t, "", `mutation($r:String!){ refreshSession(refreshToken:$r){ accessToken } }`, map[string]any{"r": refresh})
	require.Equal(t, "UNAUTHENTICATED", r.code(), "the refresh token is dead too: %s", r.Raw)

	if c.after != nil {
		c.after(t, a, h, me.ID)
	}
	return took
}

// dialInit opens a socket on s and sends connection_init with token, without waiting for the answer.
func dialInit(t *testing.T, s *testServer, token string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	c, res, err := d.Dial("ws"+s.url[len("http"):]+"/graphql", http.Header{"Origin": {"http://127.0.0.1"}})
	require.NoError(t, err)
	res.Body.Close()
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.WriteJSON(wsMessage{Type: "connection_init", Payload: []byte(fmt.Sprintf(`{"authorization":"Bearer %s"}`, token))}))
	return c
}

// waitClosed reads until the server closes c and returns the close code and reason.
func waitClosed(t *testing.T, c *websocket.Conn) (int, string) {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(15*time.Second)))
	for {
		_, _, err := c.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		require.ErrorAs(t, err, &ce, "the socket ended without a close frame")
		return ce.Code, ce.Text
	}
}

// TestRevocationAcrossReplicas ends a receptionist's session in each way on replica A while the
// receptionist's socket and requests go to replica B (one PostgreSQL, one Redis).
func TestRevocationAcrossReplicas(t *testing.T) {
	t.Parallel()
	a, b := startTwoReplicas(t)
	h := setupHospital(t, a)
	ticket := h.checkIn(t, a, h.triage, "First", "STANDARD")

	var all []time.Duration
	for _, c := range revocationCases {
		t.Run(c.name, func(t *testing.T) {
			took := revokeOnce(t, a, b, h, ticket.ID, c)
			all = append(all, took)
			// Under the cache TTL (5 s) and the socket sweep (30 s): the message closed the socket, not a
			// timer. The figure is logged below; the bound is loose so a loaded machine does not fail it
			// (2.06 s was seen at a load average of 45).
			require.Less(t, took, session.DefaultRevocationTTL)
		})
	}
	// The figure for the issue: disable on A until the close frame arrives on B, several runs.
	var disable []time.Duration
	for range 7 {
		disable = append(disable, revokeOnce(t, a, b, h, ticket.ID, revocationCases[0]))
	}
	slices.Sort(disable)
	t.Logf("disable on replica A → socket closed on replica B: median %v, min %v, max %v (%d runs); every case: %v",
		disable[len(disable)/2], disable[0], disable[len(disable)-1], len(disable), all)
}

// TestRevocationOnOneReplica is the same on each database with the in-process bus (no Redis).
func TestRevocationOnOneReplica(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, map[string]string{"REDIS_URL": ""})
		h := setupHospital(t, s)
		ticket := h.checkIn(t, s, h.triage, "First", "STANDARD")
		for _, c := range revocationCases {
			t.Run(c.name, func(t *testing.T) {
				took := revokeOnce(t, s, s, h, ticket.ID, c)
				require.Less(t, took, session.DefaultRevocationTTL, "the event closed the socket, not a timer")
			})
		}
	})
}
