package analytics_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/privacy"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/ent/dailyreport"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	entticket "github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/analytics"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

var sys = auth.SystemContext(context.Background())

// hospital is a facility with one department of two queues (Clinic, Lab), and a second facility.
type hospital struct {
	db                             *store.DB
	c                              *ent.Client
	facility                       *ent.Facility
	dept                           *ent.Department
	clinic, lab                    *ent.Queue
	patient                        *ent.Patient
	now                            time.Time
	svc                            *analytics.Service
	admin, clinician, foreignAdmin context.Context
}

func newHospital(t testing.TB, d store.Dialect, tz string, now time.Time) *hospital {
	t.Helper()
	db := storetest.NewMigratedDB(t, d, migrations.FS)
	ctx, c := context.Background(), db.Ent
	h := &hospital{db: db, c: c, now: now}
	h.facility = testfactory.Facility(ctx, t, c, &testfactory.FacilityOpts{Name: "General", Timezone: tz})
	other := testfactory.Facility(ctx, t, c, &testfactory.FacilityOpts{Name: "Other"})
	h.dept = testfactory.Department(ctx, t, c, &testfactory.DepartmentOpts{FacilityID: h.facility.ID, Name: "Outpatients"})
	h.clinic = testfactory.Queue(ctx, t, c, &testfactory.QueueOpts{DepartmentID: h.dept.ID, Name: "Clinic", Prefix: "C"})
	h.lab = testfactory.Queue(ctx, t, c, &testfactory.QueueOpts{DepartmentID: h.dept.ID, Name: "Lab", Prefix: "L"})
	otherDept := testfactory.Department(ctx, t, c, &testfactory.DepartmentOpts{FacilityID: other.ID, Name: "Far"})
	testfactory.Queue(ctx, t, c, &testfactory.QueueOpts{DepartmentID: otherDept.ID, Name: "Far queue", Prefix: "F"})
	h.patient = testfactory.Patient(ctx, t, c, &testfactory.PatientOpts{FacilityID: h.facility.ID})
	h.svc = analytics.NewService(db, func() time.Time { return h.now })
	as := func(role auth.Role, f pulid.ID) context.Context {
		return auth.NewContext(context.Background(), auth.Viewer{UserID: "US" + pulid.ID(role), Role: role, FacilityID: f})
	}
	h.admin, h.clinician, h.foreignAdmin = as(auth.RoleAdmin, h.facility.ID), as(auth.RoleClinician, h.facility.ID), as(auth.RoleAdmin, other.ID)
	return h
}

// visit adds a STANDARD ticket of day to q that checked in at in with a 30-minute target, was called
// after wait (0: never; a status that implies a call needs one), served for service (0: not served)
// and ended as status; edit may set more.
func (h *hospital) visit(t testing.TB, q *ent.Queue, day string, in time.Time, wait, service time.Duration,
	status entticket.Status, edit ...func(*testfactory.TicketOpts)) *ent.Ticket {
	t.Helper()
	opts := &testfactory.TicketOpts{QueueID: q.ID, PatientID: h.patient.ID, ServiceDay: day, Status: status,
		CheckedInAt: in, TargetAt: in.Add(30 * time.Minute)}
	called, ended := in.Add(wait), in.Add(wait+service)
	if wait > 0 {
		opts.CalledAt = &called
	}
	if service > 0 {
		opts.StartedAt, opts.EndedAt = &called, &ended
	}
	for _, e := range edit {
		e(opts)
	}
	return testfactory.Ticket(context.Background(), t, h.c, opts)
}

// reports returns a day's stored reports keyed "department/queue" (queue empty for the total).
func reports(t *testing.T, h *hospital, day string) map[string]*ent.DailyReport {
	t.Helper()
	rs := h.c.DailyReport.Query().Where(dailyreport.Day(day), dailyreport.DepartmentID(string(h.dept.ID))).AllX(sys)
	m := map[string]*ent.DailyReport{}
	for _, r := range rs {
		m[r.DepartmentID+"/"+r.QueueID] = r
	}
	require.Len(t, m, len(rs), "one report per department, queue and day")
	return m
}

// ours keeps the sweep's days of h's facility (the other facility is reported too).
func (h *hospital) ours(done []string, err error) []string {
	var out []string
	for _, d := range done {
		if strings.HasPrefix(d, string(h.facility.ID)+"/") {
			out = append(out, d)
		}
	}
	if err != nil {
		out = append(out, "error: "+err.Error())
	}
	return out
}

