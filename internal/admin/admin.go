// Package admin owns changes to the hospital's reference data: facilities, departments, queues,
// service points, accounts, patients and appointments. Each change validates its input, checks that
// the parent it hangs from is visible to the viewer (so nobody creates rows in another facility), and
// writes its audit entry in the same transaction. Who may change what is decided by the ent privacy
// rules; this package adds the checks that need a read first.
package admin

import (
	"context"
	"errors"
	"strings"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/locale"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// Service changes reference data.
type Service struct {
	db           *store.DB
	sessions     SessionEnder
	appointments AppointmentChanger
}

// SessionEnder ends every session of an account inside a transaction (session.Service).
type SessionEnder interface {
	EndUserSessions(ctx context.Context, tx *store.Tx, userID pulid.ID, reason string) error
}

// AppointmentChanger tells the live feeds about appointment writes (queue.Service.ChangeAppointments):
// called inside the transaction before the write, it locks the queues; the returned changed names the
// appointments written, published once the transaction commits.
type AppointmentChanger interface {
	ChangeAppointments(ctx context.Context, tx *store.Tx, queueIDs ...pulid.ID) (changed func(appointmentIDs ...pulid.ID), err error)
}

// New returns a Service on db. sessions ends the sessions of an account that is disabled or changes
// role or facility; nil leaves them running (tests without sign-in). appointments publishes appointment
// writes to the live feeds; nil publishes nothing (tests without subscriptions).
func New(db *store.DB, sessions SessionEnder, appointments AppointmentChanger) *Service {
	return &Service{db: db, sessions: sessions, appointments: appointments}
}

// write runs fn in a transaction and audits its result as action. The entity's own input rules (ent
// hooks) name its field ("name"); every write here takes it in "input", so that is where they point.
func write[T any](ctx context.Context, s *Service, action, entityType string,
	fn func(ctx context.Context, c *ent.Client) (T, any, error)) (T, error) {
	return writeTx(ctx, s, action, entityType, func(ctx context.Context, tx *store.Tx) (T, any, error) { return fn(ctx, tx.Client) })
}

// writeTx is write for a fn that needs the transaction itself (to publish after commit).
func writeTx[T any](ctx context.Context, s *Service, action, entityType string,
	fn func(ctx context.Context, tx *store.Tx) (T, any, error)) (T, error) {
	var out T
	err := s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		v, before, err := fn(ctx, tx)
		if err != nil {
			return err
		}
		out = v
		return audit.Record(ctx, tx.Client, audit.Entry{Action: action, EntityType: entityType, Before: before, After: v})
	})
	return out, cqerr.Under(err, "input")
}

func notFound(err error, what string) error {
	if ent.IsNotFound(err) {
		return cqerr.Ef(cqerr.NotFound, "%s not found", what)
	}
	return err
}

// CreateFacility creates a facility (global admins only); without a locale it gets the one its language
// and time zone suggest (locale.Derive). Errors: BAD_USER_INPUT, FORBIDDEN.
func (s *Service) CreateFacility(ctx context.Context, in ent.CreateFacilityInput) (*ent.Facility, error) {
	if err := validFacility(in.Timezone, in.Locale); err != nil {
		return nil, err
	}
	if in.Locale == nil {
		tag := locale.Derive(deref(in.Language, "en"), deref(in.Timezone, "UTC"))
		in.Locale = &tag
	}
	return write(ctx, s, "facility.create", "Facility", func(ctx context.Context, c *ent.Client) (*ent.Facility, any, error) {
		f, err := c.Facility.Create().SetInput(in).Save(ctx)
		return f, nil, err
	})
}

