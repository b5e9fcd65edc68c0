package fhir

import (
	"context"
	"fmt"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/appointment"
	"github.com/carequeue/carequeue/ent/patient"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/ent/ticketevent"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/realtime"
)

// Service reads the FHIR view as the viewer in the context: every read goes through the ent privacy
// rules, so another facility's resource is NOT_FOUND (a single read) or absent (a list).
type Service struct {
	client    *ent.Client
	live      *realtime.Live
	mrnSystem string
}

// NewService returns a Service. mrnSystem is the MRN identifier system, "{facility}" standing for the
// patient's facility id (MRNSystem).
func NewService(client *ent.Client, live *realtime.Live, mrnSystem string) *Service {
	return &Service{client: client, live: live, mrnSystem: mrnSystem}
}

// Query is the fhir namespace's object: it carries nothing, its fields read.
type Query struct{}

// Root opens the fhir namespace. Errors: UNAUTHENTICATED, FORBIDDEN for anyone but staff and
// integrations.
func (s *Service) Root(ctx context.Context) (*Query, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	return &Query{}, nil
}

// staffOnly refuses anyone but staff and integrations: UNAUTHENTICATED when nobody is signed in,
// FORBIDDEN for patients and kiosks.
func staffOnly(ctx context.Context) error {
	v, ok := auth.FromContext(ctx)
	if !ok {
		return cqerr.E(cqerr.Unauthenticated, "sign in required")
	}
	if !v.IsStaff() {
		return cqerr.E(cqerr.Forbidden, "the FHIR view is for staff and integrations")
	}
	return nil
}

func notFound(err error, what string) error {
	if ent.IsNotFound(err) {
		return cqerr.Ef(cqerr.NotFound, "%s not found", what)
	}
	return err
}

// Patient reads one patient. Errors: UNAUTHENTICATED, FORBIDDEN (not staff), BAD_USER_INPUT (id: not
// a patient's id), NOT_FOUND.
func (s *Service) Patient(ctx context.Context, id pulid.ID) (*Patient, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	if err := resourceID("id", patientPrefix, id); err != nil {
		return nil, err
	}
	p, err := s.client.Patient.Query().Where(patient.ID(id)).Only(ctx)
	if err != nil {
		return nil, notFound(err, "Patient")
	}
	return PatientOf(p, s.mrnSystem), nil
}

// PatientList searches patients, by identifier (an MRN token: "system|value", or the value alone for
// any facility the viewer sees). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT (identifier,
// _count, _cursor).
func (s *Service) PatientList(ctx context.Context, identifier *string, page Page) ([]*Patient, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	n, err := page.check(patientPrefix)
	if err != nil {
		return nil, err
	}
	q := s.client.Patient.Query()
	if identifier != nil {
		system, anySystem, value, err := token("identifier", *identifier)
		if err != nil {
			return nil, err
		}
		q.Where(patient.Mrn(value))
		if !anySystem {
			facility, all, ok := facilityOfSystem(s.mrnSystem, system)
			switch {
			case !ok:
				return []*Patient{}, nil // not a system of ours: nobody
			case !all:
				q.Where(patient.FacilityID(pulid.ID(facility)))
			}
		}
	}
	if page.Cursor != nil {
		q.Where(patient.IDGT(*page.Cursor))
	}
	ps, err := q.Order(ent.Asc(patient.FieldID)).Limit(n).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading patients: %w", err)
	}
	out := make([]*Patient, len(ps))
	for i, p := range ps {
		out[i] = PatientOf(p, s.mrnSystem)
	}
	return out, nil
}

func (s *Service) appointments() *ent.AppointmentQuery {
	return s.client.Appointment.Query().WithQueue().WithTickets(func(q *ent.TicketQuery) {
		q.Select(ticket.FieldID, ticket.FieldStatus, ticket.FieldAppointmentID)
	})
}

// Appointment reads one appointment. Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT (id),
// NOT_FOUND.
func (s *Service) Appointment(ctx context.Context, id pulid.ID) (*Appointment, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	if err := resourceID("id", appointmentPrefix, id); err != nil {
		return nil, err
	}
	a, err := s.appointments().Where(appointment.ID(id)).Only(ctx)
	if err != nil {
		return nil, notFound(err, "Appointment")
	}
	return AppointmentOf(a), nil
}

// search is the checked arguments of AppointmentList and EncounterList.
type search struct {
	limit   int
	patient *pulid.ID
	day     *time.Time
	status  *string
}

