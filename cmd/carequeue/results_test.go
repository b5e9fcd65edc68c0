package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestMutationResultsLoadTheirEdges selects edges on what mutations return: the result is resolved after
// the workflow's transaction has committed, and the sign-in result before the client holds its token.
func TestMutationResultsLoadTheirEdges(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		var sess struct {
			User struct {
				Role     string
				Facility struct{ Name, Timezone string }
			}
		}
		s.ok(t, "", `mutation{ login(email:"desk@test.org", password:"a-long-password-1"){ user{ role facility{ name timezone } } } }`, nil, "login", &sess)
		require.Equal(t, "General", sess.User.Facility.Name)
		require.Equal(t, "Europe/Paris", sess.User.Facility.Timezone)

		var tk struct {
			Code    string
			Queue   struct{ Name string }
			Patient struct{ GivenName string }
		}
		s.ok(t, h.reception, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, patient:{givenName:"Edge", familyName:"Case", facilityID:$f}}){ code queue{ name } patient{ givenName } } }`,
			map[string]any{"q": h.triage, "f": h.facility}, "checkIn", &tk)
		require.Equal(t, "Triage", tk.Queue.Name)
		require.Equal(t, "Edge", tk.Patient.GivenName)

		var called struct {
			ServicePoint struct{ Name string }
		}
		s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ servicePoint{ name } } }`,
			map[string]any{"q": h.triage, "sp": h.room1}, "callNext", &called)
		require.Equal(t, "Room 1", called.ServicePoint.Name)

		// The audit log says what the call changed.
		var audits struct {
			Edges []struct {
				Node struct {
					Changes []struct{ Field, Before, After string }
				}
			}
		}
		s.ok(t, h.admin, `{ auditEntries(first:50, where:{action:"ticket.callNext"}){ edges{ node{ changes{ field before after } } } } }`, nil, "auditEntries", &audits)
		require.Len(t, audits.Edges, 1)
		changed := map[string][2]string{}
		for _, c := range audits.Edges[0].Node.Changes {
			changed[c.Field] = [2]string{c.Before, c.After}
		}
		require.Equal(t, [2]string{`"WAITING"`, `"CALLED"`}, changed["status"])
		require.NotContains(t, changed, "code", "unchanged fields are left out")

		// A transferred ticket's public page learns where the patient went.
		var old struct{ ID, StatusToken string }
		s.ok(t, h.reception, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, patient:{givenName:"Moved", familyName:"On", facilityID:$f}}){ id statusToken } }`,
			map[string]any{"q": h.triage, "f": h.facility}, "checkIn", &old)
		var moved struct{ StatusToken string }
		s.ok(t, h.reception, `mutation($t:ID!,$q:ID!){ transferTicket(ticketID:$t, queueID:$q){ statusToken } }`,
			map[string]any{"t": old.ID, "q": h.lab}, "transferTicket", &moved)
		var st struct {
			Status    string
			NextToken *string
		}
		s.ok(t, "", `query($t:String!){ publicTicketStatus(token:$t){ status nextToken } }`, map[string]any{"t": old.StatusToken}, "publicTicketStatus", &st)
		require.Equal(t, "TRANSFERRED", st.Status)
		require.NotNil(t, st.NextToken)
		require.Equal(t, moved.StatusToken, *st.NextToken)
	})
}
