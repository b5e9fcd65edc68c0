package queue

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/appointment"
	"github.com/carequeue/carequeue/ent/department"
	"github.com/carequeue/carequeue/ent/predicate"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/ent/ticketevent"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// State is everything the watchers of one queue need at one version. A server replica reads it once
// per change, whatever the number of its watchers, and derives each watcher's payload from it in memory:
// the snapshot for dashboards, one ticket's update for a patient, a public status for the SMS page.
// Edges a payload may select (patient, service point, queue) are loaded, so resolving a payload costs
// no query per watcher.
//
// It is read past the privacy rules; whoever hands a part of it to a watcher must have checked, when
// the watcher subscribed, that the watcher may see that part.
type State struct {
	Snapshot *Snapshot
	// tickets holds the open tickets and the touched ones, by id.
	tickets map[pulid.ID]*ent.Ticket
	// appointmentIDs are the appointments the changes read named (Event.AppointmentIDs).
	appointmentIDs []pulid.ID

	apptOnce     sync.Once
	appointments []*ent.Appointment
	apptErr      error

	client     *ent.Client
	now        time.Time // when it was read: the facility's today for Appointments
	wholeAt    time.Time // when the read it was built from (readTickets) last read every row whole
	eventsOnce sync.Once
	events     map[pulid.ID][]*ent.TicketEvent
	eventsErr  error
}

// Tickets returns the tickets the state holds: the queue's open tickets and those the change closed.
func (st *State) Tickets() []*ent.Ticket {
	out := make([]*ent.Ticket, 0, len(st.tickets))
	for _, t := range st.tickets {
		out = append(out, t)
	}
	return out
}

// Events returns the events of the state's tickets by ticket, in time order. They are read once per
// state, in one statement, by the first watcher that asks (the others share them), past the privacy
// rules like the state itself.
func (st *State) Events(ctx context.Context) (map[pulid.ID][]*ent.TicketEvent, error) {
	st.eventsOnce.Do(func() {
		ids := make([]pulid.ID, 0, len(st.tickets))
		for id := range st.tickets {
			ids = append(ids, id)
		}
		evs, err := st.client.TicketEvent.Query().Where(ticketevent.TicketIDIn(ids...)).
			Order(ent.Asc(ticketevent.FieldAt), ent.Asc(ticketevent.FieldID)).All(auth.SystemContext(ctx))
		if err != nil {
			st.eventsErr = fmt.Errorf("reading ticket events: %w", err)
			return
		}
		st.events = make(map[pulid.ID][]*ent.TicketEvent, len(ids))
		for _, e := range evs {
			st.events[e.TicketID] = append(st.events[e.TicketID], e)
		}
	})
	return st.events, st.eventsErr
}

// AppointmentIDs are the appointments the state is the first to show changed, as far as it knows
// without reading: those the changes named and those of its tickets.
func (st *State) AppointmentIDs() []pulid.ID {
	ids := slices.Clone(st.appointmentIDs)
	for _, t := range st.tickets {
		if t.AppointmentID != "" {
			ids = append(ids, t.AppointmentID)
		}
	}
	return ids
}

// Appointments returns the queue's current appointments and those the changes touched, each with its
// queue and its tickets (id, status) loaded: the appointments booked (SCHEDULED) for the facility's
// today, and AppointmentIDs (the appointments of the state's tickets: of its open ones, so every
// arrived appointment, and of those the changes closed; and those the changes named). They are read
// once per state, in two statements, by the first watcher that asks, past the privacy rules like the
// state itself.
func (st *State) Appointments(ctx context.Context) ([]*ent.Appointment, error) {
	st.apptOnce.Do(func() {
		sys := auth.SystemContext(ctx)
		q := st.Snapshot.Queue
		f, err := st.client.Department.Query().Where(department.ID(q.DepartmentID)).QueryFacility().Only(sys)
		if err != nil {
			st.apptErr = fmt.Errorf("reading the queue's facility: %w", err)
			return
		}
		loc, err := LoadLocation(f.Timezone)
		if err != nil {
			loc = time.UTC
		}
		now := st.now.In(loc)
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
		// In UTC: SQLite compares times as text, which mixed offsets put out of order.
		booked := appointment.And(appointment.StatusEQ(appointment.StatusSCHEDULED),
			appointment.ScheduledAtGTE(today.UTC()), appointment.ScheduledAtLT(today.AddDate(0, 0, 1).UTC()))
		st.appointments, st.apptErr = readAppointments(ctx, st.client, q, appointment.Or(booked, appointment.IDIn(st.AppointmentIDs()...)))
	})
	return st.appointments, st.apptErr
}

