package session_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

func TestVerifyStaffPassword(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()

			t.Run("ReturnsTheViewerAndAudits", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				before := f.counts(t)
				v, err := f.svc.VerifyStaffPassword(from(t, "203.0.113.7"), " Admin@Example.org", "admin password 1", "jobs.monitor")
				require.NoError(t, err)
				require.Equal(t, auth.Viewer{UserID: f.admin.ID, Role: auth.RoleAdmin, FacilityID: f.facility.ID}, v)

				after := f.counts(t)
				require.Equal(t, before["audit_entries"]+1, after["audit_entries"])
				after["audit_entries"] = before["audit_entries"]
				require.Equal(t, before, after, "no session, no refresh token")
				e := f.client.AuditEntry.Query().Where(auditentry.Action("session.verify")).OnlyX(auth.SystemContext(t.Context()))
				require.Equal(t, string(f.admin.ID), e.ActorID)
				require.Equal(t, "ADMIN", e.ActorRole)
				require.Equal(t, string(f.admin.ID), e.EntityID)
				require.Equal(t, "203.0.113.7", e.Address)
				require.Equal(t, "jobs.monitor", e.After["purpose"])
			})

			t.Run("ReturnsNonAdminStaffToo", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				v, err := f.svc.VerifyStaffPassword(from(t, "203.0.113.7"), anaEmail, anaPassword, "jobs.monitor")
				require.NoError(t, err)
				require.Equal(t, auth.RoleClinician, v.Role, "the caller decides which roles get in")
			})

			for name, tc := range map[string]struct {
				email, password string
				setup           func(t *testing.T, f *fixture)
			}{
				"RefusesWrongPassword": {email: anaEmail, password: "correct horse batterY"},
				"RefusesUnknownEmail":  {email: "nobody@example.org", password: anaPassword},
				"RefusesInactiveUser": {email: anaEmail, password: anaPassword, setup: func(t *testing.T, f *fixture) {
					f.client.User.UpdateOneID(f.ana.ID).SetActive(false).ExecX(auth.SystemContext(t.Context()))
				}},
				"RefusesPatientAccount": {email: "pat@example.org", password: "a patient password", setup: func(t *testing.T, f *fixture) {
					f.newUser(t, "pat@example.org", "a patient password", user.RolePATIENT)
				}},
			} {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					f := newFixture(t, d)
					if tc.setup != nil {
						tc.setup(t, f)
					}
					before := f.counts(t)
					_, err := f.svc.VerifyStaffPassword(from(t, "203.0.113.7"), tc.email, tc.password, "jobs.monitor")
					requireCoded(t, err, cqerr.Unauthenticated, badCredentials)
					f.requireOnlyRefusalsAudited(t, before)
				})
			}

			t.Run("SharesLoginRateLimits", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				for i := range 4 {
					_, err := f.svc.VerifyStaffPassword(from(t, fmt.Sprintf("198.51.100.%d", i)), anaEmail, "wrong password", "jobs.monitor")
					requireCoded(t, err, cqerr.Unauthenticated, badCredentials)
				}
				_, err := f.svc.Login(from(t, "198.51.100.50"), anaEmail, "wrong password")
				requireCoded(t, err, cqerr.Unauthenticated, badCredentials)
				_, err = f.svc.VerifyStaffPassword(from(t, "198.51.100.99"), anaEmail, anaPassword, "jobs.monitor")
				requireCoded(t, err, cqerr.RateLimited, "too many attempts, try again in 60 seconds")
			})
		})
	}
}