func secs(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

func TestDailyReports(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
			h := newHospital(t, d, "UTC", now)
			am := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
			h.visit(t, h.clinic, "2026-11-25", am, 10*time.Minute, 5*time.Minute, entticket.StatusCOMPLETED)
			h.visit(t, h.clinic, "2026-11-25", am, 40*time.Minute, 0, entticket.StatusNO_SHOW)
			moved := h.visit(t, h.clinic, "2026-11-25", am, 0, 0, entticket.StatusTRANSFERRED)
			h.visit(t, h.lab, "2026-11-25", am.Add(time.Hour), 20*time.Minute, 10*time.Minute, entticket.StatusCOMPLETED,
				func(o *testfactory.TicketOpts) { o.Source, o.PreviousID = entticket.SourceTRANSFER, moved.ID })
			h.visit(t, h.clinic, "2026-11-26", now.Add(-time.Hour), 0, 0, entticket.StatusWAITING)
			total, clinic, lab := string(h.dept.ID)+"/", string(h.dept.ID)+"/"+string(h.clinic.ID), string(h.dept.ID)+"/"+string(h.lab.ID)

			t.Run("RecomputeStoresEveryQueueAndTheTotal", func(t *testing.T) {
				n, err := h.svc.Recompute(h.admin, h.facility.ID, "2026-11-24", "2026-11-25")
				require.NoError(t, err)
				require.Equal(t, 6, n, "two days × (the department's total + 2 queues)")
				m := reports(t, h, "2026-11-25")
				require.Len(t, m, 3)
				require.Equal(t, 3, m[total].Arrivals, "a transfer between its own queues is not a new arrival")
				require.Equal(t, []int{2, 1, 0}, []int{m[total].Served, m[total].NoShows, m[total].Cancellations})
				require.Equal(t, []int{1200, 2400, 450}, []int{secs(m[total].MedianWaitSeconds), secs(m[total].P90WaitSeconds), secs(m[total].MedianServiceSeconds)})
				require.Equal(t, 3, m[clinic].Arrivals)
				require.Equal(t, []int{1500, 2400, 300}, []int{secs(m[clinic].MedianWaitSeconds), secs(m[clinic].P90WaitSeconds), secs(m[clinic].MedianServiceSeconds)})
				require.Equal(t, map[string]float64{"STANDARD": 0.5}, m[clinic].WithinTarget, "10 of 30 minutes on time, 40 late")
				require.Equal(t, 1, m[lab].Arrivals, "the transfer is an arrival for the lab")
				require.Equal(t, 1200, secs(m[lab].MedianWaitSeconds))
			})
			t.Run("ADayWithoutPatientsIsZeroNotAGap", func(t *testing.T) {
				m := reports(t, h, "2026-11-24")
				require.Len(t, m, 3)
				for _, r := range m {
					require.Zero(t, r.Arrivals)
					require.Nil(t, r.MedianWaitSeconds)
					require.Empty(t, r.WithinTarget)
				}
			})
			t.Run("RerunReplacesNeverDuplicates", func(t *testing.T) {
				before := reports(t, h, "2026-11-25")
				h.visit(t, h.clinic, "2026-11-25", am.Add(2*time.Hour), 0, 0, entticket.StatusCANCELLED)
				n, err := h.svc.Recompute(h.admin, h.facility.ID, "2026-11-25", "2026-11-25")
				require.NoError(t, err)
				require.Equal(t, 3, n)
				after := reports(t, h, "2026-11-25")
				require.Len(t, after, 3)
				require.Equal(t, before[clinic].Arrivals+1, after[clinic].Arrivals)
				require.Equal(t, 1, after[clinic].Cancellations)
				audits := h.c.AuditEntry.Query().Where(auditentry.Action("reports.recompute")).CountX(sys)
				require.Equal(t, 2, audits, "each recompute is audited")
			})
			t.Run("ErrTodayIsNotOver", func(t *testing.T) {
				_, err := h.svc.Recompute(h.admin, h.facility.ID, "2026-11-25", "2026-11-26")
				require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err))
				require.Contains(t, err.Error(), "not over yet")
			})
			t.Run("ErrBadRanges", func(t *testing.T) {
				for _, r := range [][2]string{{"2026-11-25", "2026-11-24"}, {"yesterday", "2026-11-24"},
					{"2026-11-01", "2026-13-01"}, {"2024-01-01", "2025-12-31"}, {"", ""}} {
					_, err := h.svc.Figures(h.admin, h.dept.ID, r[0], r[1])
					require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), r)
					_, err = h.svc.Recompute(h.admin, h.facility.ID, r[0], r[1])
					require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), r)
				}
			})
			t.Run("FiguresAreStoredDaysThenTodayLive", func(t *testing.T) {
				rows, err := h.svc.Figures(h.admin, h.dept.ID, "2026-11-20", "2026-11-30")
				require.NoError(t, err)
				var got []string
				for _, r := range rows {
					name := "total"
					if r.QueueName != nil {
						name = *r.QueueName
					}
					got = append(got, fmt.Sprintf("%s %s live=%v arrivals=%d", r.Day, name, r.Live, r.Arrivals))
				}
				require.Equal(t, []string{
					"2026-11-24 total live=false arrivals=0", "2026-11-24 Clinic live=false arrivals=0", "2026-11-24 Lab live=false arrivals=0",
					"2026-11-25 total live=false arrivals=4", "2026-11-25 Clinic live=false arrivals=4", "2026-11-25 Lab live=false arrivals=1",
					"2026-11-26 total live=true arrivals=1", "2026-11-26 Clinic live=true arrivals=1", "2026-11-26 Lab live=true arrivals=0",
				}, got)
				today, err := h.svc.Today(h.admin, h.dept.ID)
				require.NoError(t, err)
				require.Equal(t, rows[6:], today)

				var buf bytes.Buffer
				require.NoError(t, analytics.WriteCSV(&buf, rows))
				recs, err := csv.NewReader(&buf).ReadAll()
				require.NoError(t, err)
				require.Len(t, recs, 10)
				require.Equal(t, []string{"day", "department_id", "queue_id", "queue", "live", "arrivals"}, recs[0][:6])
				require.Equal(t, []string{"2026-11-25", string(h.dept.ID), string(h.clinic.ID), "Clinic", "false", "4"}, recs[5][:6])
				require.Equal(t, "0.5000", recs[5][len(recs[5])-2], "within target, STANDARD column")
			})
			t.Run("ErrNotAnAdmin", func(t *testing.T) {
				_, err := h.svc.Figures(h.clinician, h.dept.ID, "2026-11-25", "2026-11-25")
				require.ErrorIs(t, err, privacy.Deny)
				_, err = h.svc.Today(h.clinician, h.dept.ID)
				require.ErrorIs(t, err, privacy.Deny)
				_, err = h.svc.Recompute(h.clinician, h.facility.ID, "2026-11-25", "2026-11-25")
				require.ErrorIs(t, err, privacy.Deny)
			})
			t.Run("ErrAnotherFacilitysAdmin", func(t *testing.T) {
				_, err := h.svc.Figures(h.foreignAdmin, h.dept.ID, "2026-11-25", "2026-11-25")
				require.Equal(t, cqerr.NotFound, cqerr.CodeOf(err))
				_, err = h.svc.Recompute(h.foreignAdmin, h.facility.ID, "2026-11-25", "2026-11-25")
				require.Equal(t, cqerr.NotFound, cqerr.CodeOf(err))
				n, err := h.c.DailyReport.Query().Count(h.foreignAdmin)
				require.NoError(t, err)
				require.Zero(t, n, "reports are scoped to the admin's facility")
			})
		})
	}
}

