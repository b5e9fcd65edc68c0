package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestEveryInputPathMeetsTheSameRules walks every GraphQL mutation that takes a phone number, a date of
// birth, a name, a language, a reference or a note, with careless and hostile values: each answer is
// BAD_USER_INPUT naming the field (extensions.field), never echoes the value, and changes nothing.
// The rules live in one place (internal/input and internal/phone, applied by the ent hooks), so
// reception, the kiosk, admin screens, the patient app and the API all get the same answer.
func TestEveryInputPathMeetsTheSameRules(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		kiosk := h.kiosk(t, s)
		var p node
		s.ok(t, h.reception, `mutation($f:ID!){ createPatient(input:{givenName:"Ada", familyName:"Lovelace", facilityID:$f, phone:"07700 900123", dateOfBirth:"1990-04-03T00:00:00Z"}){ id } }`,
			map[string]any{"f": h.facility}, "createPatient", &p)
		waiting := h.checkIn(t, s, h.triage, "Wait", "STANDARD")

		patient := func(extra map[string]any) map[string]any {
			in := map[string]any{"givenName": "Al", "familyName": "X", "facilityID": h.facility}
			for k, v := range extra {
				in[k] = v
			}
			return in
		}
		const create = `mutation($in:CreatePatientInput!){ createPatient(input:$in){ id } }`
		const inline = `mutation($q:ID!,$in:CreatePatientInput!){ checkIn(input:{queueID:$q, patient:$in}){ id } }`
		const update = `mutation($id:ID!,$in:UpdatePatientInput!){ updatePatient(id:$id, input:$in){ id } }`
		const kioskIn = `mutation($in:KioskCheckInInput!){ kioskCheckIn(input:$in){ code } }`
		long := strings.Repeat("n", 101)
		future, ancient := "2999-01-01T00:00:00Z", "1850-01-01T00:00:00Z"

		cases := []struct {
			name, token, query string
			vars               map[string]any
			field, says, value string
		}{
			// Names: reception, inline check-in, admin update.
			{"NameTooLong", h.reception, create, map[string]any{"in": patient(map[string]any{"givenName": long})}, "input.givenName", "at most 100", long},
			{"NameControlChars", h.reception, inline, map[string]any{"q": h.triage, "in": patient(map[string]any{"familyName": "X\x1b[2J"})}, "input.patient.familyName", "cannot be shown", "\x1b[2J"},
			{"NameBidiOverride", h.admin, update, map[string]any{"id": p.ID, "in": map[string]any{"givenName": "Ada\u202eevil"}}, "input.givenName", "cannot be shown", "evil"},
			// Dates of birth.
			{"DobFuture", h.reception, create, map[string]any{"in": patient(map[string]any{"dateOfBirth": future})}, "input.dateOfBirth", "in the future", ""},
			{"DobAncientInline", h.reception, inline, map[string]any{"q": h.triage, "in": patient(map[string]any{"dateOfBirth": ancient})}, "input.patient.dateOfBirth", "more than 130 years", ""},
			{"DobFutureUpdate", h.admin, update, map[string]any{"id": p.ID, "in": map[string]any{"dateOfBirth": future}}, "input.dateOfBirth", "in the future", ""},
			{"DobFutureKiosk", kiosk, kioskIn, map[string]any{"in": map[string]any{"phone": "07700 900123", "dateOfBirth": "2999-01-01", "queueID": h.triage}}, "input.dateOfBirth", "in the future", ""},
			// Languages.
			{"LanguageUnknown", h.reception, create, map[string]any{"in": patient(map[string]any{"language": "de"})}, "input.language", "one of en, es, fr", ""},
			{"LanguageHostileInline", h.reception, inline, map[string]any{"q": h.triage, "in": patient(map[string]any{"language": "<svg>"})}, "input.patient.language", "one of en, es, fr", "<svg>"},
			{"FacilityLanguage", h.admin, `mutation($id:ID!){ updateFacility(id:$id, input:{language:"klingon"}){ id } }`, map[string]any{"id": h.facility}, "input.language", "one of en, es, fr", "klingon"},
			{"FacilityPhoneRegion", h.admin, `mutation($id:ID!){ updateFacility(id:$id, input:{phoneRegion:"UK"}){ id } }`, map[string]any{"id": h.facility}, "input.phoneRegion", "two-letter country code", ""},
			// References.
			{"MRNHostile", h.reception, create, map[string]any{"in": patient(map[string]any{"mrn": "1' OR '1'='1"})}, "input.mrn", "letters, digits", "OR"},
			{"AppointmentReference", h.reception, `mutation($p:ID!,$q:ID!){ createAppointment(input:{patientID:$p, queueID:$q, scheduledAt:"2030-01-01T09:00:00Z", externalRef:"REF 1 <b>"}){ id } }`,
				map[string]any{"p": p.ID, "q": h.triage}, "input.externalRef", "letters, digits", "<b>"},
			{"KioskReference", kiosk, kioskIn, map[string]any{"in": map[string]any{"appointmentReference": "EHR;DROP"}}, "input.appointmentReference", "letters, digits", "DROP"},
			// Notes.
			{"AppointmentNoteTooLong", h.reception, `mutation($p:ID!,$q:ID!,$n:String!){ createAppointment(input:{patientID:$p, queueID:$q, scheduledAt:"2030-01-01T09:00:00Z", note:$n}){ id } }`,
				map[string]any{"p": p.ID, "q": h.triage, "n": strings.Repeat("x", 2001)}, "input.note", "at most 2000", ""},
			{"CancelReasonControlChars", h.reception, `mutation($t:ID!){ cancelTicket(ticketID:$t, reason:"left\u0007"){ id } }`, map[string]any{"t": waiting.ID}, "reason", "cannot be shown", ""},
			// Other names.
			{"UserName", h.admin, `mutation($f:ID!){ createUser(input:{email:"x@test.org", name:"\u0000", role:CLINICIAN, facilityID:$f}, password:"a-long-password-1"){ id } }`, map[string]any{"f": h.facility}, "name", "cannot be shown", ""},
			{"QueueName", h.admin, `mutation($d:ID!){ createQueue(input:{name:"   ", prefix:"Q", ordering:FIFO, departmentID:$d}){ id } }`, map[string]any{"d": h.dept}, "input.name", "must not be empty", ""},
			// Phones: every way a number comes in.
			{"PhoneLandline", h.reception, create, map[string]any{"in": patient(map[string]any{"phone": "020 7946 0018"})}, "input.phone", "not a mobile number", "7946"},
			{"PhoneInvalidInline", h.reception, inline, map[string]any{"q": h.triage, "in": patient(map[string]any{"phone": "0612345678"})}, "input.patient.phone", "read as GB numbers", "0612345678"},
			{"PhoneUpdate", h.admin, update, map[string]any{"id": p.ID, "in": map[string]any{"phone": "+44 abc"}}, "input.phone", "not a valid phone number", "abc"},
			{"PhoneKiosk", kiosk, kioskIn, map[string]any{"in": map[string]any{"phone": "020 7946 0018", "dateOfBirth": "1990-04-03", "queueID": h.triage}}, "input.phone", "not a mobile number", "7946"},
			{"PhoneEscalation", h.admin, `mutation($id:ID!){ updateDepartment(id:$id, input:{escalationPhone:"0800 123 4567"}){ id } }`, map[string]any{"id": h.dept}, "input.escalationPhone", "not a mobile number", "4567"},
			{"PhoneSignIn", "", `mutation{ requestPatientCode(phone:"12") }`, nil, "phone", "not a valid phone number", ""},
			{"PhoneCheckAtKioskStep", kiosk, `query{ validatePhone(phone:"020 7946 0018") }`, nil, "phone", "not a mobile number", "7946"},
		}
		before := s.totals(t, h.admin)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := s.gql(t, tc.token, tc.query, tc.vars)
				require.Equal(t, "BAD_USER_INPUT", r.code(), r.Raw)
				require.Equal(t, tc.field, r.Errors[0].Extensions["field"], r.Raw)
				require.Contains(t, r.Errors[0].Message, tc.says, r.Raw)
				if tc.value != "" {
					require.NotContains(t, r.Raw, tc.value, "the error names the field, not the value")
				}
			})
		}
		require.Equal(t, before, s.totals(t, h.admin), "refused input changes nothing")

		t.Run("NationalNumbersReadInTheFacilitysRegion", func(t *testing.T) {
			var got string
			s.ok(t, kiosk, `query{ validatePhone(phone:"07700 900123") }`, nil, "validatePhone", &got)
			require.Equal(t, "+447700900123", got)
			// The kiosk finds the patient registered above by the number as people say it.
			r := s.gql(t, kiosk, kioskIn, map[string]any{"in": map[string]any{"phone": "07700 900123", "dateOfBirth": "1990-04-03", "queueID": h.lab}})
			require.Empty(t, r.Errors, r.Raw)
			// A French facility reads French numbers.
			s.ok(t, h.admin, `mutation($id:ID!){ updateFacility(id:$id, input:{phoneRegion:"fr"}){ id } }`, map[string]any{"id": h.facility}, "updateFacility", nil)
			r = s.gql(t, kiosk, `query{ validatePhone(phone:"06 12 34 56 78") }`, nil)
			require.Empty(t, r.Errors, r.Raw)
			require.Contains(t, r.Raw, "+33612345678")
		})
	})
}

// kiosk creates the hospital's lobby kiosk account (kiosk@test.org) and signs it in.
func (h *hospital) kiosk(t *testing.T, s *testServer) string {
	t.Helper()
	s.ok(t, h.admin, `mutation($f:ID!){ createUser(input:{email:"kiosk@test.org", name:"Lobby kiosk", role:KIOSK, facilityID:$f}, password:"a-long-password-1"){ id } }`,
		map[string]any{"f": h.facility}, "createUser", nil)
	token, _ := s.login(t, "kiosk@test.org", "a-long-password-1")
	return token
}
