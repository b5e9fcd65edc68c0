package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// TestNeedsAttention covers needsAttention, Ticket.breachForecast and the queue warnings through the
// real server. Escalation itself is the job's (internal/queue TestEscalateOverdue): here escalatedAt is
// written directly, as the job would, to see what staff are shown.
func TestNeedsAttention(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		ann := h.checkIn(t, s, h.triage, "Ann", "STANDARD")
		ben := h.checkIn(t, s, h.triage, "Ben", "NON_URGENT")
		cy := h.checkIn(t, s, h.lab, "Cy", "STANDARD")
		di := h.checkIn(t, s, h.triage, "Di", "URGENT")
		fay := h.checkIn(t, s, h.triage, "Fay", "STANDARD")
		require.Equal(t, "E-004", fay.Code)

		db, err := store.Open(t.Context(), s.env["DATABASE_URL"], s.env["SQLITE_PATH"])
		require.NoError(t, err)
		defer db.Close()
		sys := auth.SystemContext(t.Context())
		now := time.Now()
		// Ann and Ben passed the maximum wait (Ben escalated first, but Ann arrived first); Cy's target
		// has passed. The job would set escalatedAt; here it is written directly.
		for _, id := range []string{ben.ID, ann.ID} {
			db.Ent.Ticket.UpdateOneID(pulid.ID(id)).SetEscalatedAt(now).ExecX(sys)
		}
		// Fay checked herself in at the kiosk, as it were: she awaits triage (A1's check-in sets it).
		db.Ent.Ticket.UpdateOneID(pulid.ID(fay.ID)).SetAwaitingTriage(true).ExecX(sys)
		cyTarget := now.Add(-5 * time.Minute).UTC().Truncate(time.Second)
		db.Ent.Ticket.UpdateOneID(pulid.ID(cy.ID)).SetTargetAt(cyTarget).ExecX(sys)

		t.Run("EscalationJobRunsInTheServer", func(t *testing.T) {
			// Registered as a periodic job that runs at start, then every minute (its work is tested in
			// internal/queue): a completed run proves the wiring.
			require.Eventually(t, func() bool {
				var n int
				require.NoError(t, db.SQL.QueryRowContext(t.Context(),
					"SELECT COUNT(*) FROM river_job WHERE kind = 'queue_escalate_overdue' AND state = 'completed'").Scan(&n))
				return n > 0
			}, 30*time.Second, 100*time.Millisecond)
		})

		const list = `query($d:ID!){ needsAttention(departmentID:$d){ reason since ticket{ code escalatedAt arrivedAt breachForecast{ inMinutes risk targetAt } } } }`
		type item struct {
			Reason string
			Since  time.Time
			Ticket struct {
				Code           string
				EscalatedAt    *time.Time
				ArrivedAt      time.Time
				BreachForecast *struct {
					InMinutes int
					Risk      float64
					TargetAt  time.Time
				}
			}
		}

		t.Run("OrderedByReasonThenWait", func(t *testing.T) {
			for _, token := range []string{h.clinician, h.reception, h.admin} {
				var items []item
				s.ok(t, token, list, map[string]any{"d": h.dept}, "needsAttention", &items)
				var got []string
				for _, it := range items {
					got = append(got, it.Reason+" "+it.Ticket.Code)
				}
				require.Equal(t, []string{"PAST_MAX_WAIT E-001", "PAST_MAX_WAIT E-002", "AWAITING_TRIAGE E-004", "BREACH_PREDICTED L-001"}, got,
					"Di, first in line for a free room, needs nothing")
				require.True(t, items[0].Since.Equal(items[0].Ticket.ArrivedAt), "waiting since arrival")
				require.NotNil(t, items[0].Ticket.EscalatedAt)
				require.True(t, items[2].Since.Equal(items[2].Ticket.ArrivedAt), "awaiting since arrival")
				require.True(t, items[3].Since.Equal(cyTarget), "a breach since its target")
				require.Equal(t, 0, items[3].Ticket.BreachForecast.InMinutes, "already past")
				require.InDelta(t, 1.0, items[3].Ticket.BreachForecast.Risk, 1e-9)
			}
		})

		t.Run("BreachForecastOnTicketsAndSnapshots", func(t *testing.T) {
			r := s.gql(t, h.clinician, `query($a:ID!,$b:ID!){ nodes(ids:[$a,$b]){ ... on Ticket { code breachForecast{ inMinutes } } } }`,
				map[string]any{"a": cy.ID, "b": di.ID})
			require.Empty(t, r.Errors, r.Raw)
			require.JSONEq(t, `[{"code":"L-001","breachForecast":{"inMinutes":0}},{"code":"E-003","breachForecast":null}]`, string(r.Data["nodes"]))
			r = s.gql(t, h.clinician, `query($q:ID!){ queueSnapshot(queueID:$q){ waiting{ code breachForecast{ inMinutes } } } }`, map[string]any{"q": h.lab})
			require.Empty(t, r.Errors, r.Raw)
			require.JSONEq(t, `{"waiting":[{"code":"L-001","breachForecast":{"inMinutes":0}}]}`, string(r.Data["queueSnapshot"]))
		})

		t.Run("ErrOtherFacilityOrNotStaff", func(t *testing.T) {
			var n node
			s.ok(t, h.admin, `mutation{ createFacility(input:{name:"Elsewhere"}){ id } }`, nil, "createFacility", &n)
			other := n.ID
			s.ok(t, h.admin, `mutation($f:ID!){ createDepartment(input:{name:"Clinic", facilityID:$f}){ id } }`, map[string]any{"f": other}, "createDepartment", &n)
			otherDept := n.ID
			s.ok(t, h.admin, `mutation($f:ID!){ createUser(input:{email:"far@test.org", name:"Far", role:CLINICIAN, facilityID:$f}, password:"a-long-password-1"){ id } }`,
				map[string]any{"f": other}, "createUser", nil)
			far, _ := s.login(t, "far@test.org", "a-long-password-1")
			s.ok(t, h.admin, `mutation($f:ID!){ createUser(input:{email:"kiosk@test.org", name:"Lobby", role:KIOSK, facilityID:$f}, password:"a-long-password-1"){ id } }`,
				map[string]any{"f": h.facility}, "createUser", nil)
			kiosk, _ := s.login(t, "kiosk@test.org", "a-long-password-1")
			for _, tc := range []struct {
				name, token, dept, code string
			}{
				{"StaffOfAnotherFacility", far, h.dept, "NOT_FOUND"},
				{"AnotherFacilitysDepartment", h.clinician, otherDept, "NOT_FOUND"},
				{"NoSuchDepartment", h.clinician, "DE-nope", "NOT_FOUND"},
				{"Kiosk", kiosk, h.dept, "FORBIDDEN"},
				{"Anonymous", "", h.dept, "UNAUTHENTICATED"},
			} {
				r := s.gql(t, tc.token, list, map[string]any{"d": tc.dept})
				require.Equal(t, tc.code, r.code(), "%s: %s", tc.name, r.Raw)
				require.NotContains(t, r.Raw, "Ann", tc.name)
			}
			var items []item
			s.ok(t, far, list, map[string]any{"d": otherDept}, "needsAttention", &items)
			require.Empty(t, items, "their own department: nothing to see")
		})

		t.Run("UrgentShareWarning", func(t *testing.T) {
			const q = `query($q:ID!){ queueSnapshot(queueID:$q){ warnings{ kind sharePercent limitPercent } queue{ warnings{ kind } } } queue: node(id:$q){ ... on Queue { warnings{ kind sharePercent limitPercent } } } }`
			r := s.gql(t, h.clinician, q, map[string]any{"q": h.triage})
			require.Empty(t, r.Errors, r.Raw)
			require.JSONEq(t, `{"warnings":[],"queue":{"warnings":[]}}`, string(r.Data["queueSnapshot"]), "nobody served yet")

			// Only very urgent patients are served, one after another, the last still in the room: the
			// urgent group holds all the service time. Until queue.MinShareServed of them, too few for a share.
			names := []string{"Eve", "Fay", "Gus", "Hal", "Ivy", "Jon"}[:queue.MinShareServed]
			for _, name := range names {
				h.checkIn(t, s, h.triage, name, "VERY_URGENT")
			}
			for i := range names {
				var called node
				s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id code } }`,
					map[string]any{"q": h.triage, "sp": h.room1}, "callNext", &called)
				require.Equal(t, fmt.Sprintf("E-%03d", 5+i), called.Code)
				time.Sleep(5 * time.Millisecond) // some service time to share
				if i == len(names)-1 {
					break
				}
				r = s.gql(t, h.clinician, q, map[string]any{"q": h.triage})
				require.Empty(t, r.Errors, r.Raw)
				require.JSONEq(t, `{"warnings":[],"queue":{"warnings":[]}}`, string(r.Data["queueSnapshot"]), "%d served: too few for a share", i+1)
				s.ok(t, h.clinician, `mutation($t:ID!){ startService(ticketID:$t){ id } }`, map[string]any{"t": called.ID}, "startService", nil)
				s.ok(t, h.clinician, `mutation($t:ID!){ completeTicket(ticketID:$t){ id } }`, map[string]any{"t": called.ID}, "completeTicket", nil)
			}
			r = s.gql(t, h.clinician, q, map[string]any{"q": h.triage})
			require.Empty(t, r.Errors, r.Raw)
			const warned = `[{"kind":"URGENT_SHARE_HIGH","sharePercent":100,"limitPercent":50}]`
			require.JSONEq(t, `{"warnings":`+warned+`,"queue":{"warnings":[{"kind":"URGENT_SHARE_HIGH"}]}}`, string(r.Data["queueSnapshot"]))
			require.JSONEq(t, `{"warnings":`+warned+`}`, string(r.Data["queue"]))

			s.ok(t, h.admin, `mutation($q:ID!){ updateQueue(id:$q, input:{urgentShareLimitPercent:100}){ urgentShareLimitPercent maxWaitMinutes } }`,
				map[string]any{"q": h.triage}, "updateQueue", nil)
			r = s.gql(t, h.reception, q, map[string]any{"q": h.triage})
			require.Empty(t, r.Errors, r.Raw)
			require.JSONEq(t, `{"warnings":[],"queue":{"warnings":[]}}`, string(r.Data["queueSnapshot"]), "a limit of 100 never warns")
		})
	})
}