// Appointments reads appointments of queue by id, with the queue and their tickets (id, status)
// loaded, past the privacy rules: for a watcher that names appointments a state no longer shows.
func (s *Service) Appointments(ctx context.Context, queueID pulid.ID, ids []pulid.ID) ([]*ent.Appointment, error) {
	q, err := s.client.Queue.Get(auth.SystemContext(ctx), queueID)
	if err != nil {
		return nil, notFound(err, "queue")
	}
	return readAppointments(ctx, s.client, q, appointment.IDIn(ids...))
}

func readAppointments(ctx context.Context, client *ent.Client, q *ent.Queue, which predicate.Appointment) ([]*ent.Appointment, error) {
	as, err := client.Appointment.Query().Where(appointment.QueueID(q.ID), which).
		WithTickets(func(tq *ent.TicketQuery) { tq.Select(ticket.FieldID, ticket.FieldStatus, ticket.FieldAppointmentID) }).
		All(auth.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("reading appointments: %w", err)
	}
	for _, a := range as {
		a.Edges.Queue = q
	}
	return as, nil
}

// Version is the queue version the state reflects.
func (st *State) Version() int { return st.Snapshot.Version }

// TicketUpdate returns the update for ticket id, or false when the state does not hold it (the ticket
// is closed and was not touched by this change: its watcher already has its last state).
func (st *State) TicketUpdate(id pulid.ID) (*TicketUpdate, bool) {
	t, ok := st.tickets[id]
	if !ok {
		return nil, false
	}
	return st.Snapshot.line().update(t), true
}

// PublicStatus returns the public status of ticket id, or false as for TicketUpdate.
func (st *State) PublicStatus(id pulid.ID) (*PublicStatus, bool) {
	t, ok := st.tickets[id]
	if !ok {
		return nil, false
	}
	return publicStatus(t, st.Snapshot.Place(id)), true
}

// readWholeEvery bounds how long ReadState builds on previous states before it reads every row again.
const readWholeEvery = 30 * time.Second

// ReadState reads the queue's state: its open tickets and, besides them, the touched tickets (those a
// change closed, so that their watchers see the final status). appointments are the appointments the
// changes named (Event.AppointmentIDs), read only if a watcher asks (State.Appointments). It runs a
// constant number of statements. prev, when given, is the newest state read of the queue: what has
// not changed since (readTickets) is taken from it, unless its rows were last read whole
// readWholeEvery ago or more. Errors: NOT_FOUND when the queue does not exist.
func (s *Service) ReadState(ctx context.Context, queueID pulid.ID, touched, appointments []pulid.ID, prev *State) (*State, error) {
	q, err := s.client.Queue.Get(auth.SystemContext(ctx), queueID)
	if err != nil {
		return nil, notFound(err, "queue")
	}
	now := s.now()
	// Every readWholeEvery the rows are read whole again: a write that did not go through ent (an UPDATE
	// run by hand, a data migration on a live system) leaves updated_at as it was, and shows then.
	if prev != nil && (prev.Snapshot.Queue.ID != q.ID || now.Sub(prev.wholeAt) >= readWholeEvery) {
		prev = nil
	}
	st, err := s.readState(ctx, q, touched, prev)
	if err != nil {
		return nil, err
	}
	st.appointmentIDs = appointments
	st.now, st.wholeAt = now, now
	if prev != nil {
		st.wholeAt = prev.wholeAt
	}
	return st, nil
}