func TestSweep(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			now := time.Date(2026, 11, 26, 0, 20, 0, 0, time.UTC)
			h := newHospital(t, d, "UTC", now)
			late := h.visit(t, h.clinic, "2026-11-25", now.Add(-30*time.Minute), 0, 0, entticket.StatusWAITING)
			f := string(h.facility.ID)
			var done []string

			t.Run("ReportsTheClosedDaysOnce", func(t *testing.T) {
				done = h.ours(analytics.Sweep(sys, h.db, now))
				require.Equal(t, []string{f + "/2026-11-23", f + "/2026-11-24", f + "/2026-11-25"}, done)
				done = h.ours(analytics.Sweep(sys, h.db, now.Add(analytics.SweepEvery)))
				require.Empty(t, done, "nothing changed")
			})
			t.Run("ALateChangeReplacesTheDay", func(t *testing.T) {
				// The patient who checked in before midnight is seen after it.
				h.c.Ticket.UpdateOne(late).SetStatus(entticket.StatusCOMPLETED).SetCalledAt(now).SetStartedAt(now).
					SetEndedAt(now.Add(5 * time.Minute)).ExecX(sys)
				done = h.ours(analytics.Sweep(sys, h.db, now.Add(2*analytics.SweepEvery)))
				require.Equal(t, []string{f + "/2026-11-25"}, done)
				m := reports(t, h, "2026-11-25")
				require.Len(t, m, 3)
				require.Equal(t, 1, m[string(h.dept.ID)+"/"].Served)
			})
			t.Run("ATimeZoneChangeAcrossMidnightLosesAndDoublesNothing", func(t *testing.T) {
				// 20:00 UTC on the 26th: the 26th is still open in UTC.
				at := time.Date(2026, 11, 26, 20, 0, 0, 0, time.UTC)
				h.visit(t, h.clinic, "2026-11-26", at.Add(-time.Hour), 0, 0, entticket.StatusWAITING)
				done = h.ours(analytics.Sweep(sys, h.db, at))
				require.Empty(t, done)
				// The facility moves to UTC+14: it is 10:00 on the 27th there, so the 26th is over.
				h.c.Facility.UpdateOne(h.facility).SetTimezone("Pacific/Kiritimati").ExecX(sys)
				done = h.ours(analytics.Sweep(sys, h.db, at))
				require.Equal(t, []string{f + "/2026-11-26"}, done)
				// And back to UTC-11, where it is 09:00 on the 26th: nothing is reported twice.
				h.c.Facility.UpdateOne(h.facility).SetTimezone("Pacific/Pago_Pago").ExecX(sys)
				done = h.ours(analytics.Sweep(sys, h.db, at))
				require.Empty(t, done)
				for _, day := range []string{"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"} {
					m := reports(t, h, day)
					require.Len(t, m, 3, day)
				}
				require.Equal(t, 1, reports(t, h, "2026-11-26")[string(h.dept.ID)+"/"].Arrivals,
					"each ticket counts on the day it checked in")
			})
		})
	}
}

