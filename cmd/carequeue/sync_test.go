package main

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

const syncPush = `mutation($ops:[SyncOperationInput!]!){ syncPush(operations:$ops){
	sequence idempotencyKey status ticket{ id code status } error{ code message field reason dependsOn } } }`

type syncResult struct {
	Sequence       int
	IdempotencyKey string
	Status         string
	Ticket         *node
	Error          *struct {
		Code, Message string
		Field, Reason *string
		DependsOn     *int
	}
}

type syncPushed struct{ Results []syncResult }

func (p syncPushed) count(status string) int {
	n := 0
	for _, r := range p.Results {
		if r.Status == status {
			n++
		}
	}
	return n
}

func (s *testServer) push(t *testing.T, token string, ops ...map[string]any) syncPushed {
	t.Helper()
	var out syncPushed
	s.ok(t, token, syncPush, map[string]any{"ops": ops}, "syncPush", &out.Results)
	require.Len(t, out.Results, len(ops))
	return out
}

func op(seq int, kind, key string, args map[string]any) map[string]any {
	m := map[string]any{"sequence": seq, "kind": kind, "idempotencyKey": key}
	for k, v := range args {
		m[k] = v
	}
	return m
}

func (r syncResult) code() string {
	if r.Error == nil {
		return ""
	}
	return r.Error.Code
}