// readState reads the state of q, already loaded, from prev where nothing changed (nil: all of it).
func (s *Service) readState(ctx context.Context, q *ent.Queue, touched []pulid.ID, prev *State) (*State, error) {
	pred := ticket.StatusIn(ticket.StatusWAITING, ticket.StatusCALLED, ticket.StatusIN_SERVICE)
	if len(touched) > 0 {
		pred = ticket.Or(pred, ticket.IDIn(touched...))
	}
	ts, err := s.readTickets(auth.SystemContext(ctx), q, pred, prev)
	if err != nil {
		return nil, err
	}
	snap := &Snapshot{Queue: q, Version: int(q.Version)}
	st := &State{Snapshot: snap, tickets: make(map[pulid.ID]*ent.Ticket, len(ts)), client: s.client}
	for _, t := range ts {
		t.Edges.Queue = q
		st.tickets[t.ID] = t
		switch t.Status {
		case ticket.StatusWAITING:
			snap.Waiting = append(snap.Waiting, t)
		case ticket.StatusCALLED, ticket.StatusIN_SERVICE:
			snap.Called = append(snap.Called, t)
		default: // closed tickets are not on the board
		}
	}
	if err := s.fillPositions(ctx, snap); err != nil {
		return nil, err
	}
	if snap.Warnings, err = s.readWarnings(ctx, q, s.now()); err != nil {
		return nil, err
	}
	return st, nil
}

// Versions returns the current version of each queue, in one statement (the replicas' backstop check).
func (s *Service) Versions(ctx context.Context, ids []pulid.ID) (map[pulid.ID]int, error) {
	qs, err := s.client.Queue.Query().Where(entqueue.IDIn(ids...)).Select(entqueue.FieldID, entqueue.FieldVersion).All(auth.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("reading queue versions: %w", err)
	}
	out := make(map[pulid.ID]int, len(qs))
	for _, q := range qs {
		out[q.ID] = int(q.Version)
	}
	return out, nil
}

// TicketExists reports whether a ticket exists at all, past the privacy rules: to tell a watcher
// "not yours" (FORBIDDEN) from "no such ticket" when the ticket's id is already known to them.
func (s *Service) TicketExists(ctx context.Context, id pulid.ID) bool {
	ok, err := s.client.Ticket.Query().Where(ticket.ID(id)).Exist(auth.SystemContext(ctx))
	return err == nil && ok
}

// BoardExists reports NOT_FOUND for a department that has no board (it does not exist). Boards are
// public: anyone may watch an existing one.
func (s *Service) BoardExists(ctx context.Context, departmentID pulid.ID) error {
	ok, err := s.client.Department.Query().Where(department.ID(departmentID)).Exist(auth.SystemContext(ctx))
	switch {
	case err != nil:
		return fmt.Errorf("reading department: %w", err)
	case !ok:
		return cqerr.E(cqerr.NotFound, "department not found")
	}
	return nil
}

// TicketQueue returns the queue of a ticket the viewer may see. Errors: NOT_FOUND.
func (s *Service) TicketQueue(ctx context.Context, id pulid.ID) (pulid.ID, error) {
	t, err := s.client.Ticket.Query().Where(ticket.ID(id)).Select(ticket.FieldQueueID).Only(ctx)
	if err != nil {
		return "", notFound(err, "ticket")
	}
	return t.QueueID, nil
}

// TicketByToken returns the ids of the ticket with the public status token, past the privacy rules
// (the token is the credential). ok is false when no ticket has it.
func (s *Service) TicketByToken(ctx context.Context, token string) (ticketID, queueID pulid.ID, ok bool, err error) {
	if len(token) == 0 || len(token) > 64 {
		return "", "", false, nil
	}
	t, err := s.client.Ticket.Query().Where(ticket.StatusToken(token)).Select(ticket.FieldID, ticket.FieldQueueID).Only(auth.SystemContext(ctx))
	if ent.IsNotFound(err) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("reading ticket by token: %w", err)
	}
	return t.ID, t.QueueID, true, nil
}
