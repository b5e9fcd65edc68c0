package testfactory_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

func TestFactory(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			client := storetest.NewMigratedDB(t, d, migrations.FS).Ent
			ctx := t.Context()
			sys := auth.SystemContext(ctx)

			t.Run("TicketBuildsItsParents", func(t *testing.T) {
				t.Parallel()
				tk := testfactory.Ticket(ctx, t, client, nil)
				q := client.Queue.GetX(sys, tk.QueueID)
				dept := q.QueryDepartment().OnlyX(sys)
				p := client.Patient.GetX(sys, tk.PatientID)
				require.Equal(t, dept.FacilityID, p.FacilityID, "the patient is at the queue's facility")
				require.Equal(t, ticket.StatusWAITING, tk.Status)
				require.Equal(t, enum.TriageLevelStandard, tk.TriageLevel)
				require.Equal(t, ticket.SourceWALK_IN, tk.Source)
				require.Equal(t, 1, tk.Seq)
				require.Equal(t, q.Prefix+"-001", tk.Code)
				require.Equal(t, tk.CheckedInAt.UTC().Format(time.DateOnly), tk.ServiceDay)
				require.Equal(t, 120*time.Minute, tk.TargetAt.Sub(tk.CheckedInAt), "the queue's STANDARD target")
				require.WithinDuration(t, time.Now(), tk.CheckedInAt, time.Minute)
				require.Nil(t, tk.CalledAt)
				require.NotEmpty(t, tk.StatusToken)
			})

			t.Run("RepeatedCallsDoNotCollide", func(t *testing.T) {
				t.Parallel()
				dept := testfactory.Department(ctx, t, client, nil)
				q1 := testfactory.Queue(ctx, t, client, &testfactory.QueueOpts{DepartmentID: dept.ID})
				q2 := testfactory.Queue(ctx, t, client, &testfactory.QueueOpts{DepartmentID: dept.ID})
				require.NotEqual(t, q1.Name, q2.Name)
				require.NotEqual(t, q1.Prefix, q2.Prefix)
				require.Regexp(t, `^[A-Z]{1,3}$`, q1.Prefix)
				u1 := testfactory.User(ctx, t, client, &testfactory.UserOpts{FacilityID: dept.FacilityID})
				u2 := testfactory.User(ctx, t, client, &testfactory.UserOpts{FacilityID: dept.FacilityID})
				require.NotEqual(t, u1.Email, u2.Email)
				require.Equal(t, user.RoleCLINICIAN, u1.Role)
				p1, p2 := testfactory.Phone(), testfactory.Phone()
				require.NotEqual(t, p1, p2)
				a := testfactory.Ticket(ctx, t, client, &testfactory.TicketOpts{QueueID: q1.ID})
				b := testfactory.Ticket(ctx, t, client, &testfactory.TicketOpts{QueueID: q1.ID, PatientID: a.PatientID})
				require.Equal(t, []int{1, 2}, []int{a.Seq, b.Seq}, "the queue's next number of the day")
				require.NotEqual(t, a.StatusToken, b.StatusToken)
			})

			t.Run("OptionsOverrideDefaults", func(t *testing.T) {
				t.Parallel()
				f := testfactory.Facility(ctx, t, client, &testfactory.FacilityOpts{Name: "North", Timezone: "Europe/Paris", Language: "fr"})
				require.Equal(t, []string{"North", "Europe/Paris", "fr"}, []string{f.Name, f.Timezone, f.Language})
				zero := 0
				q := testfactory.Queue(ctx, t, client, &testfactory.QueueOpts{
					Name: "Lab", Prefix: "LAB", Ordering: entqueue.OrderingFIFO, NotifyAhead: &zero, SelfCheckIn: true,
					DepartmentID: testfactory.Department(ctx, t, client, &testfactory.DepartmentOpts{FacilityID: f.ID, Name: "Labs"}).ID,
				})
				require.Equal(t, "LAB", q.Prefix)
				require.Equal(t, entqueue.OrderingFIFO, q.Ordering)
				require.Zero(t, q.NotifyAhead)
				require.True(t, q.SelfCheckIn)
				sp := testfactory.ServicePoint(ctx, t, client, &testfactory.ServicePointOpts{QueueIDs: []pulid.ID{q.ID}, Closed: true})
				require.Equal(t, q.DepartmentID, sp.DepartmentID, "the department of its first queue")
				require.False(t, sp.Open)
				account := testfactory.User(ctx, t, client, &testfactory.UserOpts{Role: user.RolePATIENT, Phone: "+447700900123"})
				require.Empty(t, account.Email, "patients sign in by phone")
				require.Empty(t, account.FacilityID)
				p := testfactory.Patient(ctx, t, client, &testfactory.PatientOpts{
					FacilityID: f.ID, GivenName: "Ana", FamilyName: "Ruiz", MRN: "MRN-1", Phone: "+44 7700 900123",
					Language: "es", AccountID: account.ID, NoSMS: true,
				})
				require.Equal(t, "+447700900123", p.Phone, "the schema's hook still normalises")
				require.Equal(t, []string{"Ana", "Ruiz", "MRN-1", "es"}, []string{p.GivenName, p.FamilyName, p.Mrn, p.Language})
				require.Equal(t, account.ID, p.AccountID)
				require.False(t, p.SmsOptIn)
				in := time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC)
				tk := testfactory.Ticket(ctx, t, client, &testfactory.TicketOpts{
					QueueID: q.ID, PatientID: p.ID, TriageLevel: enum.TriageLevelUrgent, Source: ticket.SourceKIOSK,
					CheckedInAt: in, ServicePointID: sp.ID, Note: "wheelchair",
				})
				require.Equal(t, "2026-11-26", tk.ServiceDay, "the facility's local date")
				require.Equal(t, "LAB-001", tk.Code)
				require.Equal(t, in.Add(time.Hour), tk.TargetAt.UTC(), "the queue's URGENT target")
				require.Equal(t, ticket.SourceKIOSK, tk.Source)
				require.Equal(t, sp.ID, tk.ServicePointID)
				moved := testfactory.Ticket(ctx, t, client, &testfactory.TicketOpts{
					QueueID: q.ID, PatientID: p.ID, Source: ticket.SourceTRANSFER, PreviousID: tk.ID, CheckedInAt: in.Add(time.Minute),
				})
				require.Equal(t, tk.ID, moved.PreviousID)
				require.Equal(t, "LAB-002", moved.Code)
				appt := testfactory.Appointment(ctx, t, client, &testfactory.AppointmentOpts{QueueID: q.ID, ExternalRef: "EHR-1"})
				require.Equal(t, f.ID, client.Patient.GetX(sys, appt.PatientID).FacilityID)
				require.Equal(t, "EHR-1", appt.ExternalRef)
			})

			t.Run("TicketStampsFollowStatus", func(t *testing.T) {
				t.Parallel()
				q := testfactory.Queue(ctx, t, client, nil)
				for _, tc := range []struct {
					status                 ticket.Status
					called, started, ended bool
				}{
					{ticket.StatusWAITING, false, false, false},
					{ticket.StatusCALLED, true, false, false},
					{ticket.StatusIN_SERVICE, true, true, false},
					{ticket.StatusCOMPLETED, true, true, true},
					{ticket.StatusNO_SHOW, true, false, true},
					{ticket.StatusCANCELLED, false, false, true},
					{ticket.StatusTRANSFERRED, false, false, true},
				} {
					tk := testfactory.Ticket(ctx, t, client, &testfactory.TicketOpts{QueueID: q.ID, Status: tc.status})
					require.Equal(t, tc.called, tk.CalledAt != nil, tc.status)
					require.Equal(t, tc.started, tk.StartedAt != nil, tc.status)
					require.Equal(t, tc.ended, tk.EndedAt != nil, tc.status)
				}
				at := time.Now().Add(-time.Minute)
				tk := testfactory.Ticket(ctx, t, client, &testfactory.TicketOpts{QueueID: q.ID, Status: ticket.StatusCOMPLETED, CalledAt: &at})
				require.WithinDuration(t, at, *tk.CalledAt, time.Millisecond, "a given stamp wins")
			})

			t.Run("TicketsArriveInOrder", func(t *testing.T) {
				t.Parallel()
				q := testfactory.Queue(ctx, t, client, nil)
				// One service day for all: the 303 arrivals span the last five minutes, which may hold
				// the facility's midnight (numbers start again there; a CI run at 23:58 saw it).
				day := time.Now().Format(time.DateOnly)
				testfactory.Ticket(ctx, t, client, &testfactory.TicketOpts{QueueID: q.ID, ServiceDay: day})
				tks := testfactory.Tickets(ctx, t, client, 302, &testfactory.TicketOpts{QueueID: q.ID, ServiceDay: day})
				require.Len(t, tks, 302)
				for i, tk := range tks {
					require.Equal(t, i+2, tk.Seq)
					require.Equal(t, tks[0].PatientID, tk.PatientID, "one patient")
					if i > 0 {
						require.Equal(t, time.Second, tk.CheckedInAt.Sub(tks[i-1].CheckedInAt))
					}
				}
				require.WithinDuration(t, time.Now(), tks[len(tks)-1].CheckedInAt, time.Minute)
				require.Equal(t, 303, client.Ticket.Query().Where(ticket.QueueID(q.ID)).CountX(sys))
			})

			t.Run("WritesBypassPrivacy", func(t *testing.T) {
				t.Parallel()
				stranger := auth.NewContext(ctx, auth.Viewer{UserID: "US01JDSTRANGER0000000000000", Role: auth.RolePatient})
				tk := testfactory.Ticket(stranger, t, client, nil)
				_, err := client.Ticket.Get(stranger, tk.ID)
				require.Error(t, err, "the viewer still cannot read what was written for the test")
			})

			t.Run("SmallHospital", func(t *testing.T) {
				t.Parallel()
				h := testfactory.SmallHospital(ctx, t, client, &testfactory.HospitalOpts{
					Facility: testfactory.FacilityOpts{Timezone: "Europe/London"},
					Queue:    testfactory.QueueOpts{Ordering: entqueue.OrderingFIFO},
				})
				other := testfactory.SmallHospital(ctx, t, client, nil)
				require.Equal(t, "Europe/London", h.Facility.Timezone)
				require.Equal(t, h.Facility.ID, h.Department.FacilityID)
				require.Equal(t, h.Department.ID, h.Queue.DepartmentID)
				require.Equal(t, entqueue.OrderingFIFO, h.Queue.Ordering)
				require.Equal(t, []pulid.ID{h.Queue.ID}, h.ServicePoint.QueryQueues().IDsX(sys))
				for role, u := range map[user.Role]*ent.User{
					user.RoleADMIN: h.Admin, user.RoleRECEPTIONIST: h.Receptionist, user.RoleCLINICIAN: h.Clinician,
				} {
					require.Equal(t, role, u.Role)
					require.Equal(t, h.Facility.ID, u.FacilityID)
				}
				ids, err := client.Queue.Query().IDs(testfactory.As(ctx, h.Clinician))
				require.NoError(t, err)
				require.Equal(t, []pulid.ID{h.Queue.ID}, ids, "a clinician sees their facility only")
				require.NotEqual(t, h.Admin.Email, other.Admin.Email)
			})
		})
	}
}
