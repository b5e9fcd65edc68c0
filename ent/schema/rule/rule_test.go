package rule_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

// TestScopes checks who reads which patients and who may change what, on a two-facility hospital group.
func TestScopes(t *testing.T) {
	t.Parallel()
	db := storetest.NewMigratedDB(t, store.SQLite, migrations.FS)
	c := db.Client()
	ctx := context.Background()
	sys := auth.SystemContext(ctx)
	a := testfactory.Facility(ctx, t, c, nil)
	b := testfactory.Facility(ctx, t, c, nil)
	account := testfactory.User(ctx, t, c, &testfactory.UserOpts{Role: user.RolePATIENT})
	own := testfactory.Patient(ctx, t, c, &testfactory.PatientOpts{FacilityID: a.ID, AccountID: account.ID})
	testfactory.Patient(ctx, t, c, &testfactory.PatientOpts{FacilityID: a.ID})
	far := testfactory.Patient(ctx, t, c, &testfactory.PatientOpts{FacilityID: b.ID})
	as := func(role auth.Role, facility, userID pulid.ID) context.Context {
		return auth.NewContext(context.Background(), auth.Viewer{UserID: userID, Role: role, FacilityID: facility})
	}
	for _, tc := range []struct {
		name     string
		ctx      context.Context
		patients int
		denied   bool
	}{
		{"ClinicianSeesOwnFacility", as(auth.RoleClinician, a.ID, "US1"), 2, false},
		{"GlobalAdminSeesAll", as(auth.RoleAdmin, "", "US2"), 3, false},
		{"FacilityAdminSeesOwnFacility", as(auth.RoleAdmin, b.ID, "US3"), 1, false},
		{"PatientSeesOwnRecord", as(auth.RolePatient, "", account.ID), 1, false},
		{"StaffWithoutFacilitySeesNothing", as(auth.RoleReceptionist, "", "US4"), 0, true},
		{"AnonymousSeesNothing", context.Background(), 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := c.Patient.Query().Count(tc.ctx)
			if tc.denied {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.patients, n)
		})
	}

	t.Run("ErrFacilityAdminCreatesInOtherFacility", func(t *testing.T) {
		_, err := c.Department.Create().SetName("X").SetFacilityID(b.ID).Save(as(auth.RoleAdmin, a.ID, "US5"))
		require.Error(t, err)
	})
	t.Run("ErrFacilityAdminCreatesGlobalUser", func(t *testing.T) {
		_, err := c.User.Create().SetName("X").SetEmail("x@y.z").SetRole("ADMIN").Save(as(auth.RoleAdmin, a.ID, "US5"))
		require.Error(t, err)
	})
	t.Run("ErrFacilityAdminMovesUserOut", func(t *testing.T) {
		u := testfactory.User(ctx, t, c, &testfactory.UserOpts{FacilityID: a.ID})
		require.Error(t, c.User.UpdateOne(u).ClearFacilityID().Exec(as(auth.RoleAdmin, a.ID, "US5")))
		require.Error(t, c.User.UpdateOne(u).SetFacilityID(b.ID).Exec(as(auth.RoleAdmin, a.ID, "US5")))
	})
	t.Run("FacilityAdminCannotUpdateOtherFacility", func(t *testing.T) {
		err := c.Facility.UpdateOne(b).SetName("Mine now").Exec(as(auth.RoleAdmin, a.ID, "US5"))
		require.Error(t, err)
		require.Equal(t, b.Name, c.Facility.GetX(sys, b.ID).Name)
	})
	t.Run("OperationalRecordsFollowThePatientsFacility", func(t *testing.T) {
		for _, p := range []pulid.ID{own.ID, far.ID} {
			c.Notification.Create().SetChannel("SMS").SetKind("checked_in").SetPatientID(string(p)).ExecX(sys)
			c.Device.Create().SetPlatform("IOS").SetPushToken("tok-" + string(p)).SetPatientID(p).ExecX(sys)
		}
		c.Notification.Create().SetChannel("LOG").SetKind("code").ExecX(sys) // nobody's record
		count := func(ctx context.Context, q interface {
			Count(context.Context) (int, error)
		}) int {
			n, err := q.Count(ctx)
			require.NoError(t, err)
			return n
		}
		require.Equal(t, 1, count(as(auth.RoleAdmin, a.ID, "US3"), c.Notification.Query()))
		require.Equal(t, 3, count(as(auth.RoleAdmin, "", "US2"), c.Notification.Query()))
		require.Equal(t, 1, count(as(auth.RoleClinician, b.ID, "US1"), c.Device.Query()), "staff see their facility's devices only")
		require.Equal(t, 1, count(as(auth.RolePatient, "", account.ID), c.Device.Query()))
		_, err := c.Notification.Query().Count(as(auth.RoleClinician, a.ID, "US1"))
		require.Error(t, err, "the notification log is for admins")
		n, err := c.Device.Delete().Exec(as(auth.RolePatient, "", account.ID))
		require.NoError(t, err)
		require.Equal(t, 1, n, "a patient removes only their own device")
		require.Equal(t, 1, c.Device.Query().CountX(sys))
	})
	t.Run("ErrTicketChangeOutsideWorkflow", func(t *testing.T) {
		_, err := c.Ticket.Update().SetNote("x").Save(as(auth.RoleAdmin, "", "US2"))
		require.Error(t, err, "tickets change only inside a workflow action")
	})
}
