package session_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/refreshtoken"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

var (
	staffLimits   = session.Limits{Idle: 15 * time.Minute, Lifetime: 12 * time.Hour}
	patientLimits = session.Limits{Idle: 14 * 24 * time.Hour, Lifetime: 90 * 24 * time.Hour}
)

const (
	staffIdle    = "signed out after 15 minutes of inactivity, sign in again"
	staffExpired = "session ended after 12 hours, sign in again"
)

// requireReason asserts an UNAUTHENTICATED refusal with the reason a client shows.
func requireReason(t *testing.T, err error, reason, msg string) {
	t.Helper()
	requireCoded(t, err, cqerr.Unauthenticated, msg)
	var ce *cqerr.Error
	require.ErrorAs(t, err, &ce)
	require.Equal(t, reason, ce.Reason)
}

// TestSessionLimits plays a hostile client against the idle timeout and the absolute lifetime.
func TestSessionLimits(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()

			t.Run("PayloadTellsTheLimits", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				f.limit(staffLimits, patientLimits)
				start := f.clock.Now()
				s := f.login(t)
				require.NotNil(t, s.IdleTimeoutSeconds)
				require.Equal(t, 900, *s.IdleTimeoutSeconds)
				require.NotNil(t, s.SessionExpiresAt)
				require.True(t, s.SessionExpiresAt.Equal(start.Add(12*time.Hour)))
				f.clock.Advance(10 * time.Minute)
				s, err := f.svc.Refresh(t.Context(), s.RefreshToken)
				require.NoError(t, err)
				require.True(t, s.SessionExpiresAt.Equal(start.Add(12*time.Hour)), "a refresh does not move the end")
			})

			t.Run("RefreshWithinIdleKeepsSessionAlive", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				f.limit(staffLimits, patientLimits)
				s := f.login(t)
				for range 8 { // two hours of refreshes, each just inside the idle timeout
					f.clock.Advance(15 * time.Minute)
					var err error
					s, err = f.svc.Refresh(t.Context(), s.RefreshToken)
					require.NoError(t, err, "exactly the idle timeout is still active")
				}
			})

			t.Run("IdleTokenIsRefusedAndStaysRefused", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				f.limit(staffLimits, patientLimits)
				s1 := f.login(t)
				f.clock.Advance(10 * time.Minute)
				s2, err := f.svc.Refresh(t.Context(), s1.RefreshToken)
				require.NoError(t, err)
				f.clock.Advance(15*time.Minute + time.Second) // idle counts from the last refresh, not sign-in
				before := f.counts(t)
				for range 3 { // retrying does not help, and changes nothing
					_, err = f.svc.Refresh(t.Context(), s2.RefreshToken)
					requireReason(t, err, session.ReasonIdle, staffIdle)
				}
				require.Equal(t, before, f.counts(t))
				rt := f.client.RefreshToken.Query().Where(refreshtoken.TokenHash(auth.HashSecret(s2.RefreshToken))).
					OnlyX(auth.SystemContext(t.Context()))
				require.Nil(t, rt.UsedAt, "the refusal rolled back the rotation")
				_, err = f.svc.Refresh(t.Context(), s1.RefreshToken)
				requireCoded(t, err, cqerr.Unauthenticated, sessionRevoked) // the old token is still a replay
			})

			t.Run("AccessTokenEndsAtIdleDeadline", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				f.limit(session.Limits{Idle: 5 * time.Minute, Lifetime: time.Hour}, patientLimits)
				s := f.login(t)
				require.True(t, s.ExpiresAt.Equal(f.clock.Now().Add(5*time.Minute)), "%s", s.ExpiresAt)
				_, err := f.svc.ViewerFromToken(t.Context(), s.AccessToken)
				require.NoError(t, err)
				f.clock.Advance(5*time.Minute + time.Minute + time.Second) // past the deadline and the parser's leeway
				_, err = f.svc.ViewerFromToken(t.Context(), s.AccessToken)
				requireCoded(t, err, cqerr.Unauthenticated, "")
			})

			t.Run("KeepRefreshingPastLifetime", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				f.limit(staffLimits, patientLimits)
				start := f.clock.Now()
				s := f.login(t)
				var err error
				for f.clock.Now().Add(14 * time.Minute).Before(start.Add(12 * time.Hour)) {
					f.clock.Advance(14 * time.Minute)
					s, err = f.svc.Refresh(t.Context(), s.RefreshToken)
					require.NoError(t, err)
					require.False(t, s.ExpiresAt.After(start.Add(12*time.Hour)), "no access past the lifetime")
				}
				f.clock.Advance(start.Add(12 * time.Hour).Sub(f.clock.Now())) // exactly the end
				before := f.counts(t)
				_, err = f.svc.Refresh(t.Context(), s.RefreshToken)
				requireReason(t, err, session.ReasonExpired, staffExpired)
				require.Equal(t, before, f.counts(t))
				f.clock.Advance(time.Minute)
				_, err = f.svc.Refresh(t.Context(), s.RefreshToken)
				requireReason(t, err, session.ReasonExpired, staffExpired)
			})

			t.Run("PatientHasOwnLimits", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				f.limit(staffLimits, patientLimits)
				_, err := f.svc.RequestPatientCode(t.Context(), mariaPhone)
				require.NoError(t, err)
				p, err := f.svc.VerifyPatientCode(t.Context(), mariaPhone, f.sender.last(t).code)
				require.NoError(t, err)
				require.Equal(t, 14*24*3600, *p.IdleTimeoutSeconds)
				staff := f.login(t)

				f.clock.Advance(3 * 24 * time.Hour) // days without opening the app
				p, err = f.svc.Refresh(t.Context(), p.RefreshToken)
				require.NoError(t, err, "a patient three days idle is still signed in")
				_, err = f.svc.Refresh(t.Context(), staff.RefreshToken)
				requireReason(t, err, session.ReasonExpired, staffExpired) // past staff lifetime, checked first

				f.clock.Advance(14*24*time.Hour + time.Second)
				_, err = f.svc.Refresh(t.Context(), p.RefreshToken)
				requireReason(t, err, session.ReasonIdle, "signed out after 14 days of inactivity, sign in again")
			})

			t.Run("KioskIsNotLoggedOff", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				f.limit(staffLimits, patientLimits)
				f.newUser(t, "kiosk@example.org", "kiosk password 1", user.RoleKIOSK)
				s, err := f.svc.Login(t.Context(), "kiosk@example.org", "kiosk password 1")
				require.NoError(t, err)
				require.Nil(t, s.IdleTimeoutSeconds)
				require.Nil(t, s.SessionExpiresAt)
				f.clock.Advance(20 * time.Hour) // a quiet night, then the next day
				s, err = f.svc.Refresh(t.Context(), s.RefreshToken)
				require.NoError(t, err)
				f.clock.Advance(session.DefaultRefreshTTL + time.Second)
				_, err = f.svc.Refresh(t.Context(), s.RefreshToken)
				requireCoded(t, err, cqerr.Unauthenticated, sessionExpired) // only the token's own expiry
			})
		})
	}
}
