package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

func TestAPIFlow(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)

		a := h.checkIn(t, s, h.triage, "Ann", "STANDARD")
		b := h.checkIn(t, s, h.triage, "Ben", "VERY_URGENT")
		require.Equal(t, "E-001", a.Code)
		require.Equal(t, "E-002", b.Code)

		// The check-in's message was enqueued in its transaction and handled after commit, by the log
		// sender here (no SMS provider is configured): recorded LOGGED, never SENT.
		require.Eventually(t, func() bool {
			r := s.gql(t, h.admin, `query($t:String!){ notifications(first:100, where:{ticketID:$t, kind:"checked_in", status:LOGGED}){ totalCount } }`, map[string]any{"t": a.ID})
			return len(r.Errors) == 0 && string(r.Data["notifications"]) == `{"totalCount":1}`
		}, 15*time.Second, 200*time.Millisecond, "checked-in message sent once")

		var called node
		s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id code status } }`,
			map[string]any{"q": h.triage, "sp": h.room1}, "callNext", &called)
		require.Equal(t, b.ID, called.ID, "the very urgent patient first")
		require.Equal(t, "CALLED", called.Status)

		var snap struct {
			Version int
			Waiting []struct {
				Code     string
				Position int
				Patient  struct{ GivenName string }
			}
			Called []struct{ Code string }
		}
		s.ok(t, h.clinician, `query($q:ID!){ queueSnapshot(queueID:$q){ version waiting{ code position patient{ givenName } } called{ code } } }`,
			map[string]any{"q": h.triage}, "queueSnapshot", &snap)
		require.Len(t, snap.Waiting, 1)
		require.Equal(t, 1, snap.Waiting[0].Position)
		require.Equal(t, "Ann", snap.Waiting[0].Patient.GivenName)
		require.Equal(t, "E-002", snap.Called[0].Code)

		for _, step := range []string{"startService", "completeTicket"} {
			var n node
			s.ok(t, h.clinician, `mutation($t:ID!){ `+step+`(ticketID:$t){ id status } }`, map[string]any{"t": b.ID}, step, &n)
		}
		var moved node
		s.ok(t, h.reception, `mutation($t:ID!,$q:ID!){ transferTicket(ticketID:$t, queueID:$q){ id code status } }`,
			map[string]any{"t": a.ID, "q": h.lab}, "transferTicket", &moved)
		require.Equal(t, "L-001", moved.Code)

		// node(id:) resolves any type in one lookup; nodes(ids:) keeps order.
		var got struct{ Code string }
		s.ok(t, h.clinician, `query($id:ID!){ node(id:$id){ ... on Ticket { code } } }`, map[string]any{"id": moved.ID}, "node", &got)
		require.Equal(t, "L-001", got.Code)
		var many []struct{ ID string }
		s.ok(t, h.clinician, `query($ids:[ID!]!){ nodes(ids:$ids){ id } }`, map[string]any{"ids": []string{h.lab, moved.ID}}, "nodes", &many)
		require.Equal(t, h.lab, many[0].ID)

		// The public status page needs no sign-in and shows no name.
		var tok struct{ StatusToken string }
		s.ok(t, h.reception, `query($id:ID!){ node(id:$id){ ... on Ticket { statusToken } } }`, map[string]any{"id": moved.ID}, "node", &tok)
		r := s.gql(t, "", `query($t:String!){ publicTicketStatus(token:$t){ code status position } }`, map[string]any{"t": tok.StatusToken})
		require.Empty(t, r.Errors, r.Raw)
		require.JSONEq(t, `{"code":"L-001","status":"WAITING","position":1}`, string(r.Data["publicTicketStatus"]))

		// Every mutation left an audit entry with who, from where and which request.
		var audit struct {
			Edges []struct {
				Node struct{ Action, ActorRole, RequestID, Address string }
			}
		}
		s.ok(t, h.admin, `{ auditEntries(first:100, where:{entityType:"Ticket"}){ edges{ node{ action actorRole requestID address } } } }`, nil, "auditEntries", &audit)
		actions := map[string]bool{}
		for _, e := range audit.Edges {
			actions[e.Node.Action] = true
			require.NotEmpty(t, e.Node.RequestID)
			require.Equal(t, "127.0.0.1", e.Node.Address)
			require.Contains(t, []string{"RECEPTIONIST", "CLINICIAN"}, e.Node.ActorRole)
		}
		for _, a := range []string{"ticket.checkIn", "ticket.callNext", "ticket.start", "ticket.complete", "ticket.transfer", "ticket.transferIn"} {
			require.True(t, actions[a], "audit has %s", a)
		}

		// Staff of one facility see nothing of another.
		var other node
		s.ok(t, h.admin, `mutation{ createFacility(input:{name:"Elsewhere"}){ id } }`, nil, "createFacility", &other)
		r = s.gql(t, h.clinician, `query($id:ID!){ node(id:$id){ id } }`, map[string]any{"id": other.ID})
		require.Equal(t, "NOT_FOUND", r.code(), r.Raw)
	})
}
