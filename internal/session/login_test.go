package session_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/ent/refreshtoken"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

const badCredentials = "email or password is incorrect"

func TestLogin(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()

			t.Run("SignsInWithPassword", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s, err := f.svc.Login(from(t, "203.0.113.7"), "  ANA@Example.org ", anaPassword)
				require.NoError(t, err)
				require.Equal(t, f.ana.ID, s.User.ID)
				require.True(t, auth.IsRefreshToken(s.RefreshToken))
				require.Equal(t, f.clock.Now().Add(auth.DefaultAccessTTL), s.ExpiresAt)

				claims, err := f.tokens.ParseAccess(s.AccessToken)
				require.NoError(t, err)
				require.Equal(t, auth.AccessClaims{
					UserID: string(f.ana.ID), Role: auth.RoleClinician, FacilityID: string(f.facility.ID),
					SessionID: claims.SessionID, ExpiresAt: s.ExpiresAt,
				}, claims)

				sys := auth.SystemContext(t.Context())
				rt := f.client.RefreshToken.Query().OnlyX(sys)
				require.Equal(t, auth.HashSecret(s.RefreshToken), rt.TokenHash)
				require.Equal(t, claims.SessionID, rt.FamilyID, "the session id is the token family")
				require.Equal(t, "203.0.113.7", rt.Address)
				require.Equal(t, f.ana.ID, rt.UserID)
				require.WithinDuration(t, f.clock.Now().Add(30*24*time.Hour), rt.ExpiresAt, time.Second)

				u := f.client.User.GetX(sys, f.ana.ID)
				require.NotNil(t, u.LastLoginAt)
				entry := f.client.AuditEntry.Query().Where(auditentry.Action("session.login")).OnlyX(sys)
				require.Equal(t, string(f.ana.ID), entry.ActorID)
				require.Equal(t, claims.SessionID, entry.EntityID)
				require.Equal(t, "203.0.113.7", entry.Address)

				v, err := f.svc.ViewerFromToken(t.Context(), s.AccessToken)
				require.NoError(t, err)
				require.Equal(t, auth.Viewer{UserID: f.ana.ID, Role: auth.RoleClinician, FacilityID: f.facility.ID, Expires: s.ExpiresAt.Truncate(time.Second).UTC()}, v)
				me, err := f.svc.Me(auth.NewContext(t.Context(), v))
				require.NoError(t, err)
				require.Equal(t, f.ana.ID, me.ID)
			})

			for name, tc := range map[string]struct {
				email, password string
				setup           func(t *testing.T, f *fixture)
			}{
				"RefusesWrongPassword":          {email: anaEmail, password: "correct horse batterY"},
				"RefusesUnknownEmailTheSameWay": {email: "nobody@example.org", password: anaPassword},
				"RefusesEmptyEmailTheSameWay":   {email: "", password: anaPassword},
				"RefusesInactiveUserTheSameWay": {email: anaEmail, password: anaPassword, setup: func(t *testing.T, f *fixture) {
					f.client.User.UpdateOneID(f.ana.ID).SetActive(false).ExecX(auth.SystemContext(t.Context()))
				}},
				"RefusesPatientWithoutPasswordTheSameWay": {email: "pat@example.org", password: "", setup: func(t *testing.T, f *fixture) {
					testfactory.User(t.Context(), t, f.client, &testfactory.UserOpts{Email: "pat@example.org", Role: user.RolePATIENT})
				}},
			} {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					f := newFixture(t, d)
					if tc.setup != nil {
						tc.setup(t, f)
					}
					before := f.counts(t)
					_, err := f.svc.Login(from(t, "203.0.113.7"), tc.email, tc.password)
					requireCoded(t, err, cqerr.Unauthenticated, badCredentials)
					f.requireOnlyRefusalsAudited(t, before)
				})
			}

			t.Run("RateLimitsPerAccount", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				for i := range 5 {
					_, err := f.svc.Login(from(t, fmt.Sprintf("198.51.100.%d", i)), anaEmail, "wrong password")
					requireCoded(t, err, cqerr.Unauthenticated, badCredentials)
				}
				before := f.counts(t)
				_, err := f.svc.Login(from(t, "198.51.100.99"), "Ana@example.org", anaPassword)
				requireCoded(t, err, cqerr.RateLimited, "too many attempts, try again in 60 seconds")
				require.Equal(t, before, f.counts(t))

				f.clock.Advance(time.Minute)
				f.login(t)
			})

			t.Run("RateLimitsFailuresPerAddress", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				for i := range 20 {
					_, err := f.svc.Login(from(t, "198.51.100.1"), fmt.Sprintf("guess%d@example.org", i), "whatever")
					requireCoded(t, err, cqerr.Unauthenticated, badCredentials)
				}
				before := f.counts(t)
				_, err := f.svc.Login(from(t, "198.51.100.1"), anaEmail, anaPassword)
				requireCoded(t, err, cqerr.RateLimited, "too many attempts, try again in 60 seconds")
				require.Equal(t, before, f.counts(t))
				_, err = f.svc.Login(from(t, "198.51.100.2"), anaEmail, anaPassword)
				require.NoError(t, err, "another address is not affected")
			})

			// Shift change: a ward's staff sign in from one NAT address within a minute, a few of them
			// mistyping once. Only failures count against the address, so nobody is turned away.
			t.Run("ShiftChangeFromOneAddressIsNotThrottled", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				const ward = "198.51.100.50"
				for i := range 30 {
					email := fmt.Sprintf("nurse%d@example.org", i)
					password := fmt.Sprintf("nurse %d password", i)
					f.newUser(t, email, password, user.RoleCLINICIAN)
					if i%5 == 0 {
						_, err := f.svc.Login(from(t, ward), email, "a typo")
						requireCoded(t, err, cqerr.Unauthenticated, badCredentials)
					}
					_, err := f.svc.Login(from(t, ward), email, password)
					require.NoError(t, err, "nurse %d", i)
				}
			})

			t.Run("RehashesOutdatedPassword", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				old := auth.NewPasswordHasher(auth.PasswordParams{Memory: 128, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
				h, err := old.Hash(anaPassword)
				require.NoError(t, err)
				sys := auth.SystemContext(t.Context())
				f.client.User.UpdateOneID(f.ana.ID).SetPasswordHash(h).ExecX(sys)

				f.login(t)
				stored := f.client.User.GetX(sys, f.ana.ID).PasswordHash
				require.NotEqual(t, h, stored)
				require.False(t, f.hasher.NeedsRehash(stored))
				f.login(t)
			})

			t.Run("MeIsNilWhenAnonymous", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				me, err := f.svc.Me(t.Context())
				require.NoError(t, err)
				require.Nil(t, me)
			})

			t.Run("StoresNoTokenInClear", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s := f.login(t)
				require.Zero(t, f.count(t, "SELECT count(*) FROM refresh_tokens WHERE token_hash = $1", s.RefreshToken))
				require.Equal(t, 1, f.client.RefreshToken.Query().
					Where(refreshtoken.TokenHash(auth.HashSecret(s.RefreshToken))).CountX(auth.SystemContext(t.Context())))
			})
		})
	}
}
