package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/appointment"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/testfactory"
)

// TestPatientCheckInFromApp: a patient checks themselves in to a queue that takes self check-in, or
// with their own appointment for today; anything else is for reception. Staff are not affected.
func TestPatientCheckInFromApp(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		ctx := context.Background()
		bloods := testfactory.Queue(ctx, t, f.client, &testfactory.QueueOpts{DepartmentID: f.dept.ID, Name: "Blood tests",
			Prefix: "B", Ordering: entqueue.OrderingFIFO, SelfCheckIn: true})
		require.False(t, f.fifo.SelfCheckIn, "off by default")
		today := f.clock.base.Add(2 * time.Hour) // the clock's day in Europe/London

		// signIn gives a patient record linked to a new patient account, and that account's viewer.
		signIn := func(t *testing.T) (context.Context, *ent.Patient) {
			u := testfactory.User(ctx, t, f.client, &testfactory.UserOpts{Role: user.RolePATIENT})
			p := testfactory.Patient(ctx, t, f.client, &testfactory.PatientOpts{FacilityID: f.facility.ID, AccountID: u.ID})
			return testfactory.As(ctx, u), p
		}
		book := func(p *ent.Patient, q *ent.Queue, at time.Time, status appointment.Status) *pulid.ID {
			a := testfactory.Appointment(ctx, t, f.client, &testfactory.AppointmentOpts{PatientID: p.ID, QueueID: q.ID, ScheduledAt: at, Status: status})
			return &a.ID
		}
		const (
			goToReception = "this queue does not take check-in from the app; please go to reception"
			notToday      = "you can check in from the app only on the day of your appointment; please go to reception"
		)
		for _, tc := range []struct {
			name  string
			staff bool
			queue *ent.Queue
			// appt books the appointment given with the check-in, if any: me is the patient checking in.
			appt    func(me *ent.Patient) *pulid.ID
			level   *enum.TriageLevel
			inline  bool
			source  ticket.Source // the new ticket's, when the check-in succeeds
			errMsg  string        // a FORBIDDEN message, when it does not
			errFrom string        // the field the error names
		}{
			{name: "SelfCheckInQueue", queue: bloods, source: ticket.SourceMOBILE},
			{name: "SelfCheckInQueueWithOwnAppointment", queue: bloods, source: ticket.SourceMOBILE,
				appt: func(me *ent.Patient) *pulid.ID { return book(me, bloods, today, appointment.StatusSCHEDULED) }},
			{name: "OwnAppointmentToday", queue: f.fifo, source: ticket.SourceMOBILE,
				appt: func(me *ent.Patient) *pulid.ID { return book(me, f.fifo, today, appointment.StatusSCHEDULED) }},
			{name: "OwnAppointmentLateToday", queue: f.fifo, source: ticket.SourceMOBILE,
				appt: func(me *ent.Patient) *pulid.ID {
					return book(me, f.fifo, time.Date(2026, 11, 25, 23, 45, 0, 0, time.UTC), appointment.StatusSCHEDULED)
				}},
			{name: "ErrOtherQueue", queue: f.fifo, errMsg: goToReception, errFrom: "input.queueID"},
			{name: "ErrOwnAppointmentTomorrow", queue: f.fifo, errMsg: notToday, errFrom: "input.queueID",
				appt: func(me *ent.Patient) *pulid.ID {
					return book(me, f.fifo, today.AddDate(0, 0, 1), appointment.StatusSCHEDULED)
				}},
			{name: "ErrOwnAppointmentJustAfterMidnight", queue: f.fifo, errMsg: notToday, errFrom: "input.queueID",
				appt: func(me *ent.Patient) *pulid.ID {
					return book(me, f.fifo, time.Date(2026, 11, 26, 0, 5, 0, 0, time.UTC), appointment.StatusSCHEDULED)
				}},
			{name: "ErrOwnAppointmentYesterday", queue: f.fifo, errMsg: notToday, errFrom: "input.queueID",
				appt: func(me *ent.Patient) *pulid.ID {
					return book(me, f.fifo, today.AddDate(0, 0, -1), appointment.StatusSCHEDULED)
				}},
			{name: "ErrAnotherPatientsAppointment", queue: f.fifo, errMsg: goToReception, errFrom: "input.queueID",
				appt: func(*ent.Patient) *pulid.ID {
					return book(f.patient(t, "Other"), f.fifo, today, appointment.StatusSCHEDULED)
				}},
			{name: "ErrOwnAppointmentInAnotherQueue", queue: f.fifo, errMsg: goToReception, errFrom: "input.queueID",
				appt: func(me *ent.Patient) *pulid.ID { return book(me, f.triage, today, appointment.StatusSCHEDULED) }},
			{name: "ErrOwnAppointmentCancelled", queue: f.fifo, errMsg: goToReception, errFrom: "input.queueID",
				appt: func(me *ent.Patient) *pulid.ID { return book(me, f.fifo, today, appointment.StatusCANCELLED) }},
			{name: "ErrPatientChoosesTriageLevel", queue: bloods, level: ptrTo(enum.TriageLevelUrgent),
				errMsg: "patients cannot choose a triage level", errFrom: "input.triageLevel"},
			{name: "ErrPatientRegistersARecord", queue: bloods, inline: true,
				errMsg: "patients check in with their existing record", errFrom: "input.patient"},
			{name: "StaffAnyQueue", staff: true, queue: f.fifo, source: ticket.SourceWALK_IN},
			{name: "StaffAnotherDaysAppointment", staff: true, queue: f.fifo, source: ticket.SourceAPPOINTMENT,
				appt: func(me *ent.Patient) *pulid.ID {
					return book(me, f.fifo, today.AddDate(0, 0, 1), appointment.StatusSCHEDULED)
				}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx, me := signIn(t)
				if tc.staff {
					ctx = f.reception
				}
				in := queue.CheckInInput{QueueID: tc.queue.ID, PatientID: &me.ID, TriageLevel: tc.level}
				if tc.appt != nil {
					in.AppointmentID = tc.appt(me)
				}
				if tc.inline {
					in.PatientID = nil
					in.Patient = &ent.CreatePatientInput{GivenName: "New", FamilyName: "Record", FacilityID: f.facility.ID}
				}
				before := f.version(t, tc.queue)
				tk, err := f.svc.CheckIn(ctx, queue.NoKey, in)
				if tc.errMsg != "" {
					var e *cqerr.Error
					require.ErrorAs(t, err, &e)
					require.Equal(t, cqerr.Forbidden, e.Code)
					require.Equal(t, tc.errMsg, e.Message)
					require.Equal(t, tc.errFrom, e.Field)
					require.Equal(t, before, f.version(t, tc.queue), "nothing changed")
					if in.AppointmentID != nil {
						a := f.client.Appointment.GetX(auth.SystemContext(ctx), *in.AppointmentID)
						require.NotEqual(t, appointment.StatusCHECKED_IN, a.Status, "the appointment is left alone")
					}
					return
				}
				require.NoError(t, err)
				require.Equal(t, tc.source, tk.Source)
				require.Equal(t, enum.TriageLevelStandard, tk.TriageLevel)
				require.Equal(t, me.ID, tk.PatientID)
				if in.AppointmentID != nil {
					require.Equal(t, *in.AppointmentID, tk.AppointmentID)
					a := f.client.Appointment.GetX(auth.SystemContext(ctx), *in.AppointmentID)
					require.Equal(t, appointment.StatusCHECKED_IN, a.Status)
				}
			})
		}
	})
}
