package main

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// safeBuffer collects a server's output from its many goroutines.
type safeBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *safeBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestLogsCarryNoSecretsOrPatientData runs a patient's whole visit through a production server at
// debug level, with no SMS or push provider (so every message goes through the log sender, the worst
// case), and scans all it wrote: no name, phone number, date of birth, sign-in code, access or refresh
// token, status link or password may appear.
func TestLogsCarryNoSecretsOrPatientData(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		var out safeBuffer
		s := startServerLogging(t, d, map[string]string{"LOG_LEVEL": "debug"}, &out)
		h := setupHospital(t, s)

		const given, family, phone = "Zebediah", "Quartermaine", "+447700900555"
		var p node
		s.ok(t, h.reception, `mutation($f:ID!){ createPatient(input:{givenName:"Zebediah", familyName:"Quartermaine",
			dateOfBirth:"1931-07-19T00:00:00Z", phone:"+44 7700 900555", smsOptIn:true, facilityID:$f}){ id } }`,
			map[string]any{"f": h.facility}, "createPatient", &p)
		var tk struct {
			ID          string
			StatusToken string
		}
		s.ok(t, h.reception, `mutation($q:ID!,$p:ID!){ checkIn(input:{queueID:$q, patientID:$p, triageLevel:URGENT}){ id statusToken } }`,
			map[string]any{"q": h.triage, "p": p.ID}, "checkIn", &tk)
		s.waitForJobs(t) // the check-in message goes out (through the log sender) before the call
		var called node
		s.ok(t, h.clinician, `mutation($q:ID!,$r:ID!){ callNext(queueID:$q, servicePointID:$r){ id } }`,
			map[string]any{"q": h.triage, "r": h.room1}, "callNext", &called)
		s.ok(t, h.clinician, `mutation($t:ID!){ startService(ticketID:$t){ id } }`, map[string]any{"t": tk.ID}, "startService", nil)
		s.ok(t, h.clinician, `mutation($t:ID!){ completeTicket(ticketID:$t, note:"Zebediah seen"){ id } }`, map[string]any{"t": tk.ID}, "completeTicket", nil)
		s.ok(t, "", `query($t:String!){ publicTicketStatus(token:$t){ code } }`, map[string]any{"t": tk.StatusToken}, "publicTicketStatus", nil)
		s.ok(t, "", `mutation($p:String!){ requestPatientCode(phone:$p) }`, map[string]any{"p": phone}, "requestPatientCode", nil)
		wrong := s.gql(t, "", `mutation{ login(email:"desk@test.org", password:"not-the-password-7") { accessToken } }`, nil)
		require.NotEmpty(t, wrong.Errors)
		var refreshed struct{ AccessToken, RefreshToken string }
		s.ok(t, "", `mutation($r:String!){ refreshSession(refreshToken:$r){ accessToken refreshToken } }`,
			map[string]any{"r": h.receptionRefresh}, "refreshSession", &refreshed)
		s.waitForJobs(t) // the check-in, called and code messages have gone through the log sender

		logs := out.String()
		require.Contains(t, logs, "notification not sent", "the messages went through the log sender")
		secrets := map[string]string{
			"given name": given, "family name": family, "phone": phone, "phone digits": "7700900555",
			"date of birth": "1931-07-19", "status token": tk.StatusToken, "wrong password": "not-the-password-7",
			"admin password": "root-password-123", "staff password": "a-long-password-1",
			"access token": h.reception, "refresh token": h.receptionRefresh,
			"new access token": refreshed.AccessToken, "new refresh token": refreshed.RefreshToken,
		}
		for what, secret := range secrets {
			require.NotContains(t, logs, secret, "the log holds the %s", what)
		}
		for what, pattern := range map[string]*regexp.Regexp{
			"a phone number": regexp.MustCompile(`\+\d{8,15}\b`),
			"a sign-in code": regexp.MustCompile(`(?i)code\W{1,3}\d{6}\b`),
			"a JWT":          regexp.MustCompile(`eyJ[\w-]{10,}\.[\w-]{10,}`),
		} {
			if m := pattern.FindString(logs); m != "" {
				i := strings.Index(logs, m)
				t.Fatalf("the log holds %s: %q", what, logs[max(0, i-200):min(len(logs), i+100)])
			}
		}
	})
}
