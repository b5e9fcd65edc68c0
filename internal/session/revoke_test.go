package session_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/admin"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

const accountChanged = "your account was disabled or changed, sign in again"

// recordedRevocations is the fixture's RevocationPublisher: it records whom each revocation named.
type recordedRevocations struct {
	mu    sync.Mutex
	users []string
}

func (r *recordedRevocations) PublishRevocation(_ context.Context, userID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.users = append(r.users, userID)
	return nil
}

func (r *recordedRevocations) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.users...)
}

// viewer checks an access token as a request would.
func (f *fixture) viewer(t *testing.T, access string) error {
	t.Helper()
	_, err := f.svc.ViewerFromToken(t.Context(), access)
	return err
}

// otherReplica is a second Service on the same database that hears no revocation messages: what a
// replica that missed them does.
func (f *fixture) otherReplica(t *testing.T) *session.Service {
	t.Helper()
	o := f.opts
	o.Revocations = nil
	return session.New(f.db, o)
}

func requireAccountChanged(t *testing.T, err error) {
	t.Helper()
	requireCoded(t, err, cqerr.Unauthenticated, accountChanged)
	require.ErrorIs(t, err, auth.ErrAccountChanged)
}

func requireSessionRevoked(t *testing.T, err error) {
	t.Helper()
	requireCoded(t, err, cqerr.Unauthenticated, sessionRevoked)
	require.NotErrorIs(t, err, auth.ErrAccountChanged)
}

func TestRevocationRefusesAccessTokensAtOnce(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()

			t.Run("Logout", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s, other := f.login(t), f.login(t)
				require.NoError(t, f.viewer(t, s.AccessToken), "warms the cache")
				_, err := f.svc.Logout(t.Context(), s.RefreshToken)
				require.NoError(t, err)
				requireSessionRevoked(t, f.viewer(t, s.AccessToken))
				require.NoError(t, f.viewer(t, other.AccessToken), "the user's other session goes on")
				require.Equal(t, []string{string(f.ana.ID)}, f.revoked.all())
			})

			t.Run("RefreshTokenReuseRefusesTheWholeFamily", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s1 := f.login(t)
				s2, err := f.svc.Refresh(t.Context(), s1.RefreshToken)
				require.NoError(t, err)
				require.NoError(t, f.viewer(t, s2.AccessToken))

				_, err = f.svc.Refresh(t.Context(), s1.RefreshToken) // the thief's replay
				requireCoded(t, err, cqerr.Unauthenticated, sessionRevoked)
				requireSessionRevoked(t, f.viewer(t, s1.AccessToken))
				requireSessionRevoked(t, f.viewer(t, s2.AccessToken))
				require.Equal(t, []string{string(f.ana.ID)}, f.revoked.all())
			})

			t.Run("PasswordChangeEndsEverySession", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				a, b := f.login(t), f.login(t)
				require.NoError(t, f.viewer(t, a.AccessToken))
				_, err := f.svc.SetPassword(testfactory.As(t.Context(), f.admin), f.ana.ID, "a brand new password")
				require.NoError(t, err)
				requireSessionRevoked(t, f.viewer(t, a.AccessToken))
				requireSessionRevoked(t, f.viewer(t, b.AccessToken))
				require.Equal(t, []string{string(f.ana.ID)}, f.revoked.all())
			})

			t.Run("RolledBackChangeAnnouncesNothing", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s := f.login(t)
				_, err := f.svc.SetPassword(testfactory.As(t.Context(), f.ana), f.ana.ID, "a brand new password")
				requireCoded(t, err, cqerr.Forbidden, "")
				require.NoError(t, f.viewer(t, s.AccessToken))
				require.Empty(t, f.revoked.all())
			})

			for _, tc := range []struct {
				name   string
				change func(u *ent.UpdateUserInput)
			}{
				{"Disabled", func(u *ent.UpdateUserInput) { u.Active = ptr(false) }},
				{"RoleChanged", func(u *ent.UpdateUserInput) { u.Role = ptr(user.RoleRECEPTIONIST) }},
			} {
				t.Run(tc.name+"ByAnAdmin", func(t *testing.T) {
					t.Parallel()
					f := newFixture(t, d)
					s := f.login(t)
					require.NoError(t, f.viewer(t, s.AccessToken))
					var in ent.UpdateUserInput
					tc.change(&in)
					_, err := admin.New(f.db, f.svc, nil).UpdateUser(testfactory.As(t.Context(), f.admin), f.ana.ID, in)
					require.NoError(t, err)

					requireAccountChanged(t, f.viewer(t, s.AccessToken))
					_, err = f.svc.Refresh(t.Context(), s.RefreshToken)
					requireCoded(t, err, cqerr.Unauthenticated, sessionRevoked)
					require.Equal(t, []string{string(f.ana.ID)}, f.revoked.all())
					require.Equal(t, 1, f.count(t, "SELECT count(*) FROM audit_entries WHERE action = 'session.revokeAll' AND entity_id = $1", string(f.ana.ID)))
				})
			}

			t.Run("RenamingKeepsTheSessions", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s := f.login(t)
				_, err := admin.New(f.db, f.svc, nil).UpdateUser(testfactory.As(t.Context(), f.admin), f.ana.ID, ent.UpdateUserInput{Name: ptr("Ana María")})
				require.NoError(t, err)
				require.NoError(t, f.viewer(t, s.AccessToken))
				_, err = f.svc.Refresh(t.Context(), s.RefreshToken)
				require.NoError(t, err)
				require.Empty(t, f.revoked.all())
			})
		})
	}
}