// readSearch checks the shared search arguments: staff only, the page (of resources whose ids have
// prefix), a Patient reference, a day and a status among codes.
func readSearch(ctx context.Context, patientRef, date, status *string, codes []string, prefix string, page Page) (search, error) {
	var out search
	if err := staffOnly(ctx); err != nil {
		return out, err
	}
	var err error
	if out.limit, err = page.check(prefix); err != nil {
		return out, err
	}
	if patientRef != nil {
		id, err := referenceID("Patient", patientPrefix, "patient", *patientRef)
		if err != nil {
			return out, err
		}
		out.patient = &id
	}
	if date != nil {
		d, err := day("date", *date)
		if err != nil {
			return out, err
		}
		out.day = &d
	}
	if status != nil {
		if err := known("status", *status, codes); err != nil {
			return out, err
		}
		out.status = status
	}
	return out, nil
}

// AppointmentList searches appointments by patient (a Patient reference), date (the day of the start,
// in the viewer's facility's time zone; UTC for a global admin) and status (an R4 AppointmentStatus).
// Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT (patient, date, status, _count, _cursor).
func (s *Service) AppointmentList(ctx context.Context, patientRef, date, status *string, page Page) ([]*Appointment, error) {
	in, err := readSearch(ctx, patientRef, date, status, appointmentCodes, appointmentPrefix, page)
	if err != nil {
		return nil, err
	}
	q := s.appointments()
	if in.patient != nil {
		q.Where(appointment.PatientID(*in.patient))
	}
	if in.day != nil {
		loc, err := s.zone(ctx)
		if err != nil {
			return nil, err
		}
		from := time.Date(in.day.Year(), in.day.Month(), in.day.Day(), 0, 0, 0, 0, loc)
		q.Where(appointment.ScheduledAtGTE(from), appointment.ScheduledAtLT(from.AddDate(0, 0, 1)))
	}
	if in.status != nil {
		q.Where(appointmentStatusWhere(*in.status))
	}
	if page.Cursor != nil {
		q.Where(appointment.IDGT(*page.Cursor))
	}
	as, err := q.Order(ent.Asc(appointment.FieldID)).Limit(in.limit).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading appointments: %w", err)
	}
	out := make([]*Appointment, len(as))
	for i, a := range as {
		out[i] = AppointmentOf(a)
	}
	return out, nil
}

// zone is the viewer's facility's time zone (UTC without one).
func (s *Service) zone(ctx context.Context) (*time.Location, error) {
	v, _ := auth.FromContext(ctx)
	if v.FacilityID == "" {
		return time.UTC, nil
	}
	f, err := s.client.Facility.Get(ctx, v.FacilityID)
	if err != nil {
		return nil, fmt.Errorf("reading the facility: %w", err)
	}
	loc, err := queue.LoadLocation(f.Timezone)
	if err != nil {
		return time.UTC, nil //nolint:nilerr // a zone the admin screens accepted but this host lacks: UTC
	}
	return loc, nil
}

func (s *Service) encounters() *ent.TicketQuery {
	return s.client.Ticket.Query().WithQueue().WithServicePoint().WithEvents(func(q *ent.TicketEventQuery) {
		q.Order(ent.Asc(ticketevent.FieldAt), ent.Asc(ticketevent.FieldID))
	})
}

// Encounter reads one encounter (a ticket). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT (id),
// NOT_FOUND.
func (s *Service) Encounter(ctx context.Context, id pulid.ID) (*Encounter, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	if err := resourceID("id", encounterPrefix, id); err != nil {
		return nil, err
	}
	t, err := s.encounters().Where(ticket.ID(id)).Only(ctx)
	if err != nil {
		return nil, notFound(err, "Encounter")
	}
	return EncounterOf(t), nil
}

// EncounterList searches encounters by patient (a Patient reference), date (the facility's service
// day the ticket was checked in on) and status (an R4 EncounterStatus). Errors: UNAUTHENTICATED,
// FORBIDDEN, BAD_USER_INPUT (patient, date, status, _count, _cursor).
func (s *Service) EncounterList(ctx context.Context, patientRef, date, status *string, page Page) ([]*Encounter, error) {
	in, err := readSearch(ctx, patientRef, date, status, encounterCodes, encounterPrefix, page)
	if err != nil {
		return nil, err
	}
	q := s.encounters()
	if in.patient != nil {
		q.Where(ticket.PatientID(*in.patient))
	}
	if in.day != nil {
		q.Where(ticket.ServiceDay(in.day.Format(time.DateOnly)))
	}
	if in.status != nil {
		q.Where(encounterStatusWhere(*in.status))
	}
	if page.Cursor != nil {
		q.Where(ticket.IDGT(*page.Cursor))
	}
	ts, err := q.Order(ent.Asc(ticket.FieldID)).Limit(in.limit).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading encounters: %w", err)
	}
	out := make([]*Encounter, len(ts))
	for i, t := range ts {
		out[i] = EncounterOf(t)
	}
	return out, nil
}
