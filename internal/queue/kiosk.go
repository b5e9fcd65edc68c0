package queue

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/appointment"
	"github.com/carequeue/carequeue/ent/patient"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/input"
	"github.com/carequeue/carequeue/internal/phone"
)

// KioskInput is a self check-in at a kiosk: an appointment reference, or phone and date of birth (and
// the queue chosen on the kiosk when the patient has no appointment today).
type KioskInput struct {
	AppointmentReference *string
	Phone                *string
	DateOfBirth          *string
	QueueID              *pulid.ID
	IdempotencyKey       *string
}

// KioskTicket is what a kiosk shows after a check-in: the patient's own ticket, no names.
type KioskTicket struct {
	Code, QueueName, StatusToken   string
	Position, EstimatedWaitMinutes *int
	EstimatedWait                  *WaitRange
	Language                       string
}

// notFoundAtKiosk is one answer for "nobody", "several people" and "no appointment today": a kiosk
// must not tell a stranger which of them it was.
var notFoundAtKiosk = cqerr.E(cqerr.NotFound, "we could not find your check-in details: please see reception")

// KioskCheckIn checks the patient a kiosk identified in. Kiosks cannot read patients or appointments,
// so the look-up reads past the privacy rules, inside the kiosk's own facility only, and returns nothing
// but the new ticket. Errors: UNAUTHENTICATED (nobody signed in), FORBIDDEN (not a kiosk account),
// BAD_USER_INPUT, NOT_FOUND (see notFoundAtKiosk; or a queue outside the facility), RATE_LIMITED (too
// many look-ups from this kiosk), CONFLICT (already in the queue, queue closed).
func (s *Service) KioskCheckIn(ctx context.Context, in KioskInput) (*KioskTicket, error) {
	v, ok := auth.FromContext(ctx)
	if !ok {
		return nil, cqerr.E(cqerr.Unauthenticated, "sign in required")
	}
	if v.Role != auth.RoleKiosk || v.FacilityID == "" {
		return nil, cqerr.E(cqerr.Forbidden, "only a kiosk account checks patients in here; staff use checkIn")
	}
	sys := auth.SystemContext(ctx)
	f, err := s.client.Facility.Get(sys, v.FacilityID)
	if err != nil {
		return nil, notFound(err, "facility")
	}
	loc, err := LoadLocation(f.Timezone)
	if err != nil {
		return nil, err
	}
	byRef, ph, dob, err := in.validate(f.PhoneRegion, s.now().In(loc))
	if err != nil {
		return nil, err
	}
	// The kiosk's call is keyed on its facility and what the patient typed: the queue is known only after
	// the look-up, and a retry after a lost response must not repeat it (the appointment is no longer
	// SCHEDULED, so it would fail). The replay under the queue lock (checkIn) covers a concurrent retry.
	key := KeyOf(in.IdempotencyKey)
	if err := key.validate(); err != nil {
		return nil, cqerr.Under(err, "input")
	}
	args := in
	args.IdempotencyKey = nil
	r := newRequest(key, ActionCheckIn, v.FacilityID, args)
	if prev, err := s.replay(sys, s.client, r); err != nil || prev != nil {
		if err != nil {
			return nil, err
		}
		return s.kioskTicket(sys, prev)
	}
	if s.kioskLimit != nil {
		allowed, retry, err := s.kioskLimit.Allow(ctx, "kiosk:"+string(v.UserID))
		if err != nil {
			return nil, fmt.Errorf("kiosk rate limit: %w", err)
		}
		if !allowed {
			return nil, auth.TooManyAttempts(retry)
		}
	}
	dayStart, err := time.ParseInLocation(time.DateOnly, ServiceDay(s.now(), loc), loc)
	if err != nil {
		return nil, err
	}
	today := appointment.And(appointment.StatusEQ(appointment.StatusSCHEDULED),
		appointment.ScheduledAtGTE(dayStart), appointment.ScheduledAtLT(dayStart.AddDate(0, 0, 1)))
	ofFacility := patient.FacilityID(v.FacilityID)

	var p *ent.Patient
	var appt *ent.Appointment
	if byRef != "" {
		appt, err = s.client.Appointment.Query().
			Where(appointment.ExternalRef(byRef), today, appointment.HasPatientWith(ofFacility)).
			Order(ent.Asc(appointment.FieldScheduledAt)).WithPatient().First(sys)
		if ent.IsNotFound(err) {
			return nil, notFoundAtKiosk
		}
		if err != nil {
			return nil, fmt.Errorf("finding appointment: %w", err)
		}
		p = appt.Edges.Patient
	} else {
		candidates, err := s.client.Patient.Query().Where(ofFacility, patient.Phone(ph), patient.DateOfBirthNotNil()).All(sys)
		if err != nil {
			return nil, fmt.Errorf("finding patient: %w", err)
		}
		for _, c := range candidates {
			if c.DateOfBirth.UTC().Format(time.DateOnly) != dob {
				continue
			}
			if p != nil {
				return nil, notFoundAtKiosk // two records match: reception sorts it out
			}
			p = c
		}
		if p == nil {
			return nil, notFoundAtKiosk
		}
		appt, err = s.client.Appointment.Query().Where(appointment.PatientID(p.ID), today).
			Order(ent.Asc(appointment.FieldScheduledAt)).First(sys)
		if err != nil && !ent.IsNotFound(err) {
			return nil, fmt.Errorf("finding appointment: %w", err)
		}
	}

	ci := CheckInInput{PatientID: &p.ID, Source: ptr(ticket.SourceKIOSK)}
	switch {
	case appt != nil:
		ci.QueueID, ci.AppointmentID = appt.QueueID, &appt.ID
	case in.QueueID != nil:
		// Read as the kiosk: a queue of another facility is not found.
		if _, err := s.client.Queue.Query().Where(entqueue.ID(*in.QueueID)).OnlyID(ctx); err != nil {
			return nil, notFound(err, "queue")
		}
		ci.QueueID = *in.QueueID
	default:
		return nil, cqerr.E(cqerr.BadUserInput, "choose the queue to join").WithField("input.queueID")
	}
	// The kiosk may not read the patient it found, so the check-in runs past the privacy rules; its
	// audit entry still names the kiosk account.
	t, err := s.checkIn(sys, r, ci)
	if err != nil {
		return nil, err
	}
	return s.kioskTicket(sys, t)
}