// UpdateFacility changes a facility. Errors: NOT_FOUND, BAD_USER_INPUT, FORBIDDEN.
func (s *Service) UpdateFacility(ctx context.Context, id pulid.ID, in ent.UpdateFacilityInput) (*ent.Facility, error) {
	if err := validFacility(in.Timezone, in.Locale); err != nil {
		return nil, err
	}
	return write(ctx, s, "facility.update", "Facility", func(ctx context.Context, c *ent.Client) (*ent.Facility, any, error) {
		before, err := c.Facility.Get(ctx, id)
		if err != nil {
			return nil, nil, notFound(err, "facility")
		}
		f, err := c.Facility.UpdateOne(before).SetInput(in).Save(ctx)
		return f, before, err
	})
}

// validFacility checks a facility's time zone and locale when given, naming the input field (the ent
// validator checks the locale again for every other writer, without the list of choices).
func validFacility(timezone, tag *string) error {
	if timezone != nil {
		if _, err := queue.LoadLocation(*timezone); err != nil {
			return withField(err, "input.timezone")
		}
	}
	if tag != nil {
		if err := locale.Validate(*tag); err != nil {
			return withField(err, "input.locale")
		}
	}
	return nil
}

func deref(s *string, def string) string {
	if s == nil {
		return def
	}
	return *s
}

// CreateQueue creates a queue. Errors: NOT_FOUND (department), BAD_USER_INPUT (prefix, targets), CONFLICT, FORBIDDEN.
func (s *Service) CreateQueue(ctx context.Context, in ent.CreateQueueInput) (*ent.Queue, error) {
	in.Prefix = strings.ToUpper(strings.TrimSpace(in.Prefix))
	if err := queue.ValidatePrefix(in.Prefix); err != nil {
		return nil, withField(err, "input.prefix")
	}
	return write(ctx, s, "queue.create", "Queue", func(ctx context.Context, c *ent.Client) (*ent.Queue, any, error) {
		if _, err := c.Department.Get(ctx, in.DepartmentID); err != nil {
			return nil, nil, notFound(err, "department")
		}
		q, err := c.Queue.Create().SetInput(in).Save(ctx)
		if err != nil {
			return nil, nil, err
		}
		return q, nil, validTargets(q)
	})
}

// UpdateQueue changes a queue. Errors: NOT_FOUND, BAD_USER_INPUT, CONFLICT, FORBIDDEN.
func (s *Service) UpdateQueue(ctx context.Context, id pulid.ID, in ent.UpdateQueueInput) (*ent.Queue, error) {
	if in.Prefix != nil {
		p := strings.ToUpper(strings.TrimSpace(*in.Prefix))
		if err := queue.ValidatePrefix(p); err != nil {
			return nil, withField(err, "input.prefix")
		}
		in.Prefix = &p
	}
	return write(ctx, s, "queue.update", "Queue", func(ctx context.Context, c *ent.Client) (*ent.Queue, any, error) {
		before, err := c.Queue.Get(ctx, id)
		if err != nil {
			return nil, nil, notFound(err, "queue")
		}
		q, err := c.Queue.UpdateOne(before).SetInput(in).Save(ctx)
		if err != nil {
			return nil, nil, err
		}
		return q, before, validTargets(q)
	})
}

// validTargets checks the targets as saved (an update may change only some of them); an error rolls
// the transaction back.
func validTargets(q *ent.Queue) error {
	t := queue.TargetsOf(q)
	if err := t.Validate(); err != nil {
		return withField(err, "input")
	}
	return nil
}

// CreateServicePoint creates a service point. Errors: NOT_FOUND (department, queue), BAD_USER_INPUT, FORBIDDEN.
func (s *Service) CreateServicePoint(ctx context.Context, in ent.CreateServicePointInput) (*ent.ServicePoint, error) {
	return write(ctx, s, "servicePoint.create", "ServicePoint", func(ctx context.Context, c *ent.Client) (*ent.ServicePoint, any, error) {
		if _, err := c.Department.Get(ctx, in.DepartmentID); err != nil {
			return nil, nil, notFound(err, "department")
		}
		if err := queuesInDepartment(ctx, c, in.DepartmentID, in.QueueIDs); err != nil {
			return nil, nil, err
		}
		sp, err := c.ServicePoint.Create().SetInput(in).Save(ctx)
		return sp, nil, err
	})
}

