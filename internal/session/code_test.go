package session_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/ent/patient"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

const badCode = "code is incorrect or expired"

// wrong returns a code that is certainly not code.
func wrong(code string) string {
	last := (code[len(code)-1]-'0'+1)%10 + '0'
	return code[:len(code)-1] + string(rune(last))
}

func TestPatientCode(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()

			t.Run("SignsInWithCodeAndLinksRecords", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				sys := auth.SystemContext(t.Context())
				// The same person registered at a second facility (the factory makes a new one), with the
				// number typed differently.
				twin := testfactory.Patient(t.Context(), t, f.client, &testfactory.PatientOpts{
					GivenName: "María", FamilyName: "López", Phone: mariaPhone,
				})

				ok, err := f.svc.RequestPatientCode(from(t, "198.51.100.1"), "+44 7700 900-123")
				require.NoError(t, err)
				require.True(t, ok)
				sent := f.sender.last(t)
				require.Equal(t, mariaPhone, sent.phone)
				require.Regexp(t, `^[0-9]{6}$`, sent.code)
				require.Zero(t, f.count(t, "SELECT count(*) FROM login_codes WHERE code_hash = $1", sent.code), "stored hashed")

				s, err := f.svc.VerifyPatientCode(from(t, "198.51.100.1"), mariaPhone, sent.code)
				require.NoError(t, err)
				require.Equal(t, user.RolePATIENT, s.User.Role)
				require.Equal(t, mariaPhone, s.User.Phone)
				require.Equal(t, "Maria Lopez", s.User.Name)
				require.Empty(t, s.User.FacilityID)
				for _, p := range f.client.Patient.Query().Where(patient.IDIn(f.maria.ID, twin.ID)).AllX(sys) {
					require.Equal(t, s.User.ID, p.AccountID, p.ID)
				}
				v, err := f.svc.ViewerFromToken(t.Context(), s.AccessToken)
				require.NoError(t, err)
				require.Equal(t, auth.Viewer{UserID: s.User.ID, Role: auth.RolePatient, Expires: s.ExpiresAt.Truncate(time.Second).UTC()}, v)
				me, err := f.svc.Me(auth.NewContext(t.Context(), v))
				require.NoError(t, err)
				require.Equal(t, s.User.ID, me.ID)

				_, err = f.svc.VerifyPatientCode(t.Context(), mariaPhone, sent.code)
				requireCoded(t, err, cqerr.Unauthenticated, badCode)

				// A second sign-in finds the same account.
				_, err = f.svc.RequestPatientCode(t.Context(), mariaPhone)
				require.NoError(t, err)
				again, err := f.svc.VerifyPatientCode(t.Context(), mariaPhone, f.sender.last(t).code)
				require.NoError(t, err)
				require.Equal(t, s.User.ID, again.User.ID)
				require.Equal(t, 1, f.client.User.Query().Where(user.RoleEQ(user.RolePATIENT)).CountX(sys))
				_, err = f.svc.Refresh(t.Context(), again.RefreshToken)
				require.NoError(t, err)
			})

			t.Run("FiveWrongCodesKillIt", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				_, err := f.svc.RequestPatientCode(t.Context(), mariaPhone)
				require.NoError(t, err)
				code := f.sender.last(t).code
				before := f.counts(t)
				for i := range 5 {
					_, err := f.svc.VerifyPatientCode(t.Context(), mariaPhone, wrong(code))
					requireCoded(t, err, cqerr.Unauthenticated, badCode)
					require.Equal(t, i+1, f.count(t, "SELECT attempts FROM login_codes"), "the attempt is committed")
				}
				_, err = f.svc.VerifyPatientCode(t.Context(), mariaPhone, code)
				requireCoded(t, err, cqerr.Unauthenticated, badCode)

				after := f.counts(t)
				require.Equal(t, before["audit_entries"]+6, after["audit_entries"], "one entry per rejected guess, and one for the right code refused once the code is dead")
				after["audit_entries"] = before["audit_entries"]
				require.Equal(t, before, after, "no account, no session")
			})

			t.Run("OnlyNewestCodeCounts", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				_, err := f.svc.RequestPatientCode(t.Context(), mariaPhone)
				require.NoError(t, err)
				first := f.sender.last(t).code
				time.Sleep(2 * time.Millisecond) // distinct created_at
				_, err = f.svc.RequestPatientCode(t.Context(), mariaPhone)
				require.NoError(t, err)
				second := f.sender.last(t).code
				if first != second {
					_, err = f.svc.VerifyPatientCode(t.Context(), mariaPhone, first)
					requireCoded(t, err, cqerr.Unauthenticated, badCode)
				}
				_, err = f.svc.VerifyPatientCode(t.Context(), mariaPhone, second)
				require.NoError(t, err)
			})

			t.Run("RefusesExpiredCode", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				_, err := f.svc.RequestPatientCode(t.Context(), mariaPhone)
				require.NoError(t, err)
				f.clock.Advance(session.DefaultCodeTTL + time.Second)
				before := f.counts(t)
				_, err = f.svc.VerifyPatientCode(t.Context(), mariaPhone, f.sender.last(t).code)
				requireCoded(t, err, cqerr.Unauthenticated, badCode)
				f.requireOnlyRefusalsAudited(t, before)
			})

			t.Run("UnknownPhoneReturnsTrueAndSendsNothing", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				before := f.counts(t)
				ok, err := f.svc.RequestPatientCode(t.Context(), "+15005550006")
				require.NoError(t, err)
				require.True(t, ok)
				require.Empty(t, f.sender.Sent())
				require.Equal(t, before, f.counts(t))
				_, err = f.svc.VerifyPatientCode(t.Context(), "+15005550006", "123456")
				requireCoded(t, err, cqerr.Unauthenticated, badCode)
				f.requireOnlyRefusalsAudited(t, before)
			})

			t.Run("RefusesMalformedPhone", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				before := f.counts(t)
				for _, p := range []string{"", "020 7946 0018", "+44 7700 abc", "+0123456789", "0612345678"} {
					_, err := f.svc.RequestPatientCode(t.Context(), p)
					requireCoded(t, err, cqerr.BadUserInput, "")
					_, err = f.svc.VerifyPatientCode(t.Context(), p, "123456")
					requireCoded(t, err, cqerr.BadUserInput, "")
				}
				require.Equal(t, before, f.counts(t))
				require.Empty(t, f.sender.Sent())
			})

			t.Run("ReadsNationalNumbersInTheFacilitiesRegion", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				// Every facility of the fixture reads national numbers as GB (the default): a patient
				// types the number as they say it.
				ok, err := f.svc.RequestPatientCode(t.Context(), "07700 900123")
				require.NoError(t, err)
				require.True(t, ok)
				got, err := f.svc.ValidatePhone(t.Context(), "07700 900123", nil)
				require.NoError(t, err)
				require.Equal(t, "+447700900123", got)
			})

			t.Run("RateLimitsPerPhoneAndAddress", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				for i := range 5 {
					_, err := f.svc.RequestPatientCode(from(t, fmt.Sprintf("198.51.100.%d", i)), mariaPhone)
					require.NoError(t, err)
				}
				_, err := f.svc.RequestPatientCode(from(t, "198.51.100.99"), mariaPhone)
				requireCoded(t, err, cqerr.RateLimited, "too many attempts, try again in 60 seconds")
				require.Len(t, f.sender.Sent(), 5)

				for i := range 5 {
					_, err := f.svc.RequestPatientCode(from(t, "192.0.2.1"), fmt.Sprintf("+1500555000%d", i))
					require.NoError(t, err)
				}
				_, err = f.svc.RequestPatientCode(from(t, "192.0.2.1"), "+15005550009")
				requireCoded(t, err, cqerr.RateLimited, "")
			})
		})
	}
}