// kioskTicket is what the kiosk shows of ticket t.
func (s *Service) kioskTicket(sys context.Context, t *ent.Ticket) (*KioskTicket, error) {
	q, err := s.client.Queue.Get(sys, t.QueueID)
	if err != nil {
		return nil, fmt.Errorf("reading queue: %w", err)
	}
	p, err := s.client.Patient.Get(sys, t.PatientID)
	if err != nil {
		return nil, fmt.Errorf("reading patient: %w", err)
	}
	pl, err := s.TicketPlace(sys, t)
	if err != nil {
		return nil, err
	}
	return &KioskTicket{Code: t.Code, QueueName: q.Name, StatusToken: t.StatusToken, Position: pl.Position,
		EstimatedWaitMinutes: pl.EstimatedWaitMinutes, EstimatedWait: pl.EstimatedWait, Language: p.Language}, nil
}

// validate returns the reference, or the E.164 phone (read in the facility's phone region) and the
// date of birth, with the rules every other path applies (internal/phone, internal/input).
func (in KioskInput) validate(region string, now time.Time) (ref, ph, dob string, err error) {
	if in.AppointmentReference != nil && strings.TrimSpace(*in.AppointmentReference) != "" {
		if in.Phone != nil || in.DateOfBirth != nil {
			return "", "", "", cqerr.E(cqerr.BadUserInput, "give the appointment reference, or phone and date of birth, not both").WithField("input")
		}
		ref, err = input.Reference("input.appointmentReference", "the appointment reference", *in.AppointmentReference)
		return ref, "", "", err
	}
	if in.Phone == nil || in.DateOfBirth == nil {
		return "", "", "", cqerr.E(cqerr.BadUserInput, "give the appointment reference, or phone and date of birth").WithField("input")
	}
	ph, err = phone.ForSMS(*in.Phone, region, "input.phone")
	if err != nil {
		return "", "", "", err
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(*in.DateOfBirth))
	if err != nil {
		return "", "", "", cqerr.E(cqerr.BadUserInput, "the date of birth must be a date such as 1980-04-30").WithField("input.dateOfBirth")
	}
	if err := input.DateOfBirth("input.dateOfBirth", d, now); err != nil {
		return "", "", "", err
	}
	return "", ph, d.Format(time.DateOnly), nil
}

func ptr[T any](v T) *T { return &v }
