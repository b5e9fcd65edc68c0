package queue

import (
	"context"
	"fmt"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/appointment"
	"github.com/carequeue/carequeue/ent/department"
	"github.com/carequeue/carequeue/ent/patient"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// CheckInInput is a check-in request (GraphQL CheckInInput). Its IdempotencyKey is where GraphQL puts
// the client's key; CheckIn takes the key as its own parameter, like every workflow.
type CheckInInput struct {
	QueueID        pulid.ID
	PatientID      *pulid.ID
	Patient        *ent.CreatePatientInput
	AppointmentID  *pulid.ID
	TriageLevel    *enum.TriageLevel
	Source         *ticket.Source
	Note           *string
	IdempotencyKey *string
}

const maxNoteLen = 2000

func (in *CheckInInput) validate() error {
	switch {
	case in.PatientID == nil && in.Patient == nil:
		return cqerr.E(cqerr.BadUserInput, "give either patientID or patient").WithField("input.patientID")
	case in.PatientID != nil && in.Patient != nil:
		return cqerr.E(cqerr.BadUserInput, "give either patientID or patient, not both").WithField("input.patient")
	case in.Note != nil && len(*in.Note) > maxNoteLen:
		return cqerr.Ef(cqerr.BadUserInput, "note is too long (at most %d characters)", maxNoteLen).WithField("input.note")
	}
	if in.TriageLevel != nil {
		if err := ticket.TriageLevelValidator(*in.TriageLevel); err != nil {
			return cqerr.E(cqerr.BadUserInput, "unknown triage level").WithField("input.triageLevel")
		}
	}
	if in.Source != nil {
		if err := ticket.SourceValidator(*in.Source); err != nil {
			return cqerr.E(cqerr.BadUserInput, "unknown ticket source").WithField("input.source")
		}
	}
	return nil
}

// CheckIn puts a patient in a queue and returns the new WAITING ticket. A repeated key returns the
// ticket the key first created and changes nothing (see Key).
//
// A PATIENT viewer checks in their existing record only, at the standard level, with source MOBILE,
// and only to a queue that takes self check-in or with their own appointment in the queue for today
// (see mayCheckInFromApp).
//
// Errors: BAD_USER_INPUT (input), NOT_FOUND (queue, patient, appointment), CONFLICT (queue closed,
// patient already in the queue, key used for another queue), FORBIDDEN (role; a patient's check-in the
// queue does not take from the app).
func (s *Service) CheckIn(ctx context.Context, key Key, in CheckInInput) (*ent.Ticket, error) {
	if err := key.validate(); err != nil {
		return nil, cqerr.Under(err, "input")
	}
	args := in
	args.IdempotencyKey = nil
	return s.checkIn(ctx, newRequest(key, ActionCheckIn, in.QueueID, args), in)
}

// checkIn runs the check-in for request r (a kiosk's request names the kiosk's facility and input).
func (s *Service) checkIn(ctx context.Context, r request, in CheckInInput) (*ent.Ticket, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	level, source := enum.TriageLevelStandard, ticket.SourceWALK_IN
	if in.TriageLevel != nil {
		level = *in.TriageLevel
	}
	if in.Source != nil {
		source = *in.Source
	}
	v, _ := auth.FromContext(ctx)
	byPatient := v.Role == auth.RolePatient
	if byPatient {
		// Patients check themselves in from the app; triage is for clinicians.
		if level != enum.TriageLevelStandard {
			return nil, cqerr.E(cqerr.Forbidden, "patients cannot choose a triage level").WithField("input.triageLevel")
		}
		if in.Patient != nil {
			return nil, cqerr.E(cqerr.Forbidden, "patients check in with their existing record").WithField("input.patient")
		}
		source = ticket.SourceMOBILE
	}
	return s.workflow(ctx, r, in.QueueID, func(ctx context.Context, tx *store.Tx, q *ent.Queue) (*change, error) {
		if !q.Active {
			return nil, cqerr.Ef(cqerr.Conflict, "queue %s is closed for check-in", q.Name).WithField("input.queueID")
		}
		dep, err := tx.Client.Department.Query().Where(department.ID(q.DepartmentID)).WithFacility().Only(auth.SystemContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("reading department: %w", err)
		}
		q.Edges.Department = dep
		now := s.now()
		if byPatient {
			if err := mayCheckInFromApp(ctx, tx, q, in.AppointmentID, now); err != nil {
				return nil, err
			}
		}
		p, err := s.patientFor(ctx, tx, in, dep.FacilityID)
		if err != nil {
			return nil, err
		}
		// A patient registered by this check-in holds no ticket anywhere yet.
		if in.PatientID != nil {
			if err := notAlreadyIn(ctx, tx, q, p.ID, "input.queueID"); err != nil {
				return nil, err
			}
		}
		var scheduled *ent.Appointment
		if in.AppointmentID != nil {
			if scheduled, err = checkInAppointment(ctx, tx, *in.AppointmentID, p.ID, q.ID); err != nil {
				return nil, err
			}
			if in.Source == nil && !byPatient {
				source = ticket.SourceAPPOINTMENT
			}
		}
		n := newTicket{patientID: p.ID, level: level, source: source, now: now, appointment: scheduled, note: in.Note}
		if awaitsTriage(q, source, in.TriageLevel != nil && !byPatient) {
			n.level, n.awaitingTriage = q.SelfCheckInLevel, true
		}
		t, err := s.newTicket(ctx, tx, q, n)
		if err != nil {
			return nil, err
		}
		return &change{ticket: t, event: ActionCheckIn, auditOf: "ticket.checkIn"}, nil
	})
}

// awaitsTriage says whether a check-in from source into q waits for triage: a self check-in (kiosk,
// patient app) into a TRIAGE-ordered queue that nobody on staff gave a level. It is ordered as the
// queue's self_check_in_level, visibly, until retriageTicket clears it. Staff check-ins, and FIFO queues
// (where the level does not order anyone), are triaged as they come.
func awaitsTriage(q *ent.Queue, source ticket.Source, staffGaveLevel bool) bool {
	self := source == ticket.SourceKIOSK || source == ticket.SourceMOBILE
	return self && !staffGaveLevel && triageOrdered(q)
}

// triageOrdered reports whether q orders by triage level (TRIAGE, TRIAGE_DEADLINE_AWARE).
func triageOrdered(q *ent.Queue) bool {
	p := Policy(q.Ordering)
	return p == PolicyTriage || p == PolicyTriageDeadlineAware
}

// newTicket is what a new WAITING ticket needs; the rest (its number, code, deadline, status token) is
// the queue's and newTicket's to decide.
type newTicket struct {
	patientID pulid.ID
	level     enum.TriageLevel
	source    ticket.Source
	now       time.Time
	// arrivedAt is when the visit started, which starts the target clock; zero: now.
	arrivedAt      time.Time
	awaitingTriage bool
	appointment    *ent.Appointment // its time, when later than arrival, starts the deadline
	previous       pulid.ID         // the ticket this one was transferred from
	note           *string
}

// newTicket creates the ticket in q, which the caller has locked: every ticket, checked in or
// transferred, is built here.
func (s *Service) newTicket(ctx context.Context, tx *store.Tx, q *ent.Queue, n newTicket) (*ent.Ticket, error) {
	day, seq, err := nextSeq(ctx, tx, q, n.now)
	if err != nil {
		return nil, err
	}
	var at *time.Time
	if n.appointment != nil {
		at = &n.appointment.ScheduledAt
	}
	arrived := n.arrivedAt
	if arrived.IsZero() {
		arrived = n.now
	}
	create := tx.Client.Ticket.Create().
		SetQueueID(q.ID).
		SetPatientID(n.patientID).
		SetServiceDay(day).
		SetSeq(seq).
		SetCode(FormatCode(q.Prefix, seq)).
		SetTriageLevel(n.level).
		SetSource(n.source).
		SetCheckedInAt(n.now).
		SetArrivedAt(arrived).
		SetAwaitingTriage(n.awaitingTriage).
		SetTargetAt(Deadline(arrived, at, Level(n.level), TargetsOf(q))).
		SetStatusToken(newStatusToken()).
		SetNillableNote(n.note)
	if n.appointment != nil {
		create.SetAppointmentID(n.appointment.ID)
	}
	if n.previous != "" {
		create.SetPreviousID(n.previous)
	}
	t, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating ticket: %w", err)
	}
	return t, nil
}

