package demo_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/appointment"
	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/ent/patient"
	"github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/servicepoint"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/admin"
	"github.com/carequeue/carequeue/internal/analytics"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/demo"
	"github.com/carequeue/carequeue/internal/inmem"
	cqqueue "github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// services are what cmd/carequeue builds, on one test database.
type services struct {
	db      *store.DB
	client  *ent.Client
	session *session.Service
	admin   *admin.Service
	queue   *cqqueue.Service
}

func newServices(t *testing.T, d store.Dialect) *services {
	t.Helper()
	db := storetest.NewMigratedDB(t, d, migrations.FS)
	secret := []byte("demo-test-secret-0123456789abcdef")
	tokens, err := auth.NewTokens(auth.TokenConfig{Secret: secret, Issuer: "https://carequeue.test", Audience: "carequeue-api"})
	require.NoError(t, err)
	client := db.Ent
	return &services{
		db:     db,
		client: client,
		session: session.New(db, session.Options{
			Tokens: tokens, Hasher: auth.NewPasswordHasher(auth.FastPasswordParams()),
			AccountLimiter: inmem.NewLimiter(100, time.Minute, time.Now), AddressLimiter: inmem.NewLimiter(100, time.Minute, time.Now),
			AddressFailureLimiter: inmem.NewLimiter(100, time.Minute, time.Now),
			Codes:                 session.NewLogCodeSender(client, nil, true), CodeKey: secret,
		}),
		admin: admin.New(db, nil, nil),
		queue: cqqueue.NewService(db, cqqueue.Options{}),
	}
}

func (s *services) load(ctx context.Context, skip bool) (string, error) {
	var out bytes.Buffer
	err := demo.Load(ctx, s.db, s.session, s.admin, s.queue, demo.Options{Out: &out, SkipIfPresent: skip})
	return out.String(), err
}

