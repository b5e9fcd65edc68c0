package queue

import (
	"context"
	"fmt"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/servicepoint"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// CallNext calls the first waiting ticket of the queue, in the queue's order, to the service point.
// It returns nil when nobody is waiting. Concurrent calls are strictly ordered by the queue lock: two
// clinicians calling at once get the first and the second ticket.
//
// Errors: NOT_FOUND (queue, service point), BAD_USER_INPUT (the service point does not serve the queue
// or is closed), FORBIDDEN (role).
func (s *Service) CallNext(ctx context.Context, queueID, servicePointID pulid.ID) (*ent.Ticket, error) {
	sp, err := s.client.ServicePoint.Query().
		Where(servicepoint.ID(servicePointID)).
		WithQueues().
		Only(ctx)
	if err != nil {
		return nil, notFound(err, "service point")
	}
	if !serves(sp, queueID) {
		return nil, cqerr.Ef(cqerr.BadUserInput, "%s does not serve this queue", sp.Name).WithField("servicePointID")
	}
	if !sp.Active {
		return nil, cqerr.Ef(cqerr.BadUserInput, "%s is not in use", sp.Name).WithField("servicePointID")
	}
	return s.workflow(ctx, ActionCall, queueID, func(ctx context.Context, tx *store.Tx, q *ent.Queue) (*change, error) {
		waiting, err := tx.Client.Ticket.Query().
			Where(ticket.QueueID(q.ID), ticket.StatusEQ(ticket.StatusWAITING)).
			Select(ticket.FieldID, ticket.FieldTriageLevel, ticket.FieldCheckedInAt, ticket.FieldTargetAt).
			All(auth.SystemContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("reading waiting tickets: %w", err)
		}
		first, ok := First(Policy(q.Ordering), entries(waiting))
		if !ok {
			return nil, errNoChange
		}
		t, err := tx.Client.Ticket.Get(ctx, pulid.ID(first.ID))
		if err != nil {
			return nil, fmt.Errorf("reading called ticket: %w", err)
		}
		before := *t
		now := s.now()
		u := tx.Client.Ticket.UpdateOne(t).
			SetStatus(ticket.StatusCALLED).
			SetCalledAt(now).
			SetServicePointID(sp.ID)
		if id := actorID(ctx); id != "" {
			u.SetCalledByID(pulid.ID(id))
		}
		t, err = u.Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("calling ticket: %w", err)
		}
		return &change{ticket: t, event: ActionCall, from: StatusWaiting, auditOf: "ticket.callNext", before: &before}, nil
	})
}

func serves(sp *ent.ServicePoint, queueID pulid.ID) bool {
	for _, q := range sp.Edges.Queues {
		if q.ID == queueID {
			return true
		}
	}
	return false
}

func entries(ts []*ent.Ticket) []Entry {
	out := make([]Entry, len(ts))
	for i, t := range ts {
		out[i] = Entry{ID: string(t.ID), Level: Level(t.TriageLevel), CheckedInAt: t.CheckedInAt, Deadline: t.TargetAt}
	}
	return out
}

// transition applies action to one ticket under its queue's lock. apply sets the fields the action
// changes besides the status.
func (s *Service) transition(ctx context.Context, ticketID pulid.ID, action Action, auditOf string,
	apply func(ctx context.Context, tx *store.Tx, u *ent.TicketUpdateOne, t *ent.Ticket, q *ent.Queue) error) (*ent.Ticket, error) {
	t, err := s.client.Ticket.Get(ctx, ticketID)
	if err != nil {
		return nil, notFound(err, "ticket")
	}
	return s.workflow(ctx, action, t.QueueID, func(ctx context.Context, tx *store.Tx, q *ent.Queue) (*change, error) {
		// Re-read under the lock: the ticket may have moved while this call waited for it.
		t, err := tx.Client.Ticket.Get(ctx, ticketID)
		if err != nil {
			return nil, notFound(err, "ticket")
		}
		from := Status(t.Status)
		to, err := Next(t.Code, from, action)
		if err != nil {
			return nil, err
		}
		before := *t
		u := tx.Client.Ticket.UpdateOne(t).SetStatus(ticket.Status(to))
		if IsFinal(to) {
			u.SetEndedAt(s.now())
		}
		if apply != nil {
			if err := apply(ctx, tx, u, t, q); err != nil {
				return nil, err
			}
		}
		t, err = u.Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("updating ticket: %w", err)
		}
		return &change{ticket: t, event: action, from: from, auditOf: auditOf, before: &before}, nil
	})
}