// sendLoggedCode sends one code for Maria through a LogCodeSender on each dialect and hands check the
// notification it recorded and what it logged.
func sendLoggedCode(t *testing.T, reveal bool, check func(t *testing.T, n *ent.Notification, logs string)) {
	t.Helper()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d)
			var logs bytes.Buffer
			sender := session.NewLogCodeSender(f.client, slog.New(slog.NewTextHandler(&logs, nil)), reveal)
			require.NoError(t, sender.SendCode(t.Context(), mariaPhone, "042917"))
			check(t, f.client.Notification.Query().OnlyX(auth.SystemContext(t.Context())), logs.String())
		})
	}
}

func TestLogCodeSender(t *testing.T) {
	t.Parallel()
	sendLoggedCode(t, true, func(t *testing.T, n *ent.Notification, logs string) {
		require.Equal(t, notification.ChannelLOG, n.Channel)
		require.Equal(t, "code", n.Kind)
		require.Equal(t, mariaPhone, n.Recipient)
		require.Contains(t, n.Body, "042917")
		require.Equal(t, notification.StatusLOGGED, n.Status, "never SENT: nothing left the server")
		require.Contains(t, logs, "code=042917")
	})
}

// TestLogCodeSenderInProduction: with no SMS provider in production, neither the code nor the phone
// reaches the log or the notification table; admins see a code that could not be delivered, and why.
func TestLogCodeSenderInProduction(t *testing.T) {
	t.Parallel()
	sendLoggedCode(t, false, func(t *testing.T, n *ent.Notification, logs string) {
		require.Equal(t, notification.StatusFAILED, n.Status)
		require.Contains(t, n.Error, "no SMS provider")
		for _, secret := range []string{"042917", mariaPhone, mariaPhone[1:]} {
			require.NotContains(t, logs, secret)
			require.NotContains(t, n.Body, secret)
			require.NotContains(t, n.Recipient, secret)
		}
		require.Contains(t, logs, "not delivered")
	})
}