// UpdateServicePoint changes a service point. Errors: NOT_FOUND, BAD_USER_INPUT, FORBIDDEN.
func (s *Service) UpdateServicePoint(ctx context.Context, id pulid.ID, in ent.UpdateServicePointInput) (*ent.ServicePoint, error) {
	return write(ctx, s, "servicePoint.update", "ServicePoint", func(ctx context.Context, c *ent.Client) (*ent.ServicePoint, any, error) {
		before, err := c.ServicePoint.Get(ctx, id)
		if err != nil {
			return nil, nil, notFound(err, "service point")
		}
		if err := queuesInDepartment(ctx, c, before.DepartmentID, in.AddQueueIDs); err != nil {
			return nil, nil, err
		}
		sp, err := c.ServicePoint.UpdateOne(before).SetInput(in).Save(ctx)
		return sp, before, err
	})
}

// queuesInDepartment checks that every queue a service point is to serve is in its department.
func queuesInDepartment(ctx context.Context, c *ent.Client, dep pulid.ID, ids []pulid.ID) error {
	for _, id := range ids {
		q, err := c.Queue.Get(ctx, id)
		if err != nil {
			return notFound(err, "queue")
		}
		if q.DepartmentID != dep {
			return cqerr.Ef(cqerr.BadUserInput, "queue %s is in another department", q.Name).WithField("input.queueIDs")
		}
	}
	return nil
}

// UpdateUser changes an account (not its password: see session.SetPassword). Disabling it or changing
// its role or facility ends its sessions everywhere at once: what its tokens assert is no longer true.
// Errors: NOT_FOUND, BAD_USER_INPUT, CONFLICT (email taken), FORBIDDEN.
func (s *Service) UpdateUser(ctx context.Context, id pulid.ID, in ent.UpdateUserInput) (*ent.User, error) {
	if in.Email != nil {
		e := strings.ToLower(strings.TrimSpace(*in.Email))
		in.Email = &e
	}
	var u *ent.User
	err := s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		before, err := tx.Client.User.Get(ctx, id)
		if err != nil {
			return notFound(err, "user")
		}
		if u, err = tx.Client.User.UpdateOne(before).SetInput(in).Save(ctx); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx.Client, audit.Entry{Action: "user.update", EntityType: "User", Before: before, After: u}); err != nil {
			return err
		}
		if s.sessions != nil && endsSessions(before, u) {
			return s.sessions.EndUserSessions(ctx, tx, id, "user.update")
		}
		return nil
	})
	return u, err
}

// endsSessions reports whether an account change makes its access tokens assert something false.
func endsSessions(before, after *ent.User) bool {
	return before.Active && !after.Active || before.Role != after.Role || before.FacilityID != after.FacilityID
}

// CreatePatient registers a patient, normalised by the Patient schema's hook (trimmed names, E.164
// phone). Errors: NOT_FOUND (facility), BAD_USER_INPUT (phone, names), CONFLICT (MRN taken), FORBIDDEN.
func (s *Service) CreatePatient(ctx context.Context, in ent.CreatePatientInput) (*ent.Patient, error) {
	return write(ctx, s, "patient.create", "Patient", func(ctx context.Context, c *ent.Client) (*ent.Patient, any, error) {
		if _, err := c.Facility.Get(ctx, in.FacilityID); err != nil {
			return nil, nil, notFound(err, "facility")
		}
		p, err := c.Patient.Create().SetInput(in).Save(ctx)
		return p, nil, err
	})
}