// notAlreadyIn refuses a second open ticket for the patient in q, naming the one they hold, so that
// staff can find it: CONFLICT on field.
func notAlreadyIn(ctx context.Context, tx *store.Tx, q *ent.Queue, patientID pulid.ID, field string) error {
	open, err := tx.Client.Ticket.Query().
		Where(ticket.QueueID(q.ID), ticket.PatientID(patientID), ticket.StatusIn(ticket.StatusWAITING, ticket.StatusCALLED, ticket.StatusIN_SERVICE)).
		First(auth.SystemContext(ctx))
	switch {
	case ent.IsNotFound(err):
		return nil
	case err != nil:
		return fmt.Errorf("reading open tickets: %w", err)
	}
	return cqerr.Ef(cqerr.Conflict, "the patient is already %s in %s as %s", openState[open.Status], q.Name, open.Code).WithField(field)
}

// appointmentState says what became of an appointment that can no longer be checked in, in the words
// staff use.
var appointmentState = map[appointment.Status]string{
	appointment.StatusCHECKED_IN: "has already been checked in",
	appointment.StatusCANCELLED:  "was cancelled",
	appointment.StatusNO_SHOW:    "was missed (marked as not attended)",
}

// openState says where a patient with an open ticket is, in the words staff use.
var openState = map[ticket.Status]string{
	ticket.StatusWAITING:    "waiting",
	ticket.StatusCALLED:     "called",
	ticket.StatusIN_SERVICE: "being seen",
}

// notFromApp is the answer to a patient checking in from the app where only reception may check them in.
var notFromApp = cqerr.E(cqerr.Forbidden, "this queue does not take check-in from the app; please go to reception").
	WithField("input.queueID")