// TestFiguresCountTheLevelAtTheCall: a patient re-triaged after being called counts against the level
// of the call (the CALL event's), with that level's deadline.
func TestFiguresCountTheLevelAtTheCall(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
			h := newHospital(t, d, "UTC", now)
			in := now.Add(-2 * time.Hour)
			call := func(tk *ent.Ticket, level enum.TriageLevel) {
				h.c.TicketEvent.Create().SetTicketID(tk.ID).SetQueueID(string(tk.QueueID)).SetAction(enum.ActionCall).
					SetFromStatus("WAITING").SetToStatus("CALLED").SetTriageLevel(string(level)).SetAt(*tk.CalledAt).
					ExecX(auth.WithAction(sys, enum.ActionCall))
			}
			// URGENT (due after 60 minutes), called after 50, then re-triaged VERY_URGENT: its deadline
			// moved to 10 minutes after arrival.
			moved := h.visit(t, h.clinic, "2026-11-26", in, 50*time.Minute, 5*time.Minute, entticket.StatusCOMPLETED,
				func(o *testfactory.TicketOpts) {
					o.TriageLevel, o.TargetAt = enum.TriageLevelVeryUrgent, in.Add(10*time.Minute)
				})
			call(moved, enum.TriageLevelUrgent)
			// VERY_URGENT all along, called after 20: late.
			late := h.visit(t, h.clinic, "2026-11-26", in, 20*time.Minute, 5*time.Minute, entticket.StatusCOMPLETED,
				func(o *testfactory.TicketOpts) {
					o.TriageLevel, o.TargetAt = enum.TriageLevelVeryUrgent, in.Add(10*time.Minute)
				})
			call(late, enum.TriageLevelVeryUrgent)

			rows, err := h.svc.Today(h.admin, h.dept.ID)
			require.NoError(t, err)
			require.Equal(t, []analytics.LevelShare{
				{Level: enum.TriageLevelVeryUrgent, Share: 0},
				{Level: enum.TriageLevelUrgent, Share: 1},
			}, rows[1].WithinTarget, "the Clinic: one VERY_URGENT call late, one URGENT call on time")
		})
	}
}
