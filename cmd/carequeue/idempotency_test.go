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
