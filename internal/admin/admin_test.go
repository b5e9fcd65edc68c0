package admin_test

import (
	"context"
	"testing"
	"time"

	"entgo.io/ent/privacy"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/ent/department"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/servicepoint"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/admin"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

func ptr[T any](v T) *T { return &v }

// requireCode requires err to carry code, naming field when field is not empty.
func requireCode(t *testing.T, err error, code cqerr.Code, field string) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, cqerr.CodeOf(err), "%v", err)
	if field != "" {
		var e *cqerr.Error
		require.ErrorAs(t, err, &e)
		require.Equal(t, field, e.Field)
	}
}

// requireForbidden requires a privacy denial, which the API answers with FORBIDDEN.
func requireForbidden(t *testing.T, err error) {
	t.Helper()
	require.ErrorIs(t, err, privacy.Deny)
}

// requireConflict requires a unique-constraint violation, which the API answers with CONFLICT.
func requireConflict(t *testing.T, err error) {
	t.Helper()
	require.True(t, ent.IsConstraintError(err), "want a constraint error, got %v", err)
}

func TestService(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := storetest.NewMigratedDB(t, d, migrations.FS)
			c := db.Ent
			svc := admin.New(db, nil, nil)
			ctx := context.Background()
			sys := auth.SystemContext(ctx)
			// Two facilities; global is the group's admin, h.Admin only h's.
			h := testfactory.SmallHospital(ctx, t, c, nil)
			far := testfactory.SmallHospital(ctx, t, c, nil)
			global := testfactory.As(ctx, testfactory.User(ctx, t, c, &testfactory.UserOpts{Role: user.RoleADMIN}))
			facilityAdmin := testfactory.As(ctx, h.Admin)
			audited := func(t *testing.T, action string, id pulid.ID) *ent.AuditEntry {
				t.Helper()
				e, err := c.AuditEntry.Query().Where(auditentry.Action(action), auditentry.EntityID(string(id))).Only(sys)
				require.NoError(t, err, "one %s entry for %s", action, id)
				return e
			}

			t.Run("GlobalAdminCreatesFacilityAudited", func(t *testing.T) {
				t.Parallel()
				f, err := svc.CreateFacility(global, ent.CreateFacilityInput{Name: "North", Timezone: ptr("Europe/Paris")})
				require.NoError(t, err)
				require.Equal(t, "Europe/Paris", f.Timezone)
				e := audited(t, "facility.create", f.ID)
				require.Equal(t, "Facility", e.EntityType)
				require.Equal(t, string(auth.RoleAdmin), e.ActorRole)
				require.Equal(t, "North", e.After["name"])
			})

			t.Run("ErrFacilityAdminCreatesFacility", func(t *testing.T) {
				t.Parallel()
				_, err := svc.CreateFacility(facilityAdmin, ent.CreateFacilityInput{Name: "Mine"})
				requireForbidden(t, err)
			})

			t.Run("ErrUnknownTimeZone", func(t *testing.T) {
				t.Parallel()
				for name, run := range map[string]func() error{
					"Create": func() error {
						_, err := svc.CreateFacility(global, ent.CreateFacilityInput{Name: "Mars", Timezone: ptr("Mars/Olympus")})
						return err
					},
					"CreateLocal": func() error {
						_, err := svc.CreateFacility(global, ent.CreateFacilityInput{Name: "Here", Timezone: ptr("Local")})
						return err
					},
					"Update": func() error {
						_, err := svc.UpdateFacility(facilityAdmin, h.Facility.ID, ent.UpdateFacilityInput{Timezone: ptr("Nowhere")})
						return err
					},
				} {
					t.Run(name, func(t *testing.T) { requireCode(t, run(), cqerr.BadUserInput, "input.timezone") })
				}
				require.Equal(t, h.Facility.Timezone, c.Facility.GetX(sys, h.Facility.ID).Timezone)
			})

			t.Run("FacilityLocaleIsDerivedOrChecked", func(t *testing.T) {
				t.Parallel()
				for _, tc := range []struct{ name, language, zone, want string }{
					{"Madrid", "es", "Europe/Madrid", "es-ES"},
					{"Chicago", "en", "America/Chicago", "en-US"},
					{"Leeds", "", "Europe/London", "en-GB"},
				} {
					in := ent.CreateFacilityInput{Name: tc.name, Timezone: ptr(tc.zone)}
					if tc.language != "" {
						in.Language = ptr(tc.language)
					}
					f, err := svc.CreateFacility(global, in)
					require.NoError(t, err)
					require.Equal(t, tc.want, f.Locale, tc.name)
				}
				f, err := svc.CreateFacility(global, ent.CreateFacilityInput{Name: "Quebec", Language: ptr("fr"), Locale: ptr("fr-CA")})
				require.NoError(t, err)
				require.Equal(t, "fr-CA", f.Locale, "a given locale is kept")

				for name, run := range map[string]func() error{
					"Create": func() error {
						_, err := svc.CreateFacility(global, ent.CreateFacilityInput{Name: "X", Locale: ptr("en_GB")})
						return err
					},
					"Update": func() error {
						_, err := svc.UpdateFacility(facilityAdmin, h.Facility.ID, ent.UpdateFacilityInput{Locale: ptr("<script>alert(1)</script>")})
						return err
					},
					"UpdateEmpty": func() error {
						_, err := svc.UpdateFacility(facilityAdmin, h.Facility.ID, ent.UpdateFacilityInput{Locale: ptr("")})
						return err
					},
				} {
					t.Run(name, func(t *testing.T) {
						err := run()
						requireCode(t, err, cqerr.BadUserInput, "input.locale")
						require.NotContains(t, err.Error(), "script")
					})
				}
				// Every other writer (the CLI, the demo) meets the same rule in the schema.
				err = c.Facility.UpdateOneID(h.Facility.ID).SetLocale("de-DE").Exec(sys)
				require.Error(t, err)
				require.True(t, ent.IsValidationError(err))
				require.Equal(t, h.Facility.Locale, c.Facility.GetX(sys, h.Facility.ID).Locale)
			})

			t.Run("FacilityAdminUpdatesOwnFacilityOnly", func(t *testing.T) {
				t.Parallel()
				f := testfactory.Facility(ctx, t, c, nil)
				own := testfactory.As(ctx, testfactory.User(ctx, t, c, &testfactory.UserOpts{Role: user.RoleADMIN, FacilityID: f.ID}))
				got, err := svc.UpdateFacility(own, f.ID, ent.UpdateFacilityInput{Name: ptr("Renamed"), Language: ptr("fr")})
				require.NoError(t, err)
				require.Equal(t, "Renamed", got.Name)
				e := audited(t, "facility.update", f.ID)
				require.Equal(t, f.Name, e.Before["name"])
				require.Equal(t, "Renamed", e.After["name"])

				_, err = svc.UpdateFacility(own, far.Facility.ID, ent.UpdateFacilityInput{Name: ptr("Mine now")})
				requireCode(t, err, cqerr.NotFound, "")
				_, err = svc.UpdateFacility(global, pulid.New("FC"), ent.UpdateFacilityInput{Name: ptr("Ghost")})
				requireCode(t, err, cqerr.NotFound, "")
				require.Equal(t, far.Facility.Name, c.Facility.GetX(sys, far.Facility.ID).Name)
			})

			t.Run("DepartmentNeedsAVisibleFacility", func(t *testing.T) {
				t.Parallel()
				dept, err := svc.CreateDepartment(facilityAdmin, ent.CreateDepartmentInput{Name: "Radiology", FacilityID: h.Facility.ID})
				require.NoError(t, err)
				audited(t, "department.create", dept.ID)
				_, err = svc.CreateDepartment(facilityAdmin, ent.CreateDepartmentInput{Name: "Radiology", FacilityID: h.Facility.ID})
				requireConflict(t, err)
				_, err = svc.CreateDepartment(facilityAdmin, ent.CreateDepartmentInput{Name: "Annex", FacilityID: far.Facility.ID})
				requireCode(t, err, cqerr.NotFound, "")
				_, err = svc.UpdateDepartment(facilityAdmin, far.Department.ID, ent.UpdateDepartmentInput{Name: ptr("Mine")})
				requireCode(t, err, cqerr.NotFound, "")
				got, err := svc.UpdateDepartment(facilityAdmin, dept.ID, ent.UpdateDepartmentInput{Name: ptr("Imaging")})
				require.NoError(t, err)
				require.Equal(t, "Imaging", got.Name)
			})

			t.Run("ReferenceDataIsForAdmins", func(t *testing.T) {
				t.Parallel()
				account := testfactory.User(ctx, t, c, &testfactory.UserOpts{Role: user.RolePATIENT})
				kiosk := testfactory.User(ctx, t, c, &testfactory.UserOpts{Role: user.RoleKIOSK, FacilityID: h.Facility.ID})
				for name, viewer := range map[string]context.Context{
					"Clinician":    testfactory.As(ctx, h.Clinician),
					"Receptionist": testfactory.As(ctx, h.Receptionist),
					"Kiosk":        testfactory.As(ctx, kiosk),
					"Patient":      testfactory.As(ctx, account),
					"Anonymous":    ctx,
				} {
					t.Run(name, func(t *testing.T) {
						_, err := svc.CreateDepartment(viewer, ent.CreateDepartmentInput{Name: "Not " + name, FacilityID: h.Facility.ID})
						requireForbidden(t, err)
						_, err = svc.UpdateQueue(viewer, h.Queue.ID, ent.UpdateQueueInput{Name: ptr("Not " + name)})
						requireForbidden(t, err)
						_, err = svc.CreateServicePoint(viewer, ent.CreateServicePointInput{Name: "Not " + name, DepartmentID: h.Department.ID})
						requireForbidden(t, err)
					})
				}
				require.Equal(t, h.Queue.Name, c.Queue.GetX(sys, h.Queue.ID).Name)
				require.False(t, c.Department.Query().Where(department.NameHasPrefix("Not ")).ExistX(sys))
				require.False(t, c.ServicePoint.Query().Where(servicepoint.NameHasPrefix("Not ")).ExistX(sys))
			})

			t.Run("QueuePrefixIsNormalisedAndChecked", func(t *testing.T) {
				t.Parallel()
				q, err := svc.CreateQueue(facilityAdmin, ent.CreateQueueInput{Name: "Labs", Prefix: " lab ", DepartmentID: h.Department.ID})
				require.NoError(t, err)
				require.Equal(t, "LAB", q.Prefix)
				for _, bad := range []string{"C1", "ABCD", "", "É"} {
					_, err := svc.CreateQueue(facilityAdmin, ent.CreateQueueInput{Name: "Bad " + bad, Prefix: bad, DepartmentID: h.Department.ID})
					requireCode(t, err, cqerr.BadUserInput, "input.prefix")
				}
				q, err = svc.UpdateQueue(facilityAdmin, q.ID, ent.UpdateQueueInput{Prefix: ptr("x")})
				require.NoError(t, err)
				require.Equal(t, "X", q.Prefix)
				_, err = svc.UpdateQueue(facilityAdmin, q.ID, ent.UpdateQueueInput{Prefix: ptr("9")})
				requireCode(t, err, cqerr.BadUserInput, "input.prefix")
			})

			t.Run("ErrQueueTargetsOutOfOrderRollBack", func(t *testing.T) {
				t.Parallel()
				_, err := svc.CreateQueue(facilityAdmin, ent.CreateQueueInput{
					Name: "Backwards", Prefix: "B", DepartmentID: h.Department.ID, TargetUrgentMinutes: ptr(5),
				})
				requireCode(t, err, cqerr.BadUserInput, "input")
				require.False(t, c.Queue.Query().Where(entqueue.Name("Backwards")).ExistX(sys), "the insert was rolled back")

				q := testfactory.Queue(ctx, t, c, &testfactory.QueueOpts{DepartmentID: h.Department.ID})
				_, err = svc.UpdateQueue(facilityAdmin, q.ID, ent.UpdateQueueInput{TargetVeryUrgentMinutes: ptr(300)})
				requireCode(t, err, cqerr.BadUserInput, "input")
				require.Equal(t, q.TargetVeryUrgentMinutes, c.Queue.GetX(sys, q.ID).TargetVeryUrgentMinutes)
			})

			t.Run("QueueNeedsAVisibleDepartment", func(t *testing.T) {
				t.Parallel()
				_, err := svc.CreateQueue(facilityAdmin, ent.CreateQueueInput{Name: "Far", Prefix: "F", DepartmentID: far.Department.ID})
				requireCode(t, err, cqerr.NotFound, "")
				_, err = svc.UpdateQueue(facilityAdmin, far.Queue.ID, ent.UpdateQueueInput{Name: ptr("Mine")})
				requireCode(t, err, cqerr.NotFound, "")
			})

			t.Run("ServicePointServesOnlyItsDepartmentsQueues", func(t *testing.T) {
				t.Parallel()
				otherDept := testfactory.Department(ctx, t, c, &testfactory.DepartmentOpts{FacilityID: h.Facility.ID})
				elsewhere := testfactory.Queue(ctx, t, c, &testfactory.QueueOpts{DepartmentID: otherDept.ID})
				_, err := svc.CreateServicePoint(facilityAdmin, ent.CreateServicePointInput{
					Name: "Bay 1", DepartmentID: h.Department.ID, QueueIDs: []pulid.ID{h.Queue.ID, elsewhere.ID},
				})
				requireCode(t, err, cqerr.BadUserInput, "input.queueIDs")
				sp, err := svc.CreateServicePoint(facilityAdmin, ent.CreateServicePointInput{
					Name: "Bay 1", DepartmentID: h.Department.ID, QueueIDs: []pulid.ID{h.Queue.ID},
				})
				require.NoError(t, err)
				_, err = svc.UpdateServicePoint(facilityAdmin, sp.ID, ent.UpdateServicePointInput{AddQueueIDs: []pulid.ID{elsewhere.ID}})
				requireCode(t, err, cqerr.BadUserInput, "input.queueIDs")
				_, err = svc.UpdateServicePoint(facilityAdmin, sp.ID, ent.UpdateServicePointInput{AddQueueIDs: []pulid.ID{far.Queue.ID}})
				requireCode(t, err, cqerr.NotFound, "")
				_, err = svc.UpdateServicePoint(facilityAdmin, far.ServicePoint.ID, ent.UpdateServicePointInput{Open: ptr(false)})
				requireCode(t, err, cqerr.NotFound, "")
				require.Equal(t, []pulid.ID{h.Queue.ID}, c.ServicePoint.GetX(sys, sp.ID).QueryQueues().IDsX(sys))
			})

			t.Run("UpdateUserNormalisesEmailAndKeepsStaffInTheFacility", func(t *testing.T) {
				t.Parallel()
				u := testfactory.User(ctx, t, c, &testfactory.UserOpts{FacilityID: h.Facility.ID})
				got, err := svc.UpdateUser(facilityAdmin, u.ID, ent.UpdateUserInput{Email: ptr("  Ana.Ruiz@Example.ORG ")})
				require.NoError(t, err)
				require.Equal(t, "ana.ruiz@example.org", got.Email)
				audited(t, "user.update", u.ID)
				_, err = svc.UpdateUser(facilityAdmin, u.ID, ent.UpdateUserInput{Email: ptr(h.Clinician.Email)})
				requireConflict(t, err)
				_, err = svc.UpdateUser(facilityAdmin, u.ID, ent.UpdateUserInput{ClearFacility: true})
				requireForbidden(t, err)
				_, err = svc.UpdateUser(facilityAdmin, far.Clinician.ID, ent.UpdateUserInput{Name: ptr("Mine")})
				requireCode(t, err, cqerr.NotFound, "")
				_, err = svc.UpdateUser(testfactory.As(ctx, h.Clinician), u.ID, ent.UpdateUserInput{Role: ptr(user.RoleADMIN)})
				requireForbidden(t, err)
				require.Equal(t, user.RoleCLINICIAN, c.User.GetX(sys, u.ID).Role)
			})

			t.Run("PatientIsNormalisedWithFieldsNamed", func(t *testing.T) {
				t.Parallel()
				reception := testfactory.As(ctx, h.Receptionist)
				mrn := "MRN-" + string(pulid.New("X"))
				p, err := svc.CreatePatient(reception, ent.CreatePatientInput{
					GivenName: "  Ana ", FamilyName: "Ruiz", Phone: ptr("+44 7700 900-123"), Mrn: &mrn, FacilityID: h.Facility.ID,
				})
				require.NoError(t, err)
				require.Equal(t, "Ana", p.GivenName)
				require.Equal(t, "+447700900123", p.Phone)
				audited(t, "patient.create", p.ID)

				_, err = svc.CreatePatient(reception, ent.CreatePatientInput{GivenName: "B", FamilyName: "C", Phone: ptr("call me"), FacilityID: h.Facility.ID})
				requireCode(t, err, cqerr.BadUserInput, "input.phone")
				_, err = svc.CreatePatient(reception, ent.CreatePatientInput{GivenName: " ", FamilyName: "C", FacilityID: h.Facility.ID})
				requireCode(t, err, cqerr.BadUserInput, "input.givenName")
				_, err = svc.CreatePatient(reception, ent.CreatePatientInput{GivenName: "B", FamilyName: "C", Mrn: &mrn, FacilityID: h.Facility.ID})
				requireConflict(t, err)
				_, err = svc.CreatePatient(reception, ent.CreatePatientInput{GivenName: "B", FamilyName: "C", FacilityID: far.Facility.ID})
				requireCode(t, err, cqerr.NotFound, "")
				_, err = svc.UpdatePatient(reception, p.ID, ent.UpdatePatientInput{Phone: ptr("12")})
				requireCode(t, err, cqerr.BadUserInput, "input.phone")
				_, err = svc.UpdatePatient(reception, pulid.New("PA"), ent.UpdatePatientInput{GivenName: ptr("Nobody")})
				requireCode(t, err, cqerr.NotFound, "")
				require.Equal(t, "+447700900123", c.Patient.GetX(sys, p.ID).Phone)
			})

			t.Run("DepartmentEscalationPhoneIsNormalisedWithFieldNamed", func(t *testing.T) {
				t.Parallel()
				_, err := svc.CreateDepartment(facilityAdmin, ent.CreateDepartmentInput{
					Name: "Majors " + string(pulid.New("X")), FacilityID: h.Facility.ID, EscalationPhone: ptr(" +44 20-7946 0018 "),
				})
				requireCode(t, err, cqerr.BadUserInput, "input.escalationPhone")
				d, err := svc.CreateDepartment(facilityAdmin, ent.CreateDepartmentInput{
					Name: "Minors " + string(pulid.New("X")), FacilityID: h.Facility.ID, EscalationPhone: ptr("07700 900999"),
				})
				require.NoError(t, err)
				require.Equal(t, "+447700900999", d.EscalationPhone, "national numbers are read in the facility's region")
				audited(t, "department.create", d.ID)
				for name, bad := range map[string]string{
					"Landline":           "020 7946 0018",
					"Letters":            "+44 20 CALL NURSE",
					"TooLong":            "+44 2079 4600 1812 3456",
					"Hostile":            "+4420794600'; DROP TABLE departments;--",
					"PunctuationOnly":    "(-)",
					"LeadingZeroCountry": "+0442079460018",
				} {
					t.Run(name, func(t *testing.T) {
						_, err := svc.UpdateDepartment(facilityAdmin, d.ID, ent.UpdateDepartmentInput{EscalationPhone: &bad})
						requireCode(t, err, cqerr.BadUserInput, "input.escalationPhone")
						require.NotContains(t, err.Error(), bad, "the error names the field, not the input")
					})
				}
				require.Equal(t, "+447700900999", c.Department.GetX(sys, d.ID).EscalationPhone, "nothing bad was stored")
				d, err = svc.UpdateDepartment(facilityAdmin, d.ID, ent.UpdateDepartmentInput{EscalationPhone: ptr("  ")})
				require.NoError(t, err, "blank removes the contact")
				require.Empty(t, d.EscalationPhone)
				_, err = svc.UpdateDepartment(facilityAdmin, d.ID, ent.UpdateDepartmentInput{EscalationPhone: ptr("+15005550006")})
				require.NoError(t, err)
				d, err = svc.UpdateDepartment(facilityAdmin, d.ID, ent.UpdateDepartmentInput{ClearEscalationPhone: true})
				require.NoError(t, err)
				require.Empty(t, d.EscalationPhone)
				_, err = svc.UpdateDepartment(testfactory.As(ctx, h.Clinician), d.ID, ent.UpdateDepartmentInput{EscalationPhone: ptr("+15005550006")})
				requireForbidden(t, err)
				_, err = svc.UpdateDepartment(testfactory.As(ctx, far.Admin), d.ID, ent.UpdateDepartmentInput{EscalationPhone: ptr("+15005550006")})
				requireCode(t, err, cqerr.NotFound, "")
			})

			t.Run("EscalationPhoneShownToStaffOnly", func(t *testing.T) {
				t.Parallel()
				d := c.Department.UpdateOneID(h.Department.ID).SetEscalationPhone("+447700900998").SaveX(sys)
				require.Equal(t, "+447700900998", *admin.EscalationPhone(testfactory.As(ctx, h.Clinician), d))
				require.Equal(t, "+447700900998", *admin.EscalationPhone(facilityAdmin, d))
				kiosk := testfactory.As(ctx, testfactory.User(ctx, t, c, &testfactory.UserOpts{Role: user.RoleKIOSK, FacilityID: h.Facility.ID}))
				require.Nil(t, admin.EscalationPhone(kiosk, d))
				require.Nil(t, admin.EscalationPhone(ctx, d), "no viewer")
				d.EscalationPhone = ""
				require.Nil(t, admin.EscalationPhone(facilityAdmin, d))
			})

			t.Run("AppointmentKeepsPatientAndQueueInOneFacility", func(t *testing.T) {
				t.Parallel()
				reception := testfactory.As(ctx, h.Receptionist)
				p := testfactory.Patient(ctx, t, c, &testfactory.PatientOpts{FacilityID: h.Facility.ID})
				at := time.Now().Add(24 * time.Hour).Truncate(time.Second)
				_, err := svc.CreateAppointment(global, ent.CreateAppointmentInput{ScheduledAt: at, PatientID: p.ID, QueueID: far.Queue.ID})
				requireCode(t, err, cqerr.BadUserInput, "input.queueID")
				_, err = svc.CreateAppointment(reception, ent.CreateAppointmentInput{ScheduledAt: at, PatientID: p.ID, QueueID: far.Queue.ID})
				requireCode(t, err, cqerr.NotFound, "")
				a, err := svc.CreateAppointment(reception, ent.CreateAppointmentInput{ScheduledAt: at, PatientID: p.ID, QueueID: h.Queue.ID})
				require.NoError(t, err)
				audited(t, "appointment.create", a.ID)
				_, err = svc.UpdateAppointment(global, a.ID, ent.UpdateAppointmentInput{QueueID: &far.Queue.ID})
				requireCode(t, err, cqerr.BadUserInput, "input.queueID")
				_, err = svc.UpdateAppointment(reception, pulid.New("AP"), ent.UpdateAppointmentInput{Note: ptr("x")})
				requireCode(t, err, cqerr.NotFound, "")
				_, err = svc.CreateAppointment(testfactory.As(ctx, h.Clinician), ent.CreateAppointmentInput{ScheduledAt: at, PatientID: p.ID, QueueID: h.Queue.ID})
				requireForbidden(t, err)
				require.Equal(t, h.Queue.ID, c.Appointment.GetX(sys, a.ID).QueueID)
			})
		})
	}
}