// syncState is what a refused batch must leave as it was: the tickets, the queues' versions and the
// audit entries of changes (refusals and reads add their own).
func (s *testServer) syncState(t *testing.T, admin string) string {
	t.Helper()
	r := s.gql(t, admin, `{ tickets(first:100){ totalCount edges{ node{ id status } } } queues(first:100){ edges{ node{ id version } } }
		auditEntries(first:100, where:{actionNotIn:["patient.read", "access.denied", "request.refused"]}){ totalCount } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	return r.Raw
}

// TestSyncPush: a dashboard back from offline sends its queued actions as one batch (issue 14).
func TestSyncPush(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		ann := h.checkIn(t, s, h.triage, "Ann", "STANDARD")
		bob := h.checkIn(t, s, h.triage, "Bob", "STANDARD")
		cara := h.checkIn(t, s, h.triage, "Cara", "STANDARD")
		newPatient := func(name string) map[string]any {
			return map[string]any{"queueID": h.lab, "patient": map[string]any{"givenName": name, "familyName": "Sync", "facilityID": h.facility}}
		}
		shift := []map[string]any{
			op(41, "CALL", "off-1", map[string]any{"queueID": h.triage, "servicePointID": h.room1}),
			op(42, "START", "off-2", map[string]any{"ticketID": ann.ID}),
			op(43, "COMPLETE", "off-3", map[string]any{"ticketID": ann.ID, "note": "seen"}),
			op(44, "CALL", "off-4", map[string]any{"queueID": h.triage, "servicePointID": h.room1}),
			op(45, "RETRIAGE", "off-5", map[string]any{"ticketID": cara.ID, "triageLevel": "URGENT", "reason": "pain"}),
			op(46, "CHECK_IN", "off-6", map[string]any{"checkIn": newPatient("Dan")}),
		}

		var first syncPushed
		t.Run("AppliesInOrder", func(t *testing.T) {
			first = s.push(t, h.clinician, shift...)
			require.Equal(t, 6, first.count("APPLIED"), "%+v", first)
			for i, r := range first.Results {
				require.Equal(t, 41+i, r.Sequence)
				require.Equal(t, shift[i]["idempotencyKey"], r.IdempotencyKey)
				require.Equal(t, "APPLIED", r.Status, "%d: %+v", i, r.Error)
				require.NotNil(t, r.Ticket)
			}
			require.Equal(t, ann.ID, first.Results[0].Ticket.ID)
			require.Equal(t, "COMPLETED", first.Results[2].Ticket.Status)
			require.Equal(t, bob.ID, first.Results[3].Ticket.ID, "the second call takes the next patient")
			require.Equal(t, "WAITING", first.Results[5].Ticket.Status)
		})

		t.Run("ReplayReturnsTheSameResultAndChangesNothing", func(t *testing.T) {
			before := s.syncState(t, h.admin)
			again := s.push(t, h.clinician, shift...)
			require.Equal(t, 6, again.count("APPLIED"))
			for i := range shift {
				require.Equal(t, first.Results[i].Ticket.ID, again.Results[i].Ticket.ID, "operation %d", i)
			}
			require.Equal(t, before, s.syncState(t, h.admin), "a replayed batch calls nobody and checks nobody in")
			// The ordinary mutation with a key the batch used agrees with it.
			var n node
			s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp, idempotencyKey:"off-4"){ id } }`,
				map[string]any{"q": h.triage, "sp": h.room1}, "callNext", &n)
			require.Equal(t, bob.ID, n.ID)
		})

		t.Run("KeyOfTheMutationReplaysInTheBatch", func(t *testing.T) {
			var n node
			s.ok(t, h.reception, `mutation($t:ID!){ retriageTicket(ticketID:$t, triageLevel:VERY_URGENT, idempotencyKey:"desk-1"){ id } }`,
				map[string]any{"t": cara.ID}, "retriageTicket", &n)
			before := s.syncState(t, h.admin)
			res := s.push(t, h.reception, op(1, "RETRIAGE", "desk-1", map[string]any{"ticketID": cara.ID, "triageLevel": "VERY_URGENT"}))
			require.Equal(t, "APPLIED", res.Results[0].Status)
			require.Equal(t, cara.ID, res.Results[0].Ticket.ID)
			require.Equal(t, before, s.syncState(t, h.admin))
		})

		t.Run("SameKeyOtherPayloadIsConflictAndDependentsAreSkipped", func(t *testing.T) {
			before := s.syncState(t, h.admin)
			res := s.push(t, h.clinician,
				op(1, "NO_SHOW", "off-4", map[string]any{"ticketID": bob.ID}),
				op(2, "START", "fresh-1", map[string]any{"ticketID": bob.ID}),
				op(3, "RETRIAGE", "off-5", map[string]any{"ticketID": cara.ID, "triageLevel": "STANDARD", "reason": "pain"}),
				op(4, "CHECK_IN", "fresh-2", map[string]any{"checkIn": newPatient("Eve")}),
			)
			require.Equal(t, []string{"FAILED", "SKIPPED", "FAILED", "APPLIED"},
				[]string{res.Results[0].Status, res.Results[1].Status, res.Results[2].Status, res.Results[3].Status}, "%+v", res)
			require.Equal(t, "CONFLICT", res.Results[0].code())
			require.Equal(t, "idempotencyKey", *res.Results[0].Error.Field)
			require.Nil(t, res.Results[0].Ticket)
			require.Equal(t, "DEPENDS_ON_FAILED", *res.Results[1].Error.Reason)
			require.Equal(t, 1, *res.Results[1].Error.DependsOn)
			require.Equal(t, "CONFLICT", res.Results[2].code())
			require.Equal(t, []int{1, 2, 1}, []int{res.count("APPLIED"), res.count("FAILED"), res.count("SKIPPED")})
			require.NotEqual(t, before, s.syncState(t, h.admin), "only Eve's check-in was applied")
			var bobNow node
			s.ok(t, h.clinician, `query($id:ID!){ node(id:$id){ ... on Ticket { id status } } }`, map[string]any{"id": bob.ID}, "node", &bobNow)
			require.Equal(t, "CALLED", bobNow.Status, "neither the refused no-show nor the skipped start touched Bob")
			// The skipped operation's key is unused: sent again on its own, it is applied.
			res = s.push(t, h.clinician, op(2, "START", "fresh-1", map[string]any{"ticketID": bob.ID}))
			require.Equal(t, "APPLIED", res.Results[0].Status)
			require.Equal(t, "IN_SERVICE", res.Results[0].Ticket.Status)
		})

		t.Run("FailedOperationsSayWhyWithoutLeaking", func(t *testing.T) {
			var n node
			s.ok(t, h.admin, `mutation{ createFacility(input:{name:"Elsewhere"}){ id } }`, nil, "createFacility", &n)
			s.ok(t, h.admin, `mutation($f:ID!){ createDepartment(input:{name:"Far", facilityID:$f}){ id } }`, map[string]any{"f": n.ID}, "createDepartment", &n)
			s.ok(t, h.admin, `mutation($d:ID!){ createQueue(input:{name:"Far", prefix:"F", ordering:FIFO, active:true, departmentID:$d}){ id } }`,
				map[string]any{"d": n.ID}, "createQueue", &n)
			farQueue := n.ID
			res := s.push(t, h.clinician,
				op(1, "COMPLETE", "bad-1", map[string]any{"ticketID": cara.ID}),
				op(2, "START", "bad-2", map[string]any{"ticketID": "TK' OR 1=1 --"}),
				op(3, "CHECK_IN", "bad-3", map[string]any{"checkIn": map[string]any{"queueID": farQueue, "patientID": ann.ID}}),
				op(4, "CANCEL", "bad-4", map[string]any{"ticketID": cara.ID, "reason": "x"}),
			)
			require.Equal(t, "CONFLICT", res.Results[0].code(), "%+v", res.Results[0].Error)
			require.Equal(t, "NOT_FOUND", res.Results[1].code())
			require.Contains(t, []string{"NOT_FOUND", "FORBIDDEN"}, res.Results[2].code())
			require.Equal(t, "SKIPPED", res.Results[3].Status, "Cara's cancel depended on her failed completion")
			raw, _ := json.Marshal(res)
			for _, leak := range []string{"SELECT", "sqlite", "SQLSTATE", ".go:", "Ann", farQueue} {
				require.NotContains(t, string(raw), leak)
			}
		})

		t.Run("ErrRefusedBatchesChangeNothing", func(t *testing.T) {
			good := op(1, "CHECK_IN", "whole-1", map[string]any{"checkIn": newPatient("Fay")})
			tooMany := make([]map[string]any, 1001)
			for i := range tooMany {
				tooMany[i] = op(i, "START", fmt.Sprintf("many-%d", i), map[string]any{"ticketID": bob.ID})
			}
			for _, c := range []struct {
				name          string
				ops           []map[string]any
				field, reason string
			}{
				{"Gap", []map[string]any{good, op(3, "START", "whole-2", map[string]any{"ticketID": bob.ID})}, "operations[1].sequence", "SEQUENCE_GAP"},
				{"DuplicateKey", []map[string]any{good, op(2, "START", "whole-1", map[string]any{"ticketID": bob.ID})}, "operations[1].idempotencyKey", "DUPLICATE_KEY"},
				{"MissingField", []map[string]any{good, op(2, "START", "whole-2", nil)}, "operations[1].ticketID", "MALFORMED_OPERATION"},
				{"FieldNotTaken", []map[string]any{good, op(2, "NO_SHOW", "whole-2", map[string]any{"ticketID": bob.ID, "note": "x"})}, "operations[1].note", "MALFORMED_OPERATION"},
				{"SystemKind", []map[string]any{good, op(2, "ESCALATE", "whole-2", map[string]any{"ticketID": bob.ID})}, "operations[1].kind", "MALFORMED_OPERATION"},
				{"EmptyKey", []map[string]any{good, op(2, "START", "", map[string]any{"ticketID": bob.ID})}, "operations[1].idempotencyKey", "MALFORMED_OPERATION"},
				{"TooLarge", tooMany, "operations", "BATCH_TOO_LARGE"},
			} {
				before := s.syncState(t, h.admin)
				r := s.gql(t, h.reception, syncPush, map[string]any{"ops": c.ops})
				require.Equal(t, "BAD_USER_INPUT", r.code(), "%s: %s", c.name, r.Raw)
				require.Equal(t, c.field, r.Errors[0].Extensions["field"], "%s: %s", c.name, r.Raw)
				require.Equal(t, c.reason, r.Errors[0].Extensions["reason"], c.name)
				require.Equal(t, before, s.syncState(t, h.admin), c.name)
			}
			// Malformed at the GraphQL level: an unknown kind, a sequence that is not a number.
			for _, bad := range []map[string]any{op(1, "TELEPORT", "x", nil), {"sequence": "one", "kind": "START", "idempotencyKey": "x"}} {
				r := s.gql(t, h.reception, syncPush, map[string]any{"ops": []map[string]any{bad}})
				require.Equal(t, "BAD_USER_INPUT", r.code(), r.Raw)
			}
			var refused struct{ TotalCount int }
			s.ok(t, h.admin, `{ auditEntries(first:1, where:{action:"request.refused"}){ totalCount } }`, nil, "auditEntries", &refused)
			require.Equal(t, 7, refused.TotalCount, "each refused batch is in the audit log")
		})

		t.Run("ErrSignedOut", func(t *testing.T) {
			r := s.gql(t, "", syncPush, map[string]any{"ops": []map[string]any{op(1, "START", "anon", map[string]any{"ticketID": bob.ID})}})
			require.Equal(t, "UNAUTHENTICATED", r.code(), r.Raw)
		})
	})
}

