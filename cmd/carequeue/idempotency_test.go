package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestWorkflowRetriesWithAKeyChangeNothing replays clinician actions with their idempotency keys, as
// an offline dashboard does when the network returns.
func TestWorkflowRetriesWithAKeyChangeNothing(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		first := h.checkIn(t, s, h.triage, "Ann", "STANDARD")
		h.checkIn(t, s, h.triage, "Bob", "STANDARD")
		call := `mutation($q:ID!,$sp:ID!,$k:String){ callNext(queueID:$q, servicePointID:$sp, idempotencyKey:$k){ id status } }`
		vars := map[string]any{"q": h.triage, "sp": h.room1, "k": "9b2f7c1e-offline-1"}
		var a, b node
		s.ok(t, h.clinician, call, vars, "callNext", &a)
		s.ok(t, h.clinician, call, vars, "callNext", &b)
		require.Equal(t, first.ID, a.ID)
		require.Equal(t, a.ID, b.ID, "the replay calls nobody else")
		var snap struct{ Waiting []node }
		s.ok(t, h.clinician, `query($q:ID!){ queueSnapshot(queueID:$q){ waiting{ id } } }`, map[string]any{"q": h.triage}, "queueSnapshot", &snap)
		require.Len(t, snap.Waiting, 1)

		r := s.gql(t, h.clinician, `mutation($t:ID!,$k:String){ markNoShow(ticketID:$t, idempotencyKey:$k){ id } }`,
			map[string]any{"t": a.ID, "k": "9b2f7c1e-offline-1"})
		require.Equal(t, "CONFLICT", r.code(), r.Raw)
		r = s.gql(t, h.clinician, `mutation($t:ID!,$k:String){ recallTicket(ticketID:$t, idempotencyKey:$k){ id } }`,
			map[string]any{"t": a.ID, "k": strings.Repeat("x", 129)})
		require.Equal(t, "BAD_USER_INPUT", r.code(), r.Raw)
	})
}

// TestIdempotencyKeysAreScoped: a key belongs to one account and to one action on one target with one
// payload. Reusing it for anything else is CONFLICT, never the first call's result (issue 12 saw a reused
// key return another patient's ticket, and callNext on a second queue return the first queue's ticket
// while calling nobody). Another account's identical key is its own.
func TestIdempotencyKeysAreScoped(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		var labRoom node
		s.ok(t, h.admin, `mutation($d:ID!,$q:ID!){ createServicePoint(input:{name:"Lab bay", departmentID:$d, queueIDs:[$q]}){ id } }`,
			map[string]any{"d": h.dept, "q": h.lab}, "createServicePoint", &labRoom)
		checkIn := `mutation($q:ID!,$f:ID!,$n:String!,$k:String){ checkIn(input:{queueID:$q, idempotencyKey:$k,
			patient:{givenName:$n, familyName:"Scope", facilityID:$f}}){ id } }`
		var ann node
		s.ok(t, h.reception, checkIn, map[string]any{"q": h.triage, "f": h.facility, "n": "Ann", "k": "k-checkin"}, "checkIn", &ann)
		h.checkIn(t, s, h.lab, "Lab patient", "STANDARD")
		h.checkIn(t, s, h.triage, "Bob", "STANDARD")

		call := `mutation($q:ID!,$sp:ID!,$k:String){ callNext(queueID:$q, servicePointID:$sp, idempotencyKey:$k){ id } }`
		var first node
		s.ok(t, h.clinician, call, map[string]any{"q": h.triage, "sp": h.room1, "k": "k-call"}, "callNext", &first)
		require.Equal(t, ann.ID, first.ID)

		for _, c := range []struct {
			name, token, query string
			vars               map[string]any
		}{
			{"CheckInOfAnotherPatient", h.reception, checkIn, map[string]any{"q": h.triage, "f": h.facility, "n": "Eve", "k": "k-checkin"}},
			{"CheckInToAnotherQueue", h.reception, checkIn, map[string]any{"q": h.lab, "f": h.facility, "n": "Ann", "k": "k-checkin"}},
			{"CallNextOnAnotherQueue", h.clinician, call, map[string]any{"q": h.lab, "sp": labRoom.ID, "k": "k-call"}},
			{"AnotherActionOnTheSameTicket", h.clinician, `mutation($t:ID!,$k:String){ startService(ticketID:$t, idempotencyKey:$k){ id } }`,
				map[string]any{"t": first.ID, "k": "k-call"}},
		} {
			r := s.gql(t, c.token, c.query, c.vars)
			require.Equal(t, "CONFLICT", r.code(), "%s: %s", c.name, r.Raw)
			require.NotContains(t, r.Raw, first.ID, c.name)
			require.NotContains(t, r.Raw, ann.ID, c.name)
		}
		// Nobody else was called by the refused callNext: the lab patient still waits.
		var lab struct{ Waiting []node }
		s.ok(t, h.clinician, `query($q:ID!){ queueSnapshot(queueID:$q){ waiting{ id } } }`, map[string]any{"q": h.lab}, "queueSnapshot", &lab)
		require.Len(t, lab.Waiting, 1)

		// The same key from another account is that account's own: it calls the next patient.
		var other node
		s.ok(t, h.admin, call, map[string]any{"q": h.triage, "sp": h.room1, "k": "k-call"}, "callNext", &other)
		require.NotEqual(t, first.ID, other.ID)
		require.NotEmpty(t, other.ID)
	})
}