// TestRevocationWithoutTheMessage is a replica that missed the revocation message: it goes on trusting
// what it cached until the TTL, then refuses.
func TestRevocationWithoutTheMessage(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d)
			other := f.otherReplica(t)
			s := f.login(t)
			_, err := other.ViewerFromToken(t.Context(), s.AccessToken)
			require.NoError(t, err)

			// The database changes behind the replica's back: no announcement at all.
			f.client.User.UpdateOneID(f.ana.ID).SetActive(false).ExecX(auth.SystemContext(t.Context()))
			_, err = other.ViewerFromToken(t.Context(), s.AccessToken)
			require.NoError(t, err, "a warm cache answers without the database")

			f.clock.Advance(session.DefaultRevocationTTL)
			_, err = other.ViewerFromToken(t.Context(), s.AccessToken)
			requireAccountChanged(t, err)

			other.Forget(string(f.ana.ID)) // and the message, when it arrives, changes nothing
			_, err = other.ViewerFromToken(t.Context(), s.AccessToken)
			requireAccountChanged(t, err)
		})
	}
}

// TestRevocationHostileTokens presents tokens signed with the real key (an attacker who kept an old
// one) whose claims no longer match the account.
func TestRevocationHostileTokens(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d)
			s := f.login(t)
			c, err := f.tokens.ParseAccess(s.AccessToken)
			require.NoError(t, err)
			issue := func(edit func(*auth.AccessClaims)) string {
				cl := c
				edit(&cl)
				tok, _, err := f.tokens.IssueAccess(cl)
				require.NoError(t, err)
				return tok
			}

			// A token from before a demotion still says ADMIN: the account says CLINICIAN.
			requireAccountChanged(t, f.viewer(t, issue(func(c *auth.AccessClaims) { c.Role = auth.RoleAdmin })))
			// A token from before a move to another facility.
			requireAccountChanged(t, f.viewer(t, issue(func(c *auth.AccessClaims) { c.FacilityID = "FA00000000000000000000000" })))
			// A global-admin token: the account has a facility.
			requireAccountChanged(t, f.viewer(t, issue(func(c *auth.AccessClaims) { c.FacilityID = "" })))
			// A token of an account that was deleted.
			requireCoded(t, f.viewer(t, issue(func(c *auth.AccessClaims) { c.UserID = "US00000000000000000000000" })),
				cqerr.Unauthenticated, sessionExpired)
			// Someone else's session id under Ana's name: that session is revoked, so Ana's claim fails.
			other := f.newUser(t, "bob@example.org", "bob password 123", user.RoleCLINICIAN)
			bob, err := f.svc.Login(t.Context(), "bob@example.org", "bob password 123")
			require.NoError(t, err)
			bc, err := f.tokens.ParseAccess(bob.AccessToken)
			require.NoError(t, err)
			_, err = f.svc.Logout(t.Context(), bob.RefreshToken)
			require.NoError(t, err)
			requireSessionRevoked(t, f.viewer(t, issue(func(c *auth.AccessClaims) { c.SessionID = bc.SessionID })))
			require.NotEqual(t, f.ana.ID, other.ID)

			// A refresh token or garbage in place of an access token never reaches the database check.
			for _, bad := range []string{s.RefreshToken, "", "x", s.AccessToken + "x"} {
				requireCoded(t, f.viewer(t, bad), cqerr.Unauthenticated, "")
			}
			require.NoError(t, f.viewer(t, s.AccessToken), "the genuine token still works")
		})
	}
}

// TestRevocationCheckFailsClosed: when the check cannot be made the token is not honoured.
func TestRevocationCheckFailsClosed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.Dialects(t)[0])
	s := f.login(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := f.svc.ViewerFromToken(ctx, s.AccessToken)
	require.Error(t, err)
	require.ErrorIs(t, err, context.Canceled)
	require.NotEqual(t, cqerr.Unauthenticated, cqerr.CodeOf(err), "a failed check is not a verdict on the token")
}

// TestViewerFromTokenCost measures a request's token check with a warm cache (every request but one per
// session per TTL) and a cold one (two indexed reads). Run with -v to see the figures.
func TestViewerFromTokenCost(t *testing.T) {
	if testing.Short() {
		t.Skip("measures")
	}
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			s := f.login(t)
			warm := testing.Benchmark(func(b *testing.B) {
				for b.Loop() {
					if _, err := f.svc.ViewerFromToken(t.Context(), s.AccessToken); err != nil {
						b.Fatal(err)
					}
				}
			})
			cold := testing.Benchmark(func(b *testing.B) {
				for b.Loop() {
					f.svc.Forget(string(f.ana.ID))
					if _, err := f.svc.ViewerFromToken(t.Context(), s.AccessToken); err != nil {
						b.Fatal(err)
					}
				}
			})
			parse := testing.Benchmark(func(b *testing.B) {
				for b.Loop() {
					if _, err := f.tokens.ParseAccess(s.AccessToken); err != nil {
						b.Fatal(err)
					}
				}
			})
			t.Logf("%s: signature check alone %d ns/op; with the revocation check, warm %d ns/op (%d allocs), cold %d ns/op",
				d, parse.NsPerOp(), warm.NsPerOp(), warm.AllocsPerOp(), cold.NsPerOp())
			require.Less(t, warm.NsPerOp(), cold.NsPerOp(), "the warm path skips the database")
		})
	}
}
