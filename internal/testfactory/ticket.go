package testfactory

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/appointment"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
)

// queueAt returns the queue id (a new Queue when id is empty) with its facility's time zone.
func queueAt(ctx context.Context, tb testing.TB, client *ent.Client, id pulid.ID) (*ent.Queue, *ent.Facility, *time.Location) {
	tb.Helper()
	if id == "" {
		id = Queue(ctx, tb, client, nil).ID
	}
	q, err := client.Queue.Query().Where(entqueue.ID(id)).
		WithDepartment(func(d *ent.DepartmentQuery) { d.WithFacility() }).
		Only(auth.SystemContext(ctx))
	require.NoError(tb, err, "testfactory: queue %s", id)
	f := q.Edges.Department.Edges.Facility
	loc, err := time.LoadLocation(f.Timezone)
	require.NoError(tb, err, "testfactory: facility time zone")
	return q, f, loc
}

// AppointmentOpts override Appointment's defaults.
type AppointmentOpts struct {
	QueueID     pulid.ID           // default: a new Queue
	PatientID   pulid.ID           // default: a new Patient at the queue's facility
	ScheduledAt time.Time          // default an hour from now
	Status      appointment.Status // default SCHEDULED
	ExternalRef string             // the EHR's reference; default none
}

// Appointment inserts an appointment.
func Appointment(ctx context.Context, tb testing.TB, client *ent.Client, opts *AppointmentOpts) *ent.Appointment {
	tb.Helper()
	opts = orNew(opts)
	q, f, _ := queueAt(ctx, tb, client, opts.QueueID)
	patientID := opts.PatientID
	if patientID == "" {
		patientID = Patient(ctx, tb, client, &PatientOpts{FacilityID: f.ID}).ID
	}
	return save(ctx, tb, "appointment", client.Appointment.Create().
		SetQueueID(q.ID).
		SetPatientID(patientID).
		SetScheduledAt(or(opts.ScheduledAt, time.Now().Add(time.Hour))).
		SetNillableStatus(set(opts.Status)).
		SetNillableExternalRef(set(opts.ExternalRef)))
}

// TicketOpts override Ticket's defaults.
type TicketOpts struct {
	QueueID     pulid.ID         // default: a new Queue
	PatientID   pulid.ID         // default: a new Patient at the queue's facility
	Status      ticket.Status    // default WAITING
	TriageLevel enum.TriageLevel // default STANDARD
	Source      ticket.Source    // default WALK_IN
	CheckedInAt time.Time        // default now
	ArrivedAt   time.Time        // default CheckedInAt
	// AwaitingTriage marks a self check-in not yet triaged.
	AwaitingTriage bool
	// TargetAt defaults to ArrivedAt plus the queue's target wait for TriageLevel.
	TargetAt time.Time
	// CalledAt, StartedAt and EndedAt default to CheckedInAt where Status implies them: called for
	// CALLED, IN_SERVICE, COMPLETED and NO_SHOW, started for IN_SERVICE and COMPLETED, ended for
	// every closed status. Otherwise they stay unset.
	CalledAt, StartedAt, EndedAt *time.Time
	ServicePointID               pulid.ID
	CalledByID                   pulid.ID
	AppointmentID                pulid.ID
	// PreviousID is the ticket this one was transferred from (with Source TRANSFER); default none.
	PreviousID pulid.ID
	Note       string
	// ServiceDay defaults to the facility-local date of CheckedInAt, Seq to the queue's next number
	// of that day, Code to "<prefix>-<seq>" as check-in writes it, and StatusToken to a random one.
	ServiceDay  string
	Seq         int
	Code        string
	StatusToken string
}

// Ticket inserts a ticket as it would stand after check-in (and the later steps Status names),
// bypassing the queue workflows: no event, audit entry or version bump is written.
func Ticket(ctx context.Context, tb testing.TB, client *ent.Client, opts *TicketOpts) *ent.Ticket {
	tb.Helper()
	return Tickets(ctx, tb, client, 1, opts)[0]
}

