package session_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/ent/refreshtoken"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

const (
	sessionExpired = "session expired, sign in again"
	sessionRevoked = "session revoked, sign in again"
)

func TestRefresh(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()

			t.Run("RotatesTokenInSameFamily", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s1 := f.login(t)
				f.clock.Advance(time.Minute)
				s2, err := f.svc.Refresh(from(t, "203.0.113.8"), s1.RefreshToken)
				require.NoError(t, err)
				require.NotEqual(t, s1.RefreshToken, s2.RefreshToken)
				require.NotEqual(t, s1.AccessToken, s2.AccessToken)
				require.Equal(t, f.ana.ID, s2.User.ID)
				require.True(t, s2.ExpiresAt.After(s1.ExpiresAt))

				c1, err := f.tokens.ParseAccess(s1.AccessToken)
				require.NoError(t, err)
				c2, err := f.tokens.ParseAccess(s2.AccessToken)
				require.NoError(t, err)
				require.Equal(t, c1.SessionID, c2.SessionID)

				sys := auth.SystemContext(t.Context())
				old := f.client.RefreshToken.Query().Where(refreshtoken.TokenHash(auth.HashSecret(s1.RefreshToken))).OnlyX(sys)
				require.NotNil(t, old.UsedAt)
				next := f.client.RefreshToken.Query().Where(refreshtoken.TokenHash(auth.HashSecret(s2.RefreshToken))).OnlyX(sys)
				require.Nil(t, next.UsedAt)
				require.Equal(t, old.FamilyID, next.FamilyID)
				require.Equal(t, "203.0.113.8", next.Address)
				require.Equal(t, 1, f.client.AuditEntry.Query().Where(auditentry.Action("session.refresh")).CountX(sys))

				_, err = f.svc.Refresh(t.Context(), s2.RefreshToken)
				require.NoError(t, err, "the new token rotates in turn")
			})

			t.Run("ReuseRevokesWholeFamily", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s1 := f.login(t)
				s2, err := f.svc.Refresh(t.Context(), s1.RefreshToken)
				require.NoError(t, err)
				other := f.login(t) // another sign-in: another family, unaffected

				_, err = f.svc.Refresh(t.Context(), s1.RefreshToken)
				requireCoded(t, err, cqerr.Unauthenticated, sessionRevoked)
				_, err = f.svc.Refresh(t.Context(), s2.RefreshToken)
				requireCoded(t, err, cqerr.Unauthenticated, sessionRevoked)

				c, err := f.tokens.ParseAccess(s1.AccessToken)
				require.NoError(t, err)
				require.Zero(t, f.count(t, "SELECT count(*) FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL", c.SessionID))
				require.Equal(t, 2, f.count(t, "SELECT count(*) FROM refresh_tokens WHERE family_id = $1", c.SessionID))
				require.Equal(t, 1, f.count(t, "SELECT count(*) FROM audit_entries WHERE action = 'session.reuse'"),
					"the revocation commits although the call fails")

				_, err = f.svc.Refresh(t.Context(), other.RefreshToken)
				require.NoError(t, err)
			})

			t.Run("ConcurrentRefreshSucceedsOnce", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s := f.login(t)
				const n = 4
				var (
					wg    sync.WaitGroup
					start = make(chan struct{})
					errs  = make([]error, n)
					got   = make([]*session.Session, n)
				)
				for i := range n {
					wg.Go(func() {
						<-start
						got[i], errs[i] = f.svc.Refresh(t.Context(), s.RefreshToken)
					})
				}
				close(start)
				wg.Wait()
				ok := 0
				for i, err := range errs {
					if err == nil {
						ok++
						require.NotNil(t, got[i])
						continue
					}
					require.Equal(t, cqerr.Unauthenticated, cqerr.CodeOf(err), "%v", err)
				}
				require.Equal(t, 1, ok)
				require.Equal(t, 1, f.count(t, "SELECT count(*) FROM refresh_tokens WHERE used_at IS NOT NULL"))
				require.Equal(t, 2, f.count(t, "SELECT count(*) FROM refresh_tokens"), "one rotation, one new token")
			})

			t.Run("RefusesExpiredToken", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s := f.login(t)
				f.clock.Advance(session.DefaultRefreshTTL + time.Second)
				before := f.counts(t)
				_, err := f.svc.Refresh(t.Context(), s.RefreshToken)
				requireCoded(t, err, cqerr.Unauthenticated, sessionExpired)
				require.Equal(t, before, f.counts(t))
			})

			t.Run("RefusesAccessTokenAsRefreshToken", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s := f.login(t)
				before := f.counts(t)
				_, err := f.svc.Refresh(t.Context(), s.AccessToken)
				requireCoded(t, err, cqerr.Unauthenticated, sessionExpired)
				_, err = f.svc.ViewerFromToken(t.Context(), s.RefreshToken)
				requireCoded(t, err, cqerr.Unauthenticated, "invalid access token")
				require.Equal(t, before, f.counts(t))
			})

			t.Run("RefusesUnknownToken", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				f.login(t)
				before := f.counts(t)
				unknown, _ := auth.NewRefreshToken()
				for _, tok := range []string{unknown, "", "cqr_short"} {
					_, err := f.svc.Refresh(t.Context(), tok)
					requireCoded(t, err, cqerr.Unauthenticated, sessionExpired)
				}
				require.Equal(t, before, f.counts(t))
			})

			t.Run("RefusesInactiveUser", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s := f.login(t)
				f.client.User.UpdateOneID(f.ana.ID).SetActive(false).ExecX(auth.SystemContext(t.Context()))
				before := f.counts(t)
				_, err := f.svc.Refresh(t.Context(), s.RefreshToken)
				requireCoded(t, err, cqerr.Unauthenticated, sessionExpired)
				require.Equal(t, before, f.counts(t))
			})
		})
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()

			t.Run("RevokesFamily", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s1 := f.login(t)
				s2, err := f.svc.Refresh(t.Context(), s1.RefreshToken)
				require.NoError(t, err)
				ok, err := f.svc.Logout(t.Context(), s2.RefreshToken)
				require.NoError(t, err)
				require.True(t, ok)
				_, err = f.svc.Refresh(t.Context(), s2.RefreshToken)
				requireCoded(t, err, cqerr.Unauthenticated, sessionRevoked)
				require.Zero(t, f.count(t, "SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL"))
				require.Equal(t, 1, f.count(t, "SELECT count(*) FROM audit_entries WHERE action = 'session.logout'"))

				ok, err = f.svc.Logout(t.Context(), s2.RefreshToken)
				require.NoError(t, err)
				require.True(t, ok, "logging out twice is fine")
			})

			t.Run("UnknownTokenIsTrueAndChangesNothing", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s := f.login(t)
				before := f.counts(t)
				unknown, _ := auth.NewRefreshToken()
				for _, tok := range []string{unknown, "", "garbage", s.AccessToken} {
					ok, err := f.svc.Logout(t.Context(), tok)
					require.NoError(t, err)
					require.True(t, ok)
				}
				require.Equal(t, before, f.counts(t))
				_, err := f.svc.Refresh(t.Context(), s.RefreshToken)
				require.NoError(t, err)
			})
		})
	}
}
