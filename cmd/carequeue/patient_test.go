package main

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestPatientSeesOnlyOwnTickets signs a patient in with a one-time code and checks that the same
// privacy rules that serve staff keep every other patient out of reach.
func TestPatientSeesOnlyOwnTickets(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, codesInTheLog)
		h := setupHospital(t, s)
		mine := h.checkIn(t, s, h.triage, "Mine", "STANDARD") // phone +33612345678
		var other node
		s.ok(t, h.reception, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, patient:{givenName:"Other", familyName:"P", facilityID:$f, phone:"+33699999999"}}){ id code } }`,
			map[string]any{"q": h.triage, "f": h.facility}, "checkIn", &other)

		code := requestLoggedCode(t, s, h.admin, "+33 6 12 34 56 78")
		r := s.gql(t, "", `mutation{ verifyPatientCode(phone:"+33612345678", code:"000000"){ accessToken } }`, nil)
		if code != "000000" {
			require.Equal(t, "UNAUTHENTICATED", r.code(), r.Raw)
		}
		pat := verifyCode(t, s, "+33612345678", code)

		var list struct{ Edges []struct{ Node node } }
		s.ok(t, pat, `{ tickets(first:100){ edges{ node{ id code status } } } }`, nil, "tickets", &list)
		require.Len(t, list.Edges, 1, "only the patient's own ticket")
		require.Equal(t, mine.ID, list.Edges[0].Node.ID)

		var pos struct{ Position int }
		s.ok(t, pat, `query($id:ID!){ node(id:$id){ ... on Ticket { position } } }`, map[string]any{"id": mine.ID}, "node", &pos)
		require.Equal(t, 1, pos.Position)

		r = s.gql(t, pat, `query($id:ID!){ node(id:$id){ ... on Ticket { code } } }`, map[string]any{"id": other.ID})
		require.Equal(t, "NOT_FOUND", r.code(), "another patient's ticket does not exist for this viewer: %s", r.Raw)
		r = s.gql(t, pat, `query($q:ID!){ queueSnapshot(queueID:$q){ version } }`, map[string]any{"q": h.triage})
		require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
		r = s.gql(t, pat, `{ patients(first:100){ totalCount } }`, nil)
		require.Empty(t, r.Errors, r.Raw)
		require.JSONEq(t, `{"totalCount":1}`, string(r.Data["patients"]))
		r = s.gql(t, pat, `mutation($t:ID!){ cancelTicket(ticketID:$t, reason:"no"){ id } }`, map[string]any{"t": other.ID})
		require.Equal(t, "NOT_FOUND", r.code(), r.Raw)
		r = s.gql(t, pat, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`, map[string]any{"q": h.triage, "sp": h.room1})
		require.Contains(t, []string{"FORBIDDEN", "NOT_FOUND"}, r.code(), r.Raw)
		r = s.gql(t, pat, `{ auditEntries(first:100){ totalCount } }`, nil)
		require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
	})
}

// codesInTheLog runs a server outside production, where the log sender (no SMS provider) keeps a
// sign-in code, code included, in the notification log for these tests to read. Production never keeps
// or logs it (TestLogCodeSenderInProduction, TestLogsCarryNoSecretsOrPatientData).
var codesInTheLog = map[string]string{"APP_ENV": "test"}

// requestLoggedCode asks for a patient's sign-in code and reads it back as an admin: without an SMS
// provider the log sender keeps the message, code included, in the notification log. It expects the
// server's first code request.
func requestLoggedCode(t *testing.T, s *testServer, admin, phone string) string {
	t.Helper()
	var sent bool
	s.ok(t, "", `mutation($p:String!){ requestPatientCode(phone:$p) }`, map[string]any{"p": phone}, "requestPatientCode", &sent)
	require.True(t, sent)
	var notes struct {
		Edges []struct{ Node struct{ Body string } }
	}
	s.ok(t, admin, `{ notifications(first:100, where:{kind:"code"}){ edges{ node{ body } } } }`, nil, "notifications", &notes)
	require.Len(t, notes.Edges, 1)
	code := regexp.MustCompile(`\d{6}`).FindString(notes.Edges[0].Node.Body)
	require.NotEmpty(t, code)
	return code
}

// verifyCode signs a patient in with a code and returns the access token.
func verifyCode(t *testing.T, s *testServer, phone, code string) string {
	t.Helper()
	var sess struct {
		AccessToken string
		User        struct{ Role string }
	}
	s.ok(t, "", `mutation($p:String!,$c:String!){ verifyPatientCode(phone:$p, code:$c){ accessToken user{ role } } }`,
		map[string]any{"p": phone, "c": code}, "verifyPatientCode", &sess)
	require.Equal(t, "PATIENT", sess.User.Role)
	return sess.AccessToken
}