// UpdatePatient changes a patient's details, normalised as in CreatePatient. Errors: NOT_FOUND,
// BAD_USER_INPUT, CONFLICT, FORBIDDEN.
func (s *Service) UpdatePatient(ctx context.Context, id pulid.ID, in ent.UpdatePatientInput) (*ent.Patient, error) {
	return write(ctx, s, "patient.update", "Patient", func(ctx context.Context, c *ent.Client) (*ent.Patient, any, error) {
		before, err := c.Patient.Get(ctx, id)
		if err != nil {
			return nil, nil, notFound(err, "patient")
		}
		p, err := c.Patient.UpdateOne(before).SetInput(in).Save(ctx)
		return p, before, err
	})
}

// CreateAppointment books an appointment. Errors: NOT_FOUND (patient, queue), BAD_USER_INPUT, FORBIDDEN.
func (s *Service) CreateAppointment(ctx context.Context, in ent.CreateAppointmentInput) (*ent.Appointment, error) {
	return writeTx(ctx, s, "appointment.create", "Appointment", func(ctx context.Context, tx *store.Tx) (*ent.Appointment, any, error) {
		c := tx.Client
		if err := appointmentRefs(ctx, c, in.PatientID, in.QueueID); err != nil {
			return nil, nil, err
		}
		changed, err := s.changeAppointments(ctx, tx, in.QueueID)
		if err != nil {
			return nil, nil, err
		}
		a, err := c.Appointment.Create().SetInput(in).Save(ctx)
		if err != nil {
			return nil, nil, err
		}
		changed(a.ID)
		return a, nil, nil
	})
}

// UpdateAppointment changes an appointment. Errors: NOT_FOUND, BAD_USER_INPUT, FORBIDDEN.
func (s *Service) UpdateAppointment(ctx context.Context, id pulid.ID, in ent.UpdateAppointmentInput) (*ent.Appointment, error) {
	return writeTx(ctx, s, "appointment.update", "Appointment", func(ctx context.Context, tx *store.Tx) (*ent.Appointment, any, error) {
		c := tx.Client
		before, err := c.Appointment.Get(ctx, id)
		if err != nil {
			return nil, nil, notFound(err, "appointment")
		}
		pid, qid := before.PatientID, before.QueueID
		if in.PatientID != nil {
			pid = *in.PatientID
		}
		if in.QueueID != nil {
			qid = *in.QueueID
		}
		if err := appointmentRefs(ctx, c, pid, qid); err != nil {
			return nil, nil, err
		}
		changed, err := s.changeAppointments(ctx, tx, before.QueueID, qid)
		if err != nil {
			return nil, nil, err
		}
		a, err := c.Appointment.UpdateOne(before).SetInput(in).Save(ctx)
		if err != nil {
			return nil, nil, err
		}
		changed(a.ID)
		return a, before, nil
	})
}

// changeAppointments locks the queues of an appointment write for the live feeds (AppointmentChanger).
func (s *Service) changeAppointments(ctx context.Context, tx *store.Tx, queueIDs ...pulid.ID) (func(...pulid.ID), error) {
	if s.appointments == nil {
		return func(...pulid.ID) {}, nil
	}
	return s.appointments.ChangeAppointments(ctx, tx, queueIDs...)
}

// appointmentRefs checks the patient and queue are visible and in the same facility.
func appointmentRefs(ctx context.Context, c *ent.Client, patientID, queueID pulid.ID) error {
	p, err := c.Patient.Get(ctx, patientID)
	if err != nil {
		return notFound(err, "patient")
	}
	q, err := c.Queue.Get(ctx, queueID)
	if err != nil {
		return notFound(err, "queue")
	}
	d, err := q.QueryDepartment().Only(ctx)
	if err != nil {
		return notFound(err, "queue")
	}
	if d.FacilityID != p.FacilityID {
		return cqerr.E(cqerr.BadUserInput, "the queue is at another facility than the patient").WithField("input.queueID")
	}
	return nil
}

func withField(err error, field string) error {
	if e, ok := errors.AsType[*cqerr.Error](err); ok && e.Field == "" {
		return e.WithField(field)
	}
	return err
}