func TestLoad(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			s := newServices(t, d)
			ctx := t.Context()
			start := time.Now()
			out, err := s.load(ctx, false)
			require.NoError(t, err)
			t.Logf("loaded in %v", time.Since(start))
			sys := auth.SystemContext(ctx)

			t.Run("CreatesTheHospital", func(t *testing.T) {
				c := s.client
				require.Equal(t, 1, c.Facility.Query().CountX(sys))
				f := c.Facility.Query().OnlyX(sys)
				require.Equal(t, demo.FacilityName, f.Name)
				require.Equal(t, demo.FacilityTimezone, f.Timezone)
				require.Equal(t, demo.Departments, c.Department.Query().CountX(sys))
				require.Equal(t, demo.Queues, c.Queue.Query().CountX(sys))
				require.Equal(t, demo.ServicePoints, c.ServicePoint.Query().CountX(sys))
				require.Equal(t, demo.Appointments, c.Appointment.Query().CountX(sys))
				require.Equal(t, demo.CheckIns+1, c.Patient.Query().CountX(sys), "and the kiosk patient, not yet arrived")
				require.Equal(t, 3, c.Queue.Query().Where(queue.OrderingEQ(queue.OrderingFIFO)).CountX(sys))
				room3 := c.ServicePoint.Query().Where(servicepoint.Name("Room 3")).WithQueues().OnlyX(sys)
				require.Len(t, room3.Edges.Queues, 1)
				require.Equal(t, "Cardiology", room3.Edges.Queues[0].Name)
			})

			t.Run("LaboratoryQueuesTakeSelfCheckIn", func(t *testing.T) {
				names := s.client.Queue.Query().Where(queue.SelfCheckIn(true)).Order(ent.Asc(queue.FieldName)).
					Select(queue.FieldName).StringsX(sys)
				require.Equal(t, demo.SelfCheckInQueues, names)
			})

			t.Run("KioskPatientCanUseTheAppToday", func(t *testing.T) {
				p := s.client.Patient.Query().Where(patient.Phone(demo.KioskPhone)).WithAppointments().OnlyX(sys)
				require.Len(t, p.Edges.Appointments, 1)
				a := p.Edges.Appointments[0]
				require.Equal(t, demo.KioskAppointmentRef, a.ExternalRef)
				require.Equal(t, appointment.StatusSCHEDULED, a.Status)
				loc, err := time.LoadLocation(demo.FacilityTimezone)
				require.NoError(t, err)
				require.Equal(t, time.Now().In(loc).Format(time.DateOnly), a.ScheduledAt.In(loc).Format(time.DateOnly),
					"today in the facility's time zone")
				q := s.client.Queue.GetX(sys, a.QueueID)
				require.Equal(t, "General Clinic", q.Name)
				require.False(t, q.SelfCheckIn, "the app checks in the appointment, not a walk-in")
			})

			t.Run("CreatesOneAccountPerStaffRole", func(t *testing.T) {
				users := s.client.User.Query().AllX(sys)
				require.Len(t, users, demo.Staff)
				roles := map[string]user.Role{}
				for _, u := range users {
					roles[u.Email] = u.Role
					require.NotEmpty(t, u.FacilityID, u.Email)
				}
				require.Equal(t, map[string]user.Role{
					demo.AdminEmail:        user.RoleADMIN,
					demo.ReceptionistEmail: user.RoleRECEPTIONIST,
					demo.DoctorEmail:       user.RoleCLINICIAN,
					demo.NurseEmail:        user.RoleCLINICIAN,
					demo.IntegrationEmail:  user.RoleINTEGRATION,
					demo.KioskEmail:        user.RoleKIOSK,
				}, roles)
			})

			t.Run("LeavesPatientsWaitingCalledAndInService", func(t *testing.T) {
				c := s.client
				require.Equal(t, demo.CheckIns, c.Ticket.Query().Where(ticket.ServiceDay(today())).CountX(sys))
				for status, want := range map[ticket.Status]int{
					ticket.StatusWAITING:    demo.Waiting,
					ticket.StatusCALLED:     demo.Called,
					ticket.StatusIN_SERVICE: demo.InService,
					ticket.StatusCOMPLETED:  demo.Completed,
				} {
					require.Equal(t, want, c.Ticket.Query().Where(ticket.ServiceDay(today()), ticket.StatusEQ(status)).CountX(sys), status)
				}
				require.Equal(t, demo.OpenTickets, c.Ticket.Query().
					Where(ticket.StatusIn(ticket.StatusWAITING, ticket.StatusCALLED, ticket.StatusIN_SERVICE)).CountX(sys))
				require.Equal(t, demo.Appointments-1, c.Ticket.Query().Where(ticket.SourceEQ(ticket.SourceAPPOINTMENT)).CountX(sys))
			})

			t.Run("CallsTheVeryUrgentFirstInEmergency", func(t *testing.T) {
				seen := s.client.Ticket.Query().
					Where(ticket.HasQueueWith(queue.Name("Triage")), ticket.StatusEQ(ticket.StatusIN_SERVICE)).
					AllX(sys)
				require.Len(t, seen, 2)
				for _, tk := range seen {
					require.Equal(t, enum.TriageLevelVeryUrgent, tk.TriageLevel, tk.Code)
				}
				levels := map[enum.TriageLevel]bool{}
				for _, tk := range s.client.Ticket.Query().Where(ticket.HasQueueWith(queue.Name("Triage"))).AllX(sys) {
					levels[tk.TriageLevel] = true
				}
				require.Len(t, levels, 4, "VERY_URGENT, URGENT, STANDARD and NON_URGENT")
			})

			t.Run("RegistersPatientsWithFictionPhonesAndMixedLanguages", func(t *testing.T) {
				ps := s.client.Patient.Query().Order(ent.Asc(patient.FieldMrn)).AllX(sys)
				require.Equal(t, "MRN-10001", ps[0].Mrn)
				langs := map[string]int{}
				for _, p := range ps {
					langs[p.Language]++
					if p.Phone != "" {
						require.Regexp(t, `^\+447700900\d{3}$`, p.Phone)
					}
				}
				require.Len(t, langs, 3)
			})

			t.Run("AuditsEveryStepWithTheActingUser", func(t *testing.T) {
				c := s.client
				reception := c.User.Query().Where(user.Email(demo.ReceptionistEmail)).OnlyX(sys)
				doctor := c.User.Query().Where(user.Email(demo.DoctorEmail)).OnlyX(sys)
				require.Equal(t, c.Ticket.Query().CountX(sys), c.AuditEntry.Query().
					Where(auditentry.Action("ticket.checkIn"), auditentry.ActorID(string(reception.ID))).CountX(sys),
					"every check-in, this morning's and the past days'")
				require.Positive(t, c.AuditEntry.Query().
					Where(auditentry.Action("ticket.callNext"), auditentry.ActorID(string(doctor.ID))).CountX(sys))
				for _, action := range []string{"facility.create", "department.create", "queue.create", "servicePoint.create",
					"user.create", "patient.create", "appointment.create", "ticket.start", "ticket.complete"} {
					require.Positive(t, c.AuditEntry.Query().Where(auditentry.Action(action)).CountX(sys), action)
				}
			})

			t.Run("PastDaysAreClosedDaysWithStaggeredArrivalsAndMinutesLongVisits", func(t *testing.T) {
				for d := 1; d <= demo.PastDays; d++ {
					day := serviceDay(d)
					ts := s.client.Ticket.Query().Where(ticket.ServiceDay(day)).AllX(sys)
					require.Greater(t, len(ts), demo.CheckIns/2, day)
					at := map[time.Time]bool{}
					first, last := ts[0].CheckedInAt, ts[0].CheckedInAt
					var service []time.Duration
					statuses := map[ticket.Status]int{}
					for _, tk := range ts {
						statuses[tk.Status]++
						at[tk.CheckedInAt] = true
						first, last = minTime(first, tk.CheckedInAt), maxTime(last, tk.CheckedInAt)
						if tk.Status == ticket.StatusCOMPLETED {
							require.NotNil(t, tk.StartedAt, tk.Code)
							require.NotNil(t, tk.EndedAt, tk.Code)
							service = append(service, tk.EndedAt.Sub(*tk.StartedAt))
						}
					}
					require.Len(t, at, len(ts), "%s: every arrival at its own moment", day)
					require.Greater(t, last.Sub(first), 2*time.Hour, "%s: arrivals spread over the morning", day)
					require.Zero(t, statuses[ticket.StatusWAITING]+statuses[ticket.StatusCALLED]+statuses[ticket.StatusIN_SERVICE],
						"%s is closed: nobody left in a queue", day)
					require.Greater(t, statuses[ticket.StatusCOMPLETED], len(ts)*3/4, day)
					for _, d := range service {
						require.GreaterOrEqual(t, d, 2*time.Minute, day)
						require.LessOrEqual(t, d, time.Hour, day)
					}
				}
				ended := map[ticket.Status]int{}
				for _, tk := range s.client.Ticket.Query().Where(ticket.ServiceDayLT(today())).AllX(sys) {
					ended[tk.Status]++
				}
				noShows, cancelled := ended[ticket.StatusNO_SHOW], ended[ticket.StatusCANCELLED]
				require.Positive(t, noShows, "some patients are not there when called")
				require.Positive(t, cancelled, "some give up waiting")
			})

			t.Run("ThisMorningIsUnderWayWithStaggeredArrivalsAndMinutesLongVisits", func(t *testing.T) {
				loc, err := time.LoadLocation(demo.FacilityTimezone)
				require.NoError(t, err)
				now := time.Now()
				local := now.In(loc)
				dayAge := local.Sub(time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc))
				ts := s.client.Ticket.Query().Where(ticket.ServiceDay(today())).AllX(sys)
				at := map[time.Time]bool{}
				first, last := ts[0].CheckedInAt, ts[0].CheckedInAt
				for _, tk := range ts {
					at[tk.CheckedInAt] = true
					first, last = minTime(first, tk.CheckedInAt), maxTime(last, tk.CheckedInAt)
					for _, x := range []*time.Time{&tk.CheckedInAt, tk.CalledAt, tk.StartedAt, tk.EndedAt} {
						if x != nil {
							require.False(t, x.After(now), "%s: nothing happened in the future", tk.Code)
						}
					}
					if dayAge < 4*time.Hour {
						continue // squeezed into a young day: only the order is certain
					}
					switch tk.Status {
					case ticket.StatusCOMPLETED:
						require.GreaterOrEqual(t, tk.EndedAt.Sub(*tk.StartedAt), 2*time.Minute, "%s: a visit lasts minutes", tk.Code)
					case ticket.StatusIN_SERVICE:
						require.GreaterOrEqual(t, now.Sub(*tk.StartedAt), time.Minute, "%s: in service for a while", tk.Code)
					case ticket.StatusCALLED:
						require.Less(t, now.Sub(*tk.CalledAt), 15*time.Minute, "%s: called a few minutes ago", tk.Code)
					case ticket.StatusWAITING:
						require.Greater(t, now.Sub(tk.CheckedInAt), 10*time.Minute, "%s: waiting for a while", tk.Code)
					case ticket.StatusNO_SHOW, ticket.StatusCANCELLED, ticket.StatusTRANSFERRED:
						t.Errorf("%s: this morning's history has no %s", tk.Code, tk.Status)
					}
				}
				if dayAge >= 4*time.Hour {
					require.Len(t, at, len(ts), "every arrival at its own moment")
					require.Greater(t, last.Sub(first), 2*time.Hour, "arrivals spread over the morning")
				}
			})

			t.Run("YesterdaysAnalyticsHaveFigures", func(t *testing.T) {
				admin := s.client.User.Query().Where(user.Email(demo.AdminEmail)).OnlyX(sys)
				as := auth.NewContext(ctx, auth.Viewer{UserID: admin.ID, Role: auth.RoleAdmin, FacilityID: admin.FacilityID})
				yesterday := serviceDay(1)
				stats := analytics.NewService(s.db, time.Now)
				for _, dep := range s.client.Department.Query().AllX(sys) {
					rows, err := stats.Figures(as, dep.ID, yesterday, yesterday)
					require.NoError(t, err)
					require.NotEmpty(t, rows, dep.Name)
					total := rows[0]
					t.Logf("%s %s: %d arrivals, %d served, %d no-shows, %d cancelled, median wait %v s, p90 %v s, median service %v s",
						yesterday, dep.Name, total.Arrivals, total.Served, total.NoShows, total.Cancellations,
						deref(total.MedianWaitSeconds), deref(total.P90WaitSeconds), deref(total.MedianServiceSeconds))
					require.Nil(t, total.QueueID, "the department's total comes first")
					require.False(t, total.Live, "a stored report")
					require.Positive(t, total.Arrivals, dep.Name)
					require.Positive(t, total.Served, dep.Name)
					require.NotNil(t, total.MedianWaitSeconds, dep.Name)
					require.NotNil(t, total.MedianServiceSeconds, dep.Name)
					require.GreaterOrEqual(t, *total.MedianServiceSeconds, 120, "%s: minutes, not milliseconds", dep.Name)
				}
			})

			t.Run("StaffSignInWithTheDemoPassword", func(t *testing.T) {
				for _, email := range []string{demo.AdminEmail, demo.ReceptionistEmail, demo.DoctorEmail, demo.NurseEmail, demo.IntegrationEmail, demo.KioskEmail} {
					sess, err := s.session.Login(ctx, email, demo.DemoPassword)
					require.NoError(t, err, email)
					require.Equal(t, email, sess.User.Email)
					require.NotEmpty(t, sess.AccessToken)
				}
			})

			t.Run("PrintsProgressAndLogins", func(t *testing.T) {
				for _, line := range []string{"facility ✓", "departments 3/3", "queues 5/5", "service points 9/9",
					"staff 6/6", "appointments 3/3", "past days 3 days: ", "check-ins 56/56", demo.AdminEmail, demo.DemoPassword, demo.KioskPhone} {
					require.Contains(t, out, line)
				}
			})

			t.Run("SecondLoadWithSkipIfPresentIsANoOp", func(t *testing.T) {
				before := s.client.AuditEntry.Query().CountX(sys)
				out, err := s.load(ctx, true)
				require.NoError(t, err)
				require.Equal(t, "demo data already present\n", out)
				require.Equal(t, before, s.client.AuditEntry.Query().CountX(sys))
				require.Equal(t, 1, s.client.Facility.Query().CountX(sys))
			})

			t.Run("ErrSecondLoadWithoutSkip", func(t *testing.T) {
				_, err := s.load(ctx, false)
				require.Equal(t, cqerr.Conflict, cqerr.CodeOf(err), "%v", err)
				require.Contains(t, cqerr.MessageOf(err), "already exists")
				require.Equal(t, 1, s.client.Facility.Query().CountX(sys))
			})
		})
	}
}

func TestLoadWithoutOutput(t *testing.T) {
	t.Parallel()
	s := newServices(t, store.SQLite)
	require.NoError(t, demo.Load(t.Context(), s.db, s.session, s.admin, s.queue, demo.Options{}))
	require.Equal(t, demo.CheckIns, s.client.Ticket.Query().Where(ticket.ServiceDay(today())).CountX(auth.SystemContext(t.Context())))
}

// today is the service day in the demo facility's time zone.
func today() string { return serviceDay(0) }

// serviceDay is the service day d days ago in the demo facility's time zone.
func serviceDay(d int) string {
	loc, err := time.LoadLocation(demo.FacilityTimezone)
	if err != nil {
		panic(err)
	}
	now := time.Now().In(loc)
	return time.Date(now.Year(), now.Month(), now.Day()-d, 12, 0, 0, 0, loc).Format(time.DateOnly)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func deref(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}