// TestPatientAppReadsAndChecksIn does, as a patient signed in with a code, what the patient app does:
// list the queues that take self check-in, read their appointments, check in to a self check-in queue
// and for today's appointment, and follow their tickets (queue, room, position, wait).
func TestPatientAppReadsAndChecksIn(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, codesInTheLog)
		h := setupHospital(t, s)
		// Lab takes self check-in; Triage (the emergency queue) and the closed night clinic do not.
		var lab struct{ SelfCheckIn bool }
		s.ok(t, h.admin, `mutation($q:ID!){ updateQueue(id:$q, input:{selfCheckIn:true}){ selfCheckIn } }`,
			map[string]any{"q": h.lab}, "updateQueue", &lab)
		require.True(t, lab.SelfCheckIn)

		var me, other node
		for _, p := range []struct {
			given, phone string
			dst          *node
		}{{"Ines", "+33644445555", &me}, {"Other", "+33655556666", &other}} {
			s.ok(t, h.reception, `mutation($f:ID!,$g:String!,$p:String!){ createPatient(input:{givenName:$g, familyName:"App", facilityID:$f, phone:$p}){ id } }`,
				map[string]any{"f": h.facility, "g": p.given, "p": p.phone}, "createPatient", p.dst)
		}
		book := func(patient string) string {
			var a node
			// Now is today in any zone; the check-in comes seconds later.
			s.ok(t, h.reception, `mutation($p:ID!,$q:ID!,$at:Time!){ createAppointment(input:{patientID:$p, queueID:$q, scheduledAt:$at}){ id } }`,
				map[string]any{"p": patient, "q": h.triage, "at": time.Now().UTC().Format(time.RFC3339)}, "createAppointment", &a)
			return a.ID
		}
		mine, theirs := book(me.ID), book(other.ID)

		pat := verifyCode(t, s, "+33644445555", requestLoggedCode(t, s, h.admin, "+33 6 44 44 55 55"))

		t.Run("ListsSelfCheckInQueues", func(t *testing.T) {
			r := s.gql(t, pat, `{ queues(first:100, where:{selfCheckIn:true, active:true}){ edges{ node{ id name selfCheckIn department{ name facility{ name } } } } } }`, nil)
			require.Empty(t, r.Errors, r.Raw)
			require.JSONEq(t, `{"edges":[{"node":{"id":`+jsonString(h.lab)+`,"name":"Lab","selfCheckIn":true,"department":{"name":"Emergency","facility":{"name":"General"}}}}]}`,
				string(r.Data["queues"]))
		})
		t.Run("ReadsOwnAppointmentsOnly", func(t *testing.T) {
			r := s.gql(t, pat, `{ appointments(first:100){ edges{ node{ id status scheduledAt queue{ id name selfCheckIn } } } } }`, nil)
			require.Empty(t, r.Errors, r.Raw)
			require.Contains(t, r.Raw, mine)
			require.Contains(t, r.Raw, `"status":"SCHEDULED"`)
			require.Contains(t, r.Raw, `"queue":{"id":`+jsonString(h.triage)+`,"name":"Triage","selfCheckIn":false}`)
			require.NotContains(t, r.Raw, theirs)
		})

		t.Run("ReadsTheFacilitysLocaleAndZone", func(t *testing.T) {
			// The patient app writes times as the hospital does: it reads the facility's locale and zone
			// through its tickets and its appointments (web/graphql/src/documents/patient/patient.graphql).
			r := s.gql(t, pat, `{ appointments(first:100){ edges{ node{ queue{ department{ facility{ timezone locale } } } } } } }`, nil)
			require.Empty(t, r.Errors, r.Raw)
			require.Contains(t, r.Raw, `"facility":{"timezone":"Europe/Paris","locale":"en-GB"}`)
		})

		const checkIn = `mutation($q:ID!,$p:ID!,$a:ID){ checkIn(input:{queueID:$q, patientID:$p, appointmentID:$a}){ id code source } }`
		t.Run("ErrCheckInWhereOnlyReceptionMay", func(t *testing.T) {
			for _, tc := range []struct {
				name  string
				queue string
				appt  any
			}{
				{"NoSelfCheckInNoAppointment", h.triage, nil},
				{"AnotherPatientsAppointment", h.triage, theirs},
			} {
				r := s.gql(t, pat, checkIn, map[string]any{"q": tc.queue, "p": me.ID, "a": tc.appt})
				require.Equal(t, "FORBIDDEN", r.code(), "%s: %s", tc.name, r.Raw)
				require.Equal(t, "input.queueID", r.Errors[0].Extensions["field"], tc.name)
				require.Contains(t, r.Errors[0].Message, "please go to reception", tc.name)
			}
		})
		var walkIn, booked struct{ ID, Code, Source string }
		t.Run("ChecksInToSelfCheckInQueue", func(t *testing.T) {
			s.ok(t, pat, checkIn, map[string]any{"q": h.lab, "p": me.ID}, "checkIn", &walkIn)
			require.Equal(t, "MOBILE", walkIn.Source)
		})
		t.Run("ChecksInForTodaysAppointment", func(t *testing.T) {
			s.ok(t, pat, checkIn, map[string]any{"q": h.triage, "p": me.ID, "a": mine}, "checkIn", &booked)
			require.Equal(t, "MOBILE", booked.Source)
		})
		t.Run("FollowsOwnTickets", func(t *testing.T) {
			s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`,
				map[string]any{"q": h.triage, "sp": h.room1}, "callNext", nil)
			var list struct {
				Edges []struct {
					Node struct {
						ID, Code, Status     string
						Position             *int
						EstimatedWaitMinutes *int
						Queue                struct{ Name string }
						ServicePoint         *struct{ Name string }
					}
				}
			}
			s.ok(t, pat, `{ tickets(first:100, orderBy:{field:CHECKED_IN_AT}){ edges{ node{ id code status position estimatedWaitMinutes queue{ name } servicePoint{ name } } } } }`,
				nil, "tickets", &list)
			require.Len(t, list.Edges, 2)
			lab, triage := list.Edges[0].Node, list.Edges[1].Node
			require.Equal(t, walkIn.ID, lab.ID)
			require.Equal(t, "Lab", lab.Queue.Name)
			require.Equal(t, "WAITING", lab.Status)
			require.Equal(t, 1, *lab.Position)
			require.NotNil(t, lab.EstimatedWaitMinutes)
			require.Nil(t, lab.ServicePoint, "not called yet")
			require.Equal(t, booked.ID, triage.ID)
			require.Equal(t, "Triage", triage.Queue.Name)
			require.Equal(t, "CALLED", triage.Status)
			require.Nil(t, triage.Position, "no longer waiting")
			require.Equal(t, "Room 1", triage.ServicePoint.Name)
		})
	})
}
