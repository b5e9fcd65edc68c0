package main

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestPatientSeesOnlyOwnTickets signs a patient in with a one-time code and checks that the same
// privacy rules that serve staff keep every other patient out of reach.
func TestPatientSeesOnlyOwnTickets(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		mine := h.checkIn(t, s, h.triage, "Mine", "STANDARD") // phone +33612345678
		var other node
		s.ok(t, h.reception, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, patient:{givenName:"Other", familyName:"P", facilityID:$f, phone:"+33699999999"}}){ id code } }`,
			map[string]any{"q": h.triage, "f": h.facility}, "checkIn", &other)

		r := s.gql(t, "", `mutation{ requestPatientCode(phone:"+33 6 12 34 56 78") }`, nil)
		require.Empty(t, r.Errors, r.Raw)
		require.JSONEq(t, "true", string(r.Data["requestPatientCode"]))
		// Without an SMS provider the log sender keeps the message for admins.
		var notes struct {
			Edges []struct{ Node struct{ Body string } }
		}
		s.ok(t, h.admin, `{ notifications(where:{kind:"code"}){ edges{ node{ body } } } }`, nil, "notifications", &notes)
		require.Len(t, notes.Edges, 1)
		code := regexp.MustCompile(`\d{6}`).FindString(notes.Edges[0].Node.Body)
		require.NotEmpty(t, code)

		r = s.gql(t, "", `mutation{ verifyPatientCode(phone:"+33612345678", code:"000000"){ accessToken } }`, nil)
		if code != "000000" {
			require.Equal(t, "UNAUTHENTICATED", r.code(), r.Raw)
		}
		var sess struct {
			AccessToken string
			User        struct{ Role string }
		}
		s.ok(t, "", `mutation($c:String!){ verifyPatientCode(phone:"+33612345678", code:$c){ accessToken user{ role } } }`,
			map[string]any{"c": code}, "verifyPatientCode", &sess)
		require.Equal(t, "PATIENT", sess.User.Role)
		pat := sess.AccessToken

		var list struct{ Edges []struct{ Node node } }
		s.ok(t, pat, `{ tickets{ edges{ node{ id code status } } } }`, nil, "tickets", &list)
		require.Len(t, list.Edges, 1, "only the patient's own ticket")
		require.Equal(t, mine.ID, list.Edges[0].Node.ID)

		var pos struct{ Position int }
		s.ok(t, pat, `query($id:ID!){ node(id:$id){ ... on Ticket { position } } }`, map[string]any{"id": mine.ID}, "node", &pos)
		require.Equal(t, 1, pos.Position)

		r = s.gql(t, pat, `query($id:ID!){ node(id:$id){ ... on Ticket { code } } }`, map[string]any{"id": other.ID})
		require.Equal(t, "NOT_FOUND", r.code(), "another patient's ticket does not exist for this viewer: %s", r.Raw)
		r = s.gql(t, pat, `query($q:ID!){ queueSnapshot(queueID:$q){ version } }`, map[string]any{"q": h.triage})
		require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
		r = s.gql(t, pat, `{ patients{ totalCount } }`, nil)
		require.Empty(t, r.Errors, r.Raw)
		require.JSONEq(t, `{"totalCount":1}`, string(r.Data["patients"]))
		r = s.gql(t, pat, `mutation($t:ID!){ cancelTicket(ticketID:$t, reason:"no"){ id } }`, map[string]any{"t": other.ID})
		require.Equal(t, "NOT_FOUND", r.code(), r.Raw)
		r = s.gql(t, pat, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`, map[string]any{"q": h.triage, "sp": h.room1})
		require.Contains(t, []string{"FORBIDDEN", "NOT_FOUND"}, r.code(), r.Raw)
		r = s.gql(t, pat, `{ auditEntries{ totalCount } }`, nil)
		require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
	})
}