// mayCheckInFromApp says whether a patient may check themselves in to q: any time when the queue takes
// self check-in, otherwise only with their own appointment in q that is still SCHEDULED for the
// facility's today (q.Edges.Department carries the facility). The appointment is read as the viewer,
// so another patient's is as absent as a made-up one. Errors: FORBIDDEN (notFromApp, or another day's
// appointment).
func mayCheckInFromApp(ctx context.Context, tx *store.Tx, q *ent.Queue, appointmentID *pulid.ID, now time.Time) error {
	if q.SelfCheckIn {
		return nil
	}
	if appointmentID == nil {
		return notFromApp
	}
	a, err := tx.Client.Appointment.Query().Where(appointment.ID(*appointmentID)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		return notFromApp
	case err != nil:
		return fmt.Errorf("reading appointment: %w", err)
	case a.QueueID != q.ID || a.Status != appointment.StatusSCHEDULED:
		return notFromApp
	}
	loc, err := LoadLocation(q.Edges.Department.Edges.Facility.Timezone)
	if err != nil {
		return fmt.Errorf("facility %s has a bad time zone: %w", q.Edges.Department.FacilityID, err)
	}
	if ServiceDay(a.ScheduledAt, loc) != ServiceDay(now, loc) {
		return cqerr.E(cqerr.Forbidden, "you can check in from the app only on the day of your appointment; please go to reception").
			WithField("input.queueID")
	}
	return nil
}

// patientFor returns the existing patient (read as the viewer) or registers the inline one, normalised
// by the Patient schema's hook as createPatient's are.
func (s *Service) patientFor(ctx context.Context, tx *store.Tx, in CheckInInput, facilityID pulid.ID) (*ent.Patient, error) {
	if in.PatientID != nil {
		p, err := tx.Client.Patient.Query().Where(patient.ID(*in.PatientID)).Only(ctx)
		if err != nil {
			return nil, notFound(err, "patient")
		}
		if p.FacilityID != facilityID {
			return nil, cqerr.E(cqerr.BadUserInput, "the patient is registered at another facility").WithField("input.patientID")
		}
		return p, nil
	}
	if in.Patient.FacilityID != facilityID {
		return nil, cqerr.E(cqerr.BadUserInput, "patient.facilityID must be the queue's facility").WithField("input.patient.facilityID")
	}
	p, err := tx.Client.Patient.Create().SetInput(*in.Patient).Save(ctx)
	if err != nil {
		return nil, cqerr.Under(err, "input.patient")
	}
	return p, nil
}

func checkInAppointment(ctx context.Context, tx *store.Tx, id, patientID, queueID pulid.ID) (*ent.Appointment, error) {
	a, err := tx.Client.Appointment.Query().Where(appointment.ID(id)).Only(ctx)
	if err != nil {
		return nil, notFound(err, "appointment")
	}
	switch {
	case a.PatientID != patientID:
		return nil, cqerr.E(cqerr.BadUserInput, "the appointment belongs to another patient").WithField("input.appointmentID")
	case a.QueueID != queueID:
		return nil, cqerr.E(cqerr.BadUserInput, "the appointment is for another queue").WithField("input.appointmentID")
	case a.Status != appointment.StatusSCHEDULED:
		return nil, cqerr.E(cqerr.Conflict, "the appointment "+appointmentState[a.Status]).WithField("input.appointmentID")
	}
	// Marking the appointment is part of the check-in the viewer is allowed to do, whoever may edit
	// appointments in general.
	if err := tx.Client.Appointment.UpdateOneID(a.ID).SetStatus(appointment.StatusCHECKED_IN).Exec(auth.SystemContext(ctx)); err != nil {
		return nil, fmt.Errorf("marking appointment: %w", err)
	}
	return a, nil
}

// nextSeq returns the facility-local service day of now and the next ticket number of the queue on
// that day. The caller holds the queue lock, so max+1 is safe and numbers are never reused.
func nextSeq(ctx context.Context, tx *store.Tx, q *ent.Queue, now time.Time) (string, int, error) {
	dep := q.Edges.Department
	if dep == nil || dep.Edges.Facility == nil {
		var err error
		dep, err = tx.Client.Department.Query().Where(department.ID(q.DepartmentID)).WithFacility().Only(auth.SystemContext(ctx))
		if err != nil {
			return "", 0, fmt.Errorf("reading department: %w", err)
		}
		q.Edges.Department = dep
	}
	loc, err := LoadLocation(dep.Edges.Facility.Timezone)
	if err != nil {
		return "", 0, fmt.Errorf("facility %s has a bad time zone: %w", dep.FacilityID, err)
	}
	day := ServiceDay(now, loc)
	// The count is the queue's, not the viewer's: read past the privacy rules.
	last, err := tx.Client.Ticket.Query().
		Where(ticket.QueueID(q.ID), ticket.ServiceDay(day)).
		Order(ent.Desc(ticket.FieldSeq)).
		Select(ticket.FieldSeq).
		First(auth.SystemContext(ctx))
	switch {
	case ent.IsNotFound(err):
		return day, 1, nil
	case err != nil:
		return "", 0, fmt.Errorf("reading daily sequence: %w", err)
	}
	return day, last.Seq + 1, nil
}