// RecallTicket calls a CALLED ticket again. Errors: NOT_FOUND, CONFLICT (not CALLED), FORBIDDEN.
func (s *Service) RecallTicket(ctx context.Context, id pulid.ID) (*ent.Ticket, error) {
	return s.transition(ctx, id, ActionRecall, "ticket.recall", func(_ context.Context, _ *store.Tx, u *ent.TicketUpdateOne, _ *ent.Ticket, _ *ent.Queue) error {
		u.SetCalledAt(s.now()).AddRecallCount(1)
		return nil
	})
}

// StartService marks the called patient as being seen. Errors: NOT_FOUND, CONFLICT, FORBIDDEN.
func (s *Service) StartService(ctx context.Context, id pulid.ID) (*ent.Ticket, error) {
	return s.transition(ctx, id, ActionStart, "ticket.start", func(_ context.Context, _ *store.Tx, u *ent.TicketUpdateOne, _ *ent.Ticket, _ *ent.Queue) error {
		u.SetStartedAt(s.now())
		return nil
	})
}

// CompleteTicket ends service, optionally with a note. Errors: NOT_FOUND, CONFLICT, BAD_USER_INPUT, FORBIDDEN.
func (s *Service) CompleteTicket(ctx context.Context, id pulid.ID, note *string) (*ent.Ticket, error) {
	if note != nil && len(*note) > maxNoteLen {
		return nil, cqerr.Ef(cqerr.BadUserInput, "note is too long (at most %d characters)", maxNoteLen).WithField("note")
	}
	return s.transition(ctx, id, ActionComplete, "ticket.complete", func(_ context.Context, _ *store.Tx, u *ent.TicketUpdateOne, _ *ent.Ticket, _ *ent.Queue) error {
		if note != nil {
			u.SetNote(*note)
		}
		return nil
	})
}

// MarkNoShow records that the called patient did not come. Errors: NOT_FOUND, CONFLICT, FORBIDDEN.
func (s *Service) MarkNoShow(ctx context.Context, id pulid.ID) (*ent.Ticket, error) {
	return s.transition(ctx, id, ActionNoShow, "ticket.noShow", nil)
}

// CancelTicket takes a waiting or called ticket out of the queue. Errors: NOT_FOUND, CONFLICT,
// BAD_USER_INPUT (empty or long reason), FORBIDDEN.
func (s *Service) CancelTicket(ctx context.Context, id pulid.ID, reason string) (*ent.Ticket, error) {
	if len(reason) == 0 || len(reason) > 500 {
		return nil, cqerr.E(cqerr.BadUserInput, "give a reason of 1 to 500 characters").WithField("reason")
	}
	return s.transition(ctx, id, ActionCancel, "ticket.cancel", func(_ context.Context, _ *store.Tx, u *ent.TicketUpdateOne, _ *ent.Ticket, _ *ent.Queue) error {
		u.SetCancelReason(reason)
		return nil
	})
}

// RetriageTicket changes a waiting or called ticket's triage level; its deadline moves with it.
// Errors: NOT_FOUND, CONFLICT, FORBIDDEN.
func (s *Service) RetriageTicket(ctx context.Context, id pulid.ID, level ticket.TriageLevel) (*ent.Ticket, error) {
	if err := ticket.TriageLevelValidator(level); err != nil {
		return nil, cqerr.E(cqerr.BadUserInput, "unknown triage level").WithField("triageLevel")
	}
	return s.transition(ctx, id, ActionRetriage, "ticket.retriage", func(ctx context.Context, tx *store.Tx, u *ent.TicketUpdateOne, t *ent.Ticket, q *ent.Queue) error {
		var scheduled *time.Time
		if t.AppointmentID != "" {
			a, err := tx.Client.Appointment.Get(auth.SystemContext(ctx), t.AppointmentID)
			if err != nil {
				return fmt.Errorf("reading appointment: %w", err)
			}
			scheduled = &a.ScheduledAt
		}
		u.SetTriageLevel(level).SetTargetAt(Deadline(t.CheckedInAt, scheduled, Level(level), TargetsOf(q)))
		return nil
	})
}
