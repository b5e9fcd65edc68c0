package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestSubscriptionsShareOnlyWithEqualRights: identical subscriptions (document, variables) run once per
// change for the viewers with the same rights, and never across rights: two receptionists of the
// facility share one execution; a clinician, the patient whose ticket it is, another patient and a
// receptionist of another facility each get their own, and each sees exactly what it may (the other
// patient and the other facility are refused while the ticket's groups run).
func TestSubscriptionsShareOnlyWithEqualRights(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, codesInTheLog)
		h := setupHospital(t, s)
		ann := h.checkIn(t, s, h.triage, "Ann", "STANDARD") // +33612345678
		s.ok(t, h.reception, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, patient:{givenName:"Bob", familyName:"P", facilityID:$f, phone:"+33699999999"}}){ id } }`,
			map[string]any{"q": h.triage, "f": h.facility}, "checkIn", nil)
		annTok := patientSession(t, s, h, "+33612345678")
		bobTok := patientSession(t, s, h, "+33699999999")
		var other node
		s.ok(t, h.admin, `mutation{ createFacility(input:{name:"Elsewhere", timezone:"Europe/Paris"}){ id } }`, nil, "createFacility", &other)
		s.ok(t, h.admin, `mutation($f:ID!){ createUser(input:{email:"far@test.org",name:"Far",role:RECEPTIONIST,facilityID:$f}, password:"a-long-password-1"){ id } }`,
			map[string]any{"f": other.ID}, "createUser", nil)
		far, _ := s.login(t, "far@test.org", "a-long-password-1")

		const doc = `subscription($t:ID!){ ticketChanged(ticketID:$t){ version ticket{ code status } } }`
		vars := map[string]any{"t": ann.ID}
		type update struct {
			Data *struct {
				TicketChanged struct {
					Version int
					Ticket  struct{ Code, Status string }
				}
			}
			Errors []struct {
				Extensions struct{ Code string }
			}
		}
		next := func(c *websocket.Conn) update {
			t.Helper()
			m := s.read(t, c)
			require.Equal(t, "next", m.Type, string(m.Payload))
			var u update
			require.NoError(t, json.Unmarshal(m.Payload, &u), string(m.Payload))
			return u
		}
		before := s.scrapeMetrics(t)

		watchers := map[string]*websocket.Conn{
			"reception 1": s.subscribe(t, h.reception, doc, vars),
			"reception 2": s.subscribe(t, h.reception, doc, vars),
			"clinician":   s.subscribe(t, h.clinician, doc, vars),
			"Ann":         s.subscribe(t, annTok, doc, vars),
		}
		for who, c := range watchers {
			u := next(c)
			require.Empty(t, u.Errors, who)
			require.Equal(t, ann.Code, u.Data.TicketChanged.Ticket.Code, who)
			require.Equal(t, "WAITING", u.Data.TicketChanged.Ticket.Status, who)
		}
		// The same document and variables, while those groups run: refused as before.
		for who, c := range map[string]*websocket.Conn{
			"Bob (another patient)":              s.subscribe(t, bobTok, doc, vars),
			"a receptionist of another facility": s.subscribe(t, far, doc, vars),
		} {
			u := next(c)
			require.Nil(t, u.Data, who)
			require.NotEmpty(t, u.Errors, who)
			require.Contains(t, []string{"FORBIDDEN", "NOT_FOUND"}, u.Errors[0].Extensions.Code, who)
			require.Equal(t, "complete", s.read(t, c).Type, who)
		}
		// Reception (shared), clinician and Ann: three groups for four watchers.
		require.Eventually(t, func() bool { return s.scrapeMetrics(t)["carequeue_subscription_groups"] == 3 },
			5*time.Second, 20*time.Millisecond)

		mid := s.scrapeMetrics(t)
		h.callTriageNext(t, s)
		called := map[string]int{}
		for who, c := range watchers {
			u := next(c)
			require.Equal(t, "CALLED", u.Data.TicketChanged.Ticket.Status, who)
			called[who] = u.Data.TicketChanged.Version
		}
		after := s.scrapeMetrics(t)
		const exec, deliv = "carequeue_subscription_executions_total", "carequeue_subscription_deliveries_total"
		require.InDelta(t, 3, after[exec]-mid[exec], 0, "one execution per group")
		require.InDelta(t, 4, after[deliv]-mid[deliv], 0, "one delivery per watcher")
		// Before the change: 4 watchers' first states from 3 executions, and 2 refusals.
		require.InDelta(t, 5, mid[exec]-before[exec], 0)

		// The group outlives whichever member waited for its changes: the other receptionist goes on.
		require.NoError(t, watchers["reception 1"].Close())
		h.checkIn(t, s, h.triage, "Cy", "STANDARD") // a change of Ann's queue: her watchers get its version
		for _, who := range []string{"reception 2", "clinician", "Ann"} {
			u := next(watchers[who])
			require.Equal(t, "CALLED", u.Data.TicketChanged.Ticket.Status, who)
			require.Equal(t, called[who]+1, u.Data.TicketChanged.Version, who)
		}
		require.Eventually(t, func() bool { return s.scrapeMetrics(t)["carequeue_subscription_groups"] == 3 },
			5*time.Second, 20*time.Millisecond)
	})
}
