package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

type kioskTicket struct {
	Code, QueueName, StatusToken, Language string
	Position                               *int
}

const kioskCheckIn = `mutation($in:KioskCheckInInput!){ kioskCheckIn(input:$in){ code queueName statusToken position language } }`

// TestKioskSelfCheckIn checks patients in from a kiosk account by appointment reference and by phone and
// date of birth, and shows that a kiosk learns nothing about anyone else.
func TestKioskSelfCheckIn(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		kiosk := h.kiosk(t, s)

		var ana, twin struct{ ID string }
		newPatient := func(given, phone, dob, lang string, dst any) {
			s.ok(t, h.reception, `mutation($f:ID!,$g:String!,$p:String!,$d:Time!,$l:String!){ createPatient(input:{givenName:$g, familyName:"K", facilityID:$f, phone:$p, dateOfBirth:$d, language:$l}){ id } }`,
				map[string]any{"f": h.facility, "g": given, "p": phone, "d": dob, "l": lang}, "createPatient", dst)
		}
		newPatient("Ana", "+33611111111", "1980-04-30T00:00:00Z", "es", &ana)
		newPatient("Twin1", "+33622222222", "2001-01-01T00:00:00Z", "en", &twin)
		newPatient("Twin2", "+33622222222", "2001-01-01T00:00:00Z", "en", nil)
		var bob struct{ ID string }
		newPatient("Bob", "+33633333333", "1975-12-01T00:00:00Z", "fr", &bob)
		s.ok(t, h.reception, `mutation($p:ID!,$q:ID!,$at:Time!){ createAppointment(input:{patientID:$p, queueID:$q, scheduledAt:$at, externalRef:"APT-7781"}){ id } }`,
			map[string]any{"p": bob.ID, "q": h.lab, "at": time.Now().Add(30 * time.Minute).UTC().Format(time.RFC3339)}, "createAppointment", nil)

		t.Run("ByPhoneAndDateOfBirth", func(t *testing.T) {
			var k kioskTicket
			s.ok(t, kiosk, kioskCheckIn, map[string]any{"in": map[string]any{"phone": "+33 6 11 11 11 11", "dateOfBirth": "1980-04-30", "queueID": h.triage}},
				"kioskCheckIn", &k)
			require.Regexp(t, `^E-\d{3}$`, k.Code)
			require.Equal(t, "Triage", k.QueueName)
			require.Equal(t, "es", k.Language)
			require.NotNil(t, k.Position)
			var st struct{ Code, Status, Language string }
			s.ok(t, "", `query($t:String!){ publicTicketStatus(token:$t){ code status language } }`, map[string]any{"t": k.StatusToken}, "publicTicketStatus", &st)
			require.Equal(t, k.Code, st.Code)
			require.Equal(t, "es", st.Language, "the status page speaks the patient's language")
		})
		t.Run("ByAppointmentReference", func(t *testing.T) {
			var k kioskTicket
			in := map[string]any{"in": map[string]any{"appointmentReference": " APT-7781 ", "idempotencyKey": "kiosk-attempt-1"}}
			s.ok(t, kiosk, kioskCheckIn, in, "kioskCheckIn", &k)
			require.Equal(t, "Lab", k.QueueName, "the appointment's queue")
			var again kioskTicket
			s.ok(t, kiosk, kioskCheckIn, in, "kioskCheckIn", &again)
			require.Equal(t, k, again, "a retry after a lost response gets the same ticket")
			r := s.gql(t, h.reception, `query($c:String!){ tickets(first:100, where:{code:$c}){ edges{ node{ source appointment{ status } } } } }`, map[string]any{"c": k.Code})
			require.Empty(t, r.Errors, r.Raw)
			require.Contains(t, r.Raw, `"source":"KIOSK"`)
			require.Contains(t, r.Raw, `"status":"CHECKED_IN"`, "the appointment is checked in")
		})
		t.Run("AppointmentJustAfterLocalMidnight", func(t *testing.T) {
			// The facility is in Europe/Paris: its day starts at 23:00 UTC (22:00 in summer) the day
			// before, so an appointment half an hour into it carries the previous UTC date. On SQLite the
			// "today" bound was text in the facility's zone and sorted after it (NOT_FOUND).
			paris, err := time.LoadLocation("Europe/Paris")
			require.NoError(t, err)
			now := time.Now().In(paris)
			at := time.Date(now.Year(), now.Month(), now.Day(), 0, 30, 0, 0, paris).UTC()
			require.NotEqual(t, now.Format(time.DateOnly), at.Format(time.DateOnly))
			var cleo struct{ ID string }
			newPatient("Cleo", "+33644444444", "1990-06-15T00:00:00Z", "fr", &cleo)
			s.ok(t, h.reception, `mutation($p:ID!,$q:ID!,$at:Time!){ createAppointment(input:{patientID:$p, queueID:$q, scheduledAt:$at, externalRef:"APT-0030"}){ id } }`,
				map[string]any{"p": cleo.ID, "q": h.lab, "at": at.Format(time.RFC3339)}, "createAppointment", nil)
			var k kioskTicket
			s.ok(t, kiosk, kioskCheckIn, map[string]any{"in": map[string]any{"appointmentReference": "APT-0030"}}, "kioskCheckIn", &k)
			require.Equal(t, "Lab", k.QueueName, "the appointment's queue")
		})
		t.Run("ErrSecondTimeIsAConflict", func(t *testing.T) {
			r := s.gql(t, kiosk, kioskCheckIn, map[string]any{"in": map[string]any{"phone": "+33611111111", "dateOfBirth": "1980-04-30", "queueID": h.triage}})
			require.Equal(t, "CONFLICT", r.code(), r.Raw)
		})
		t.Run("BoardSpeaksTheFacilitysLanguage", func(t *testing.T) {
			s.ok(t, h.admin, `mutation($f:ID!){ updateFacility(id:$f, input:{language:"fr"}){ id } }`, map[string]any{"f": h.facility}, "updateFacility", nil)
			var b struct{ Language string }
			s.ok(t, "", `query($d:ID!){ board(departmentID:$d){ language } }`, map[string]any{"d": h.dept}, "board", &b)
			require.Equal(t, "fr", b.Language)
		})
		t.Run("KioskSeesQueuesButNoPatients", func(t *testing.T) {
			var qs struct{ TotalCount int }
			s.ok(t, kiosk, `{ queues(first:100){ totalCount } }`, nil, "queues", &qs)
			require.Equal(t, 3, qs.TotalCount)
			for _, q := range []string{`{ patients(first:100){ totalCount } }`, `{ tickets(first:100){ totalCount } }`, `{ appointments(first:100){ totalCount } }`, `{ users(first:100){ totalCount } }`} {
				r := s.gql(t, kiosk, q, nil)
				require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
			}
			r := s.gql(t, kiosk, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, patient:{givenName:"X", familyName:"Y", facilityID:$f}}){ id } }`,
				map[string]any{"q": h.triage, "f": h.facility})
			require.Contains(t, []string{"FORBIDDEN", "NOT_FOUND"}, r.code(), r.Raw)
		})
		for _, tc := range []struct {
			name  string
			token string
			in    map[string]any
			code  string
		}{
			{"ErrStaffUseCheckIn", h.reception, map[string]any{"appointmentReference": "APT-7781"}, "FORBIDDEN"},
			{"ErrAnonymous", "", map[string]any{"appointmentReference": "APT-7781"}, "UNAUTHENTICATED"},
			{"ErrUnknownReference", kiosk, map[string]any{"appointmentReference": "APT-0000"}, "NOT_FOUND"},
			{"ErrWrongDateOfBirth", kiosk, map[string]any{"phone": "+33611111111", "dateOfBirth": "1980-04-29", "queueID": h.triage}, "NOT_FOUND"},
			{"ErrTwoRecordsMatch", kiosk, map[string]any{"phone": "+33622222222", "dateOfBirth": "2001-01-01", "queueID": h.triage}, "NOT_FOUND"},
			{"ErrNoQueueWithoutAppointment", kiosk, map[string]any{"phone": "+33611111111", "dateOfBirth": "1980-04-30"}, "BAD_USER_INPUT"},
			{"ErrBadPhone", kiosk, map[string]any{"phone": "call me", "dateOfBirth": "1980-04-30", "queueID": h.triage}, "BAD_USER_INPUT"},
			{"ErrBadDate", kiosk, map[string]any{"phone": "+33611111111", "dateOfBirth": "30/04/1980", "queueID": h.triage}, "BAD_USER_INPUT"},
			{"ErrFutureDate", kiosk, map[string]any{"phone": "+33611111111", "dateOfBirth": "2999-01-01", "queueID": h.triage}, "BAD_USER_INPUT"},
			{"ErrNothingGiven", kiosk, map[string]any{}, "BAD_USER_INPUT"},
			{"ErrBothGiven", kiosk, map[string]any{"appointmentReference": "APT-7781", "phone": "+33611111111"}, "BAD_USER_INPUT"},
			{"ErrUnknownQueue", kiosk, map[string]any{"phone": "+33633333333", "dateOfBirth": "1975-12-01", "queueID": "QU01ZZZZZZZZZZZZZZZZZZZZZZZZ"}, "NOT_FOUND"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.gql(t, tc.token, kioskCheckIn, map[string]any{"in": tc.in})
				require.Equal(t, tc.code, r.code(), r.Raw)
				require.NotContains(t, r.Raw, "Twin")
				require.NotContains(t, r.Raw, "Ana")
			})
		}
		t.Run("ErrTooManyLookups", func(t *testing.T) {
			var last gqlResponse
			for range 25 {
				last = s.gql(t, kiosk, kioskCheckIn, map[string]any{"in": map[string]any{"appointmentReference": "GUESS"}})
				if last.code() == "RATE_LIMITED" {
					break
				}
			}
			require.Equal(t, "RATE_LIMITED", last.code(), last.Raw)
		})
	})
}