const syncPull = `query($since:String,$first:Int){ syncPull(since:$since, first:$first){
	cursor hasMore events{ id action ticket{ id } } tickets{ id status } } }`

type syncPage struct {
	Cursor  string
	HasMore bool
	Events  []struct {
		ID, Action string
		Ticket     node
	}
	Tickets []node
}

// TestSyncPull: a device that slept catches up through the change feed, page by page, seeing only what
// it may see.
func TestSyncPull(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		pull := func(token string, since *string, first int) syncPage {
			t.Helper()
			var p syncPage
			s.ok(t, token, syncPull, map[string]any{"since": since, "first": first}, "syncPull", &p)
			return p
		}
		var start syncPage
		s.ok(t, h.clinician, syncPull, nil, "syncPull", &start)
		require.Empty(t, start.Events)
		require.False(t, start.HasMore)

		// Another facility with its own staff and patients.
		var n node
		s.ok(t, h.admin, `mutation{ createFacility(input:{name:"Elsewhere"}){ id } }`, nil, "createFacility", &n)
		other := n.ID
		s.ok(t, h.admin, `mutation($f:ID!){ createDepartment(input:{name:"Far", facilityID:$f}){ id } }`, map[string]any{"f": other}, "createDepartment", &n)
		s.ok(t, h.admin, `mutation($d:ID!){ createQueue(input:{name:"Far", prefix:"F", ordering:FIFO, active:true, departmentID:$d}){ id } }`,
			map[string]any{"d": n.ID}, "createQueue", &n)
		farQueue := n.ID
		s.ok(t, h.admin, `mutation($f:ID!){ createUser(input:{email:"far@test.org", name:"Far", role:RECEPTIONIST, facilityID:$f}, password:"a-long-password-1"){ id } }`,
			map[string]any{"f": other}, "createUser", nil)
		far, _ := s.login(t, "far@test.org", "a-long-password-1")
		var farTicket node
		s.ok(t, far, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, patient:{givenName:"Zed", familyName:"Far", facilityID:$f}}){ id } }`,
			map[string]any{"q": farQueue, "f": other}, "checkIn", &farTicket)

		var ours []string
		for _, name := range []string{"Ann", "Bob", "Cara", "Dan", "Eve"} {
			ours = append(ours, h.checkIn(t, s, h.triage, name, "STANDARD").ID)
		}
		var called node
		s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`, map[string]any{"q": h.triage, "sp": h.room1}, "callNext", &called)

		t.Run("PagesInOrderToTheEnd", func(t *testing.T) {
			cursor, pages := start.Cursor, 0
			var events []string
			tickets := map[string]string{}
			for {
				p := pull(h.clinician, &cursor, 2)
				pages++
				require.LessOrEqual(t, len(p.Events), 2)
				for _, e := range p.Events {
					events = append(events, e.Ticket.ID+" "+e.Action)
					require.NotEqual(t, farTicket.ID, e.Ticket.ID, "another facility's event")
				}
				for _, tk := range p.Tickets {
					require.NotEqual(t, farTicket.ID, tk.ID)
					tickets[tk.ID] = tk.Status
				}
				cursor = p.Cursor
				if !p.HasMore {
					break
				}
				require.Less(t, pages, 10)
			}
			want := []string{}
			for _, id := range ours {
				want = append(want, id+" CHECK_IN")
			}
			want = append(want, ours[0]+" CALL")
			require.Equal(t, want, events, "every change once, in the order it happened")
			require.Equal(t, 3, pages)
			require.Equal(t, "CALLED", tickets[ours[0]], "tickets come as they are now")
			require.Equal(t, "WAITING", tickets[ours[4]])

			// The final cursor stays behind the clock: a pull right after repeats what is recent (and
			// a change committed meanwhile would be in it), and brings the new change.
			var done node
			s.ok(t, h.clinician, `mutation($t:ID!){ startService(ticketID:$t){ id } }`, map[string]any{"t": called.ID}, "startService", &done)
			p := pull(h.clinician, &cursor, 100)
			require.False(t, p.HasMore)
			last := p.Events[len(p.Events)-1]
			require.Equal(t, called.ID+" START", last.Ticket.ID+" "+last.Action)
		})

		t.Run("AnotherFacilitySeesOnlyItsOwn", func(t *testing.T) {
			p := pull(far, &start.Cursor, 100)
			require.Len(t, p.Events, 1)
			require.Equal(t, farTicket.ID, p.Events[0].Ticket.ID)
			require.Len(t, p.Tickets, 1)
		})

		t.Run("ErrBadCursorsAndPages", func(t *testing.T) {
			cursorAt := func(at time.Time) string {
				return "c1_" + ulid.MustNew(ulid.Timestamp(at), ulid.DefaultEntropy()).String()
			}
			for _, c := range []struct {
				name, since   string
				first         int
				field, reason string
			}{
				{"Garbage", "yesterday", 10, "since", "CURSOR_MALFORMED"},
				{"EventID", "TE" + ulid.Make().String(), 10, "since", "CURSOR_MALFORMED"},
				{"Injection", "c1_' OR 1=1; DROP TABLE tickets; --", 10, "since", "CURSOR_MALFORMED"},
				{"FromTheFuture", cursorAt(time.Now().Add(time.Hour)), 10, "since", "CURSOR_FROM_FUTURE"},
				{"TooOld", cursorAt(time.Now().Add(-25 * time.Hour)), 10, "since", "RESYNC_REQUIRED"},
				{"ZeroPage", start.Cursor, 0, "first", ""},
				{"HugePage", start.Cursor, 501, "first", ""},
			} {
				r := s.gql(t, h.clinician, syncPull, map[string]any{"since": c.since, "first": c.first})
				require.Equal(t, "BAD_USER_INPUT", r.code(), "%s: %s", c.name, r.Raw)
				require.Equal(t, c.field, r.Errors[0].Extensions["field"], c.name)
				if c.reason != "" {
					require.Equal(t, c.reason, r.Errors[0].Extensions["reason"], c.name)
				}
			}
			r := s.gql(t, "", syncPull, map[string]any{"since": start.Cursor})
			require.Equal(t, "UNAUTHENTICATED", r.code(), r.Raw)
		})
	})
}
