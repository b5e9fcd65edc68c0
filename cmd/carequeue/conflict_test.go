package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestConflictsSayWhatHappened: an action that comes too late is refused through GraphQL with what
// happened to the ticket in staff's words: where, when (the facility's clock: Paris, en-GB) and by whom,
// never a status code or the patient's name.
func TestConflictsSayWhatHappened(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		tk := h.checkIn(t, s, h.triage, "Zebedee", "STANDARD")
		var step struct {
			Code               string
			StartedAt, EndedAt *time.Time
		}
		s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ code } }`,
			map[string]any{"q": h.triage, "sp": h.room1}, "callNext", &step)
		s.ok(t, h.clinician, `mutation($t:ID!){ startService(ticketID:$t){ code startedAt } }`, map[string]any{"t": tk.ID}, "startService", &step)
		require.NotNil(t, step.StartedAt)

		refused := func(token, query string) string {
			t.Helper()
			r := s.gql(t, token, query, map[string]any{"t": tk.ID})
			require.Equal(t, "CONFLICT", r.code(), r.Raw)
			msg := r.Errors[0].Message
			require.NotContains(t, msg, "Zebedee", "no patient's name")
			require.NotRegexp(t, `\b(WAITING|CALLED|IN_SERVICE|COMPLETED|NO_SHOW|CANCELLED|TRANSFERRED)\b`, msg)
			return msg
		}
		require.Equal(t, step.Code+" is already being seen in Room 1 by doc@test.org since "+step.StartedAt.In(paris).Format("15:04")+
			"; complete the visit instead",
			refused(h.reception, `mutation($t:ID!){ cancelTicket(ticketID:$t, reason:"left"){ id } }`))

		s.ok(t, h.clinician, `mutation($t:ID!){ completeTicket(ticketID:$t){ code endedAt } }`, map[string]any{"t": tk.ID}, "completeTicket", &step)
		require.NotNil(t, step.EndedAt)
		done := step.Code + " has already been completed at " + step.EndedAt.In(paris).Format("15:04") + " by doc@test.org"
		require.Equal(t, done, refused(h.clinician, `mutation($t:ID!){ completeTicket(ticketID:$t){ id } }`))
		require.Equal(t, done, refused(h.clinician, `mutation($t:ID!){ markNoShow(ticketID:$t){ id } }`))
		require.Equal(t, done, refused(h.reception, `mutation($t:ID!){ transferTicket(ticketID:$t, queueID:"`+h.lab+`"){ id } }`))
	})
}
