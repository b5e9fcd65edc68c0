package main

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/docs/examples/ehr-client/ehr"
	"github.com/carequeue/carequeue/internal/store"
)

// TestEHRClientExample runs docs/examples/ehr-client as docs/integration.md has an integrator run it,
// against a real server that holds every API client to trusted documents (allow-list, with the
// example's generated manifest in TRUSTED_DOCUMENTS_FILES): token, check-in, the ticket followed over
// the WebSocket while a clinician calls, starts and completes it, and the signed webhooks verified.
func TestEHRClientExample(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, map[string]string{
			"APP_ENV":                   "test", // webhooks to http://127.0.0.1
			"GRAPHQL_DOCUMENTS":         "allow-list",
			"TRUSTED_DOCUMENTS_FILES":   filepath.Join("..", "..", "docs", "examples", "ehr-client", "persisted-documents.json"),
			"TRUSTED_DOCUMENTS_CLIENTS": "*",
		})
		s.cli(t, "user", "create", "--email", "root@test.org", "--password", "root-password-123", "--role", "ADMIN")
		r := s.persisted(t, "", appDocument(t, "Login"), map[string]any{"email": "root@test.org", "password": "root-password-123"})
		require.Empty(t, r.Errors, r.Raw)
		var session struct{ AccessToken string }
		require.NoError(t, json.Unmarshal(r.Data["login"], &session))
		admin := session.AccessToken

		// What the hospital's admin does (docs/integration.md sections 1 and 7), in GraphiQL.
		var n node
		s.ok(t, admin, `mutation{ createFacility(input:{name:"General", timezone:"Europe/London"}){ id } }`, nil, "createFacility", &n)
		facility := n.ID
		s.ok(t, admin, `mutation($f:ID!){ createDepartment(input:{name:"Outpatients", facilityID:$f}){ id } }`, map[string]any{"f": facility}, "createDepartment", &n)
		s.ok(t, admin, `mutation($d:ID!){ createQueue(input:{name:"Blood tests", prefix:"B", ordering:FIFO, active:true, departmentID:$d}){ id } }`, map[string]any{"d": n.ID}, "createQueue", &n)
		queue := n.ID
		var c apiClientSecret
		s.ok(t, admin, `mutation($f:ID!){ createAPIClient(input:{name:"EHR", facilityID:$f, scopes:["queues:read","tickets:checkin"]}){ client{ id } clientSecret } }`,
			map[string]any{"f": facility}, "createAPIClient", &c)
		hooks, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		ep := s.createHook(t, admin, map[string]any{"facilityID": facility, "url": "http://" + hooks.Addr().String() + "/hooks",
			"events": []string{"TICKET_CHECKED_IN", "TICKET_CALLED", "TICKET_COMPLETED"}})

		// A clinician at Room 1 calls, starts and completes the ticket once it exists.
		var sp node
		s.ok(t, admin, `mutation($q:ID!){ createServicePoint(input:{name:"Room 1", departmentID:"`+departmentOf(t, s, admin, queue)+`", queueIDs:[$q]}){ id } }`,
			map[string]any{"q": queue}, "createServicePoint", &sp)
		ticket := make(chan ehr.Ticket, 1)
		out := &safeBuffer{} // logscan_test.go
		done := make(chan error, 1)
		ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
		defer cancel()
		go func() {
			done <- ehr.Run(ctx, ehr.Options{
				Server: s.url, ClientID: c.Client.ID, ClientSecret: c.ClientSecret,
				Patient:  ehr.Patient{GivenName: "Ada", FamilyName: "Lovelace", Phone: "+447700900123"}, // the queues' facility
				Webhooks: hooks, WebhookSecret: ep.Secret, CheckedIn: func(tk ehr.Ticket) { ticket <- tk },
			}, out)
		}()
		var tk ehr.Ticket
		select {
		case tk = <-ticket:
		case err := <-done:
			t.Fatalf("the example stopped before checking in: %v\n%s", err, out.String())
		}
		require.Eventually(t, func() bool { return strings.Contains(out.String(), "4. live: "+tk.Code+" WAITING") }, 30*time.Second, 20*time.Millisecond, out.String())
		s.ok(t, admin, `mutation($q:ID!,$s:ID!){ callNext(queueID:$q, servicePointID:$s){ id } }`, map[string]any{"q": queue, "s": sp.ID}, "callNext", nil)
		require.Eventually(t, func() bool { return strings.Contains(out.String(), "CALLED → Room 1") }, 30*time.Second, 20*time.Millisecond, out.String())
		s.ok(t, admin, `mutation($t:ID!){ startService(ticketID:$t){ id } }`, map[string]any{"t": tk.ID}, "startService", nil)
		s.ok(t, admin, `mutation($t:ID!){ completeTicket(ticketID:$t){ id } }`, map[string]any{"t": tk.ID}, "completeTicket", nil)
		require.NoError(t, <-done, out.String())

		got := out.String()
		for _, want := range []string{
			"1. got an access token", "2. 1 open queues; using Blood tests", "3. checked in: ticket " + tk.Code,
			tk.Code + " COMPLETED", // IN_SERVICE may be folded into the next state: the stream converges, it need not replay "the visit is over: COMPLETED",
			"as a FHIR Encounter: Encounter/" + tk.ID + " finished at Room 1",
			"5. webhook (signature verified): ticket.checkedIn " + tk.Code,
			"5. webhook (signature verified): ticket.called " + tk.Code,
			"5. webhook (signature verified): ticket.completed " + tk.Code,
		} {
			require.Contains(t, got, want)
		}

		// The same client's free-form query is refused: it is held to its trusted documents.
		grant := s.token(t, formType, "grant_type=client_credentials", basic(c.Client.ID, c.ClientSecret))
		r = s.gql(t, grant.AccessToken, `{ queues(first: 5) { edges { node { id } } } }`, nil)
		require.Equal(t, "PERSISTED_QUERY_REQUIRED", r.code(), r.Raw)
	})
}

func departmentOf(t *testing.T, s *testServer, token, queue string) string {
	t.Helper()
	var q struct{ DepartmentID string }
	s.ok(t, token, `query($q:ID!){ node(id:$q){ ... on Queue { departmentID } } }`, map[string]any{"q": queue}, "node", &q)
	return q.DepartmentID
}
