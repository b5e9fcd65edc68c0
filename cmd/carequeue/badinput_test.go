package main

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// totals counts rows an error must not change. Audit entries of reads and refusals are left out: an
// error is expected to add those (the trail of a denial, a failed sign-in, a rejected token).
func (s *testServer) totals(t *testing.T, admin string) string {
	t.Helper()
	r := s.gql(t, admin, `{ tickets(first:100){ totalCount } patients(first:100){ totalCount } queues(first:100){ totalCount } users(first:100){ totalCount }
		auditEntries(first:100, where:{actionNotIn:["patient.read", "access.denied", "session.signInFailed", "session.tokenRejected", "session.codeRejected"]}){ totalCount }
		appointments(first:100){ totalCount } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	return r.Raw
}

func TestBadInputGetsClearErrorAndChangesNothing(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		waiting := h.checkIn(t, s, h.triage, "Wait", "STANDARD")
		s.ok(t, h.reception, `mutation($f:ID!){ createPatient(input:{givenName:"Mo", familyName:"R", mrn:"MRN-1", facilityID:$f}){ id } }`,
			map[string]any{"f": h.facility}, "createPatient", nil)
		expired := signed(t, jwt.MapClaims{"iss": "carequeue", "aud": "carequeue-api", "sub": "US1", "role": "ADMIN", "sid": "x", "typ": "access",
			"exp": time.Now().Add(-time.Hour).Unix(), "iat": time.Now().Add(-2 * time.Hour).Unix()})
		tampered := h.clinician[:len(h.clinician)-4] + flip(h.clinician[len(h.clinician)-4:])
		deep := "{ queues(first:100) { edges { node { id " + strings.Repeat("department { queues(first:100) { edges { node { ", 5) + "id" + strings.Repeat(" } } } }", 5) + " } } } }"
		inline := func(phone, given string) map[string]any {
			return map[string]any{"q": h.triage, "p": map[string]any{"givenName": given, "familyName": "X", "facilityID": h.facility, "phone": phone}}
		}
		const checkInInline = `mutation($q:ID!,$p:CreatePatientInput!){ checkIn(input:{queueID:$q, patient:$p}){ id } }`

		cases := []struct {
			name, token, query string
			vars               map[string]any
			code               string
			contains           string
		}{
			{"MalformedNodeID", h.clinician, `{ node(id:"not-an-id"){ id } }`, nil, "NOT_FOUND", "not found"},
			{"MalformedQueueID", h.reception, `mutation{ checkIn(input:{queueID:"QU-nope", patientID:"PA-nope"}){ id } }`, nil, "NOT_FOUND", "queue not found"},
			{"UnknownEnum", h.reception, `mutation($q:ID!){ checkIn(input:{queueID:$q, patientID:"x", triageLevel:SUPER_URGENT}){ id } }`, map[string]any{"q": h.triage}, "BAD_USER_INPUT", "SUPER_URGENT"},
			{"UnknownEnumInVariable", h.reception, `mutation($t:ID!,$l:TriageLevel!){ retriageTicket(ticketID:$t, triageLevel:$l){ id } }`, map[string]any{"t": waiting.ID, "l": "SOON"}, "BAD_USER_INPUT", "SOON"},
			{"PhoneNotE164", h.reception, checkInInline, inline("0612345678", "Al"), "BAD_USER_INPUT", "phone"},
			{"EmptyName", h.reception, checkInInline, inline("+33612345678", "   "), "BAD_USER_INPUT", "name"},
			{"EmptyNameOnCreate", h.reception, `mutation($f:ID!){ createPatient(input:{givenName:"", familyName:"X", facilityID:$f}){ id } }`, map[string]any{"f": h.facility}, "BAD_USER_INPUT", "name"},
			{"BothPatientAndPatientID", h.reception, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, patientID:"PA1", patient:{givenName:"A",familyName:"B",facilityID:$f}}){ id } }`, map[string]any{"q": h.triage, "f": h.facility}, "BAD_USER_INPUT", "not both"},
			{"InactiveQueue", h.reception, checkInInline, map[string]any{"q": h.closed, "p": map[string]any{"givenName": "Al", "familyName": "X", "facilityID": h.facility}}, "CONFLICT", "closed"},
			{"TransferToSameQueue", h.reception, `mutation($t:ID!,$q:ID!){ transferTicket(ticketID:$t, queueID:$q){ id } }`, map[string]any{"t": waiting.ID, "q": h.triage}, "BAD_USER_INPUT", "already in this queue"},
			{"CallOnQueueNotServed", h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`, map[string]any{"q": h.lab, "sp": h.room1}, "BAD_USER_INPUT", "does not serve"},
			{"CompleteWaitingTicket", h.clinician, `mutation($t:ID!){ completeTicket(ticketID:$t){ id } }`, map[string]any{"t": waiting.ID}, "CONFLICT", "still waiting"},
			{"CancelWithoutReason", h.reception, `mutation($t:ID!){ cancelTicket(ticketID:$t, reason:""){ id } }`, map[string]any{"t": waiting.ID}, "BAD_USER_INPUT", "reason"},
			{"ReceptionistCannotCall", h.reception, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`, map[string]any{"q": h.triage, "sp": h.room1}, "FORBIDDEN", ""},
			{"ClinicianCannotCreateQueue", h.clinician, `mutation($d:ID!){ createQueue(input:{name:"Z", prefix:"Z", departmentID:$d}){ id } }`, map[string]any{"d": h.dept}, "FORBIDDEN", ""},
			{"AnonymousCheckIn", "", checkInInline, inline("+33612345678", "Al"), "UNAUTHENTICATED", ""},
			{"ExpiredJWT", expired, `{ me { id } }`, nil, "UNAUTHENTICATED", "expired"},
			{"TamperedJWT", tampered, `{ me { id } }`, nil, "UNAUTHENTICATED", ""},
			{"GarbageJWT", "abc.def", `{ me { id } }`, nil, "UNAUTHENTICATED", ""},
			{"BadQueuePrefix", h.admin, `mutation($d:ID!){ createQueue(input:{name:"Z", prefix:"c-1", departmentID:$d}){ id } }`, map[string]any{"d": h.dept}, "BAD_USER_INPUT", "prefix"},
			{"TargetsOutOfOrder", h.admin, `mutation($d:ID!){ createQueue(input:{name:"Z", prefix:"Z", departmentID:$d, targetUrgentMinutes:5}){ id } }`, map[string]any{"d": h.dept}, "BAD_USER_INPUT", "URGENT"},
			{"MaxWaitTooShort", h.admin, `mutation($d:ID!){ createQueue(input:{name:"Z", prefix:"Z", departmentID:$d, maxWaitMinutes:29}){ id } }`, map[string]any{"d": h.dept}, "BAD_USER_INPUT", "maxWaitMinutes"},
			{"MaxWaitTooLong", h.admin, `mutation($q:ID!){ updateQueue(id:$q, input:{maxWaitMinutes:1441}){ id } }`, map[string]any{"q": h.triage}, "BAD_USER_INPUT", "maxWaitMinutes"},
			{"UrgentShareLimitTooLow", h.admin, `mutation($q:ID!){ updateQueue(id:$q, input:{urgentShareLimitPercent:9}){ id } }`, map[string]any{"q": h.triage}, "BAD_USER_INPUT", "urgentShareLimitPercent"},
			{"UrgentShareLimitTooHigh", h.admin, `mutation($d:ID!){ createQueue(input:{name:"Z", prefix:"Z", departmentID:$d, urgentShareLimitPercent:101}){ id } }`, map[string]any{"d": h.dept}, "BAD_USER_INPUT", "urgentShareLimitPercent"},
			{"BadTimezone", h.admin, `mutation{ createFacility(input:{name:"X", timezone:"Mars/Olympus"}){ id } }`, nil, "BAD_USER_INPUT", "time zone"},
			{"DuplicateMRN", h.reception, `mutation($f:ID!){ createPatient(input:{givenName:"Jo", familyName:"R", mrn:"MRN-1", facilityID:$f}){ id } }`, map[string]any{"f": h.facility}, "CONFLICT", ""},
			{"WrongPassword", "", `mutation{ login(email:"doc@test.org", password:"wrong-password-1"){ accessToken } }`, nil, "UNAUTHENTICATED", "incorrect"},
			{"IntrospectionForNonAdmin", h.clinician, `{ __schema { types { name } } }`, nil, "FORBIDDEN", ""},
			{"TooDeep", h.admin, deep, nil, "BAD_USER_INPUT", "deep"},
			{"NotAQuery", h.admin, `{ queues(first:100) { edges `, nil, "BAD_USER_INPUT", ""},
			{"UnknownField", h.admin, `{ queues(first:100) { edges { node { secretField } } } }`, nil, "BAD_USER_INPUT", "secretField"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := s.totals(t, h.admin)
				r := s.gql(t, tc.token, tc.query, tc.vars)
				require.Equal(t, tc.code, r.code(), r.Raw)
				if tc.contains != "" {
					require.Contains(t, strings.ToLower(r.Errors[0].Message), strings.ToLower(tc.contains), r.Raw)
				}
				require.Equal(t, before, s.totals(t, h.admin), "the database is as it was")
			})
		}

		t.Run("RetriageReasonTooLong", func(t *testing.T) {
			const q = `mutation($t:ID!,$r:String){ retriageTicket(ticketID:$t, triageLevel:URGENT, reason:$r){ triageLevel awaitingTriage } }`
			before := s.totals(t, h.admin)
			r := s.gql(t, h.clinician, q, map[string]any{"t": waiting.ID, "r": strings.Repeat("a", 501)})
			require.Equal(t, "BAD_USER_INPUT", r.code(), r.Raw)
			require.Equal(t, "reason", r.Errors[0].Extensions["field"], r.Raw)
			require.Contains(t, r.Errors[0].Message, "500 characters", r.Raw)
			require.Equal(t, before, s.totals(t, h.admin), "the database is as it was")
			var got struct {
				TriageLevel    string
				AwaitingTriage bool
			}
			s.ok(t, h.clinician, q, map[string]any{"t": waiting.ID, "r": strings.Repeat("ñ", 500)}, "retriageTicket", &got)
			require.Equal(t, "URGENT", got.TriageLevel, "500 characters (1000 bytes) is within the limit")
		})

		t.Run("IntrospectionForAdmin", func(t *testing.T) {
			r := s.gql(t, h.admin, `{ __schema { queryType { name } } }`, nil)
			require.Empty(t, r.Errors, r.Raw)
		})

		t.Run("RefreshTokenUsedTwice", func(t *testing.T) {
			const q = `mutation($r:String!){ refreshSession(refreshToken:$r){ accessToken refreshToken } }`
			var next struct{ AccessToken, RefreshToken string }
			s.ok(t, "", q, map[string]any{"r": h.receptionRefresh}, "refreshSession", &next)
			r := s.gql(t, "", q, map[string]any{"r": h.receptionRefresh})
			require.Equal(t, "UNAUTHENTICATED", r.code(), r.Raw)
			r = s.gql(t, "", q, map[string]any{"r": next.RefreshToken})
			require.Equal(t, "UNAUTHENTICATED", r.code(), "reuse revoked the whole family: %s", r.Raw)
			r = s.gql(t, "", q, map[string]any{"r": h.reception})
			require.Equal(t, "UNAUTHENTICATED", r.code(), "an access token is no refresh token: %s", r.Raw)
		})
	})
}

func signed(t *testing.T, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(testSecret))
	require.NoError(t, err)
	return s
}

// flip changes the characters of a JWT signature tail while keeping it base64url.
func flip(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
	}
	return string(b)
}