// Tickets inserts n tickets like Ticket in one statement per few hundred, in arrival order: the i-th
// checked in i seconds after the first, which checks in at opts.CheckedInAt (default n-1 seconds ago,
// so the last arrives now). They share opts.PatientID, or one new patient. Seq, when set, numbers the
// first and the others follow; Code and StatusToken may be set only when n is 1.
func Tickets(ctx context.Context, tb testing.TB, client *ent.Client, n int, opts *TicketOpts) []*ent.Ticket {
	tb.Helper()
	opts = orNew(opts)
	require.True(tb, n == 1 || (opts.Code == "" && opts.StatusToken == ""),
		"testfactory: Code and StatusToken name one ticket; leave them empty for %d", n)
	sys := auth.SystemContext(ctx)
	q, f, loc := queueAt(ctx, tb, client, opts.QueueID)
	patientID := opts.PatientID
	if patientID == "" {
		patientID = Patient(ctx, tb, client, &PatientOpts{FacilityID: f.ID}).ID
	}
	first := or(opts.CheckedInAt, time.Now().Add(-time.Duration(n-1)*time.Second))
	nextSeq := map[string]int{} // per service day
	builders := make([]*ent.TicketCreate, n)
	for i := range n {
		in := first.Add(time.Duration(i) * time.Second)
		day := or(opts.ServiceDay, in.In(loc).Format(time.DateOnly))
		seq := nextSeq[day]
		switch {
		case opts.Seq != 0:
			seq = opts.Seq + i
		case seq == 0:
			seq = lastSeq(sys, tb, client, q.ID, day) + 1
		}
		nextSeq[day] = seq + 1
		builders[i] = ticketCreate(client, q, patientID, opts, in, day, seq)
	}
	out := make([]*ent.Ticket, 0, n)
	for len(builders) > 0 {
		chunk := builders[:min(len(builders), 300)]
		builders = builders[len(chunk):]
		saved, err := client.Ticket.CreateBulk(chunk...).Save(sys)
		require.NoError(tb, err, "testfactory: tickets")
		out = append(out, saved...)
	}
	return out
}

// lastSeq is the highest sequence number the queue has given on day, 0 for none.
func lastSeq(ctx context.Context, tb testing.TB, client *ent.Client, queueID pulid.ID, day string) int {
	tb.Helper()
	last, err := client.Ticket.Query().Where(ticket.QueueID(queueID), ticket.ServiceDay(day)).
		Order(ent.Desc(ticket.FieldSeq)).First(ctx)
	if ent.IsNotFound(err) {
		return 0
	}
	require.NoError(tb, err, "testfactory: last ticket of the day")
	return last.Seq
}

func ticketCreate(client *ent.Client, q *ent.Queue, patientID pulid.ID, opts *TicketOpts, in time.Time, day string, seq int) *ent.TicketCreate {
	status := or(opts.Status, ticket.StatusWAITING)
	level := or(opts.TriageLevel, enum.TriageLevelStandard)
	stamp := func(v *time.Time, implied bool) *time.Time {
		if v == nil && implied {
			return &in
		}
		return v
	}
	started := status == ticket.StatusIN_SERVICE || status == ticket.StatusCOMPLETED
	called := started || status == ticket.StatusCALLED || status == ticket.StatusNO_SHOW
	ended := status != ticket.StatusWAITING && status != ticket.StatusCALLED && status != ticket.StatusIN_SERVICE
	return client.Ticket.Create().
		SetQueueID(q.ID).
		SetPatientID(patientID).
		SetStatus(status).
		SetTriageLevel(level).
		SetNillableSource(set(opts.Source)).
		SetCheckedInAt(in).
		SetArrivedAt(or(opts.ArrivedAt, in)).
		SetAwaitingTriage(opts.AwaitingTriage).
		SetTargetAt(or(opts.TargetAt, or(opts.ArrivedAt, in).Add(targetWait(q, level)))).
		SetNillableCalledAt(stamp(opts.CalledAt, called)).
		SetNillableStartedAt(stamp(opts.StartedAt, started)).
		SetNillableEndedAt(stamp(opts.EndedAt, ended)).
		SetNillableServicePointID(set(opts.ServicePointID)).
		SetNillableCalledByID(set(opts.CalledByID)).
		SetNillableAppointmentID(set(opts.AppointmentID)).
		SetNillablePreviousID(set(opts.PreviousID)).
		SetNillableNote(set(opts.Note)).
		SetServiceDay(day).
		SetSeq(seq).
		SetCode(or(opts.Code, fmt.Sprintf("%s-%03d", q.Prefix, seq))).
		SetStatusToken(or(opts.StatusToken, token()))
}

// targetWait is the queue's target wait for level.
func targetWait(q *ent.Queue, level enum.TriageLevel) time.Duration {
	minutes := map[enum.TriageLevel]int{
		enum.TriageLevelImmediate:  q.TargetImmediateMinutes,
		enum.TriageLevelVeryUrgent: q.TargetVeryUrgentMinutes,
		enum.TriageLevelUrgent:     q.TargetUrgentMinutes,
		enum.TriageLevelStandard:   q.TargetStandardMinutes,
		enum.TriageLevelNonUrgent:  q.TargetNonUrgentMinutes,
	}[level]
	return time.Duration(minutes) * time.Minute
}

func token() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
