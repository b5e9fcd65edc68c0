package session_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

func ptr[T any](v T) *T { return &v }

func TestCreateUser(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()

			t.Run("CreatesUserInAdminsFacility", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				u, err := f.svc.CreateUser(testfactory.As(from(t, "10.0.0.1"), f.admin), ent.CreateUserInput{
					Email: ptr(" Bob@Example.ORG "), Name: "Bob", Role: user.RoleRECEPTIONIST,
				}, "a long enough password")
				require.NoError(t, err)
				require.Equal(t, "bob@example.org", u.Email)
				require.Equal(t, f.facility.ID, u.FacilityID)
				require.NotEmpty(t, u.PasswordHash)

				entry := f.client.AuditEntry.Query().Where(auditentry.Action("user.create")).OnlyX(auth.SystemContext(t.Context()))
				require.Equal(t, string(u.ID), entry.EntityID)
				require.Equal(t, string(f.admin.ID), entry.ActorID)
				require.NotContains(t, entry.After, "password_hash")

				s, err := f.svc.Login(from(t, "10.0.0.2"), "bob@example.org", "a long enough password")
				require.NoError(t, err)
				require.Equal(t, u.ID, s.User.ID)
			})

			for name, tc := range map[string]struct {
				viewer   func(f *fixture) *ent.User
				input    ent.CreateUserInput
				password string
				code     cqerr.Code
				msg      string
			}{
				"RefusesWeakPassword": {
					input:    ent.CreateUserInput{Email: ptr("bob@example.org"), Name: "Bob", Role: user.RoleCLINICIAN},
					password: "short", code: cqerr.BadUserInput, msg: "password is too short: use at least 10 characters",
				},
				"RefusesDuplicateEmail": {
					input:    ent.CreateUserInput{Email: ptr("ANA@example.org"), Name: "Other Ana", Role: user.RoleCLINICIAN},
					password: "a long enough password", code: cqerr.Conflict, msg: "a user with this email already exists",
				},
				"RequiresEmailForStaff": {
					input:    ent.CreateUserInput{Name: "Bob", Role: user.RoleCLINICIAN},
					password: "a long enough password", code: cqerr.BadUserInput, msg: "email is required for staff and integration accounts",
				},
				"RefusesMalformedEmail": {
					input:    ent.CreateUserInput{Email: ptr("Bob <bob@example.org>"), Name: "Bob", Role: user.RoleCLINICIAN},
					password: "a long enough password", code: cqerr.BadUserInput,
				},
				"RefusesUnknownFacility": {
					input: ent.CreateUserInput{Email: ptr("bob@example.org"), Name: "Bob", Role: user.RoleCLINICIAN,
						FacilityID: ptr(pulid.New("FA"))},
					password: "a long enough password", code: cqerr.Forbidden,
				},
				"RefusesNonAdmin": {
					viewer:   func(f *fixture) *ent.User { return f.ana },
					input:    ent.CreateUserInput{Email: ptr("bob@example.org"), Name: "Bob", Role: user.RoleADMIN},
					password: "a long enough password", code: cqerr.Forbidden, msg: "you are not allowed to create users here",
				},
				"RefusesAnonymous": {
					viewer:   func(*fixture) *ent.User { return nil },
					input:    ent.CreateUserInput{Email: ptr("bob@example.org"), Name: "Bob", Role: user.RoleADMIN},
					password: "a long enough password", code: cqerr.Unauthenticated,
				},
			} {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					f := newFixture(t, d)
					ctx := testfactory.As(t.Context(), f.admin)
					if tc.viewer != nil {
						ctx = t.Context()
						if v := tc.viewer(f); v != nil {
							ctx = testfactory.As(ctx, v)
						}
					}
					before := f.counts(t)
					_, err := f.svc.CreateUser(ctx, tc.input, tc.password)
					requireCoded(t, err, tc.code, tc.msg)
					require.Equal(t, before, f.counts(t))
				})
			}

			t.Run("GlobalAdminHitsUnknownFacility", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				global := testfactory.User(t.Context(), t, f.client, &testfactory.UserOpts{Role: user.RoleADMIN})
				before := f.counts(t)
				_, err := f.svc.CreateUser(testfactory.As(t.Context(), global), ent.CreateUserInput{
					Email: ptr("bob@example.org"), Name: "Bob", Role: user.RoleCLINICIAN, FacilityID: ptr(pulid.New("FA")),
				}, "a long enough password")
				requireCoded(t, err, cqerr.BadUserInput, "facility does not exist")
				require.Equal(t, before, f.counts(t))
			})
		})
	}
}

func TestSetPassword(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()

			t.Run("ReplacesPasswordAndRevokesSessions", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				s := f.login(t)
				ok, err := f.svc.SetPassword(testfactory.As(t.Context(), f.admin), f.ana.ID, "a brand new password")
				require.NoError(t, err)
				require.True(t, ok)

				_, err = f.svc.Refresh(t.Context(), s.RefreshToken)
				requireCoded(t, err, cqerr.Unauthenticated, sessionRevoked)
				_, err = f.svc.Login(from(t, "10.0.0.3"), anaEmail, anaPassword)
				requireCoded(t, err, cqerr.Unauthenticated, badCredentials)
				_, err = f.svc.Login(from(t, "10.0.0.3"), anaEmail, "a brand new password")
				require.NoError(t, err)
				require.Equal(t, 1, f.count(t, "SELECT count(*) FROM audit_entries WHERE action = 'user.setPassword'"))
			})

			for name, tc := range map[string]struct {
				viewer   func(f *fixture) *ent.User
				id       func(f *fixture) pulid.ID
				password string
				code     cqerr.Code
			}{
				"RefusesNonAdmin": {
					viewer: func(f *fixture) *ent.User { return f.ana }, id: func(f *fixture) pulid.ID { return f.admin.ID },
					password: "a brand new password", code: cqerr.Forbidden,
				},
				"RefusesWeakPassword": {
					viewer: func(f *fixture) *ent.User { return f.admin }, id: func(f *fixture) pulid.ID { return f.ana.ID },
					password: "short", code: cqerr.BadUserInput,
				},
				"RefusesUnknownUser": {
					viewer: func(f *fixture) *ent.User { return f.admin }, id: func(*fixture) pulid.ID { return pulid.New("US") },
					password: "a brand new password", code: cqerr.NotFound,
				},
			} {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					f := newFixture(t, d)
					f.login(t)
					before := f.counts(t)
					_, err := f.svc.SetPassword(testfactory.As(t.Context(), tc.viewer(f)), tc.id(f), tc.password)
					requireCoded(t, err, tc.code, "")
					require.Equal(t, before, f.counts(t))
					require.Zero(t, f.count(t, "SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NOT NULL"))
				})
			}
		})
	}
}
