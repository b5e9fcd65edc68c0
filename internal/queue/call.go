package queue

import (
	"context"
	"fmt"

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
func (s *Service) CallNext(ctx context.Context, key Key, queueID, servicePointID pulid.ID) (*ent.Ticket, error) {
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
	return s.workflow(ctx, newRequest(key, ActionCall, queueID, servicePointID), queueID, func(ctx context.Context, tx *store.Tx, q *ent.Queue) (*change, error) {
		var waiting []ticketRow // five columns, not whole tickets: every waiting ticket, on every call
		err := tx.Client.Ticket.Query().
			Where(ticket.QueueID(q.ID), ticket.StatusEQ(ticket.StatusWAITING)).
			Select(ticket.FieldID, ticket.FieldTriageLevel, ticket.FieldCheckedInAt, ticket.FieldArrivedAt, ticket.FieldTargetAt).
			Scan(auth.SystemContext(ctx), &waiting)
		if err != nil {
			return nil, fmt.Errorf("reading waiting tickets: %w", err)
		}
		now := s.now()
		line := make([]Entry, len(waiting))
		for i, w := range waiting {
			line[i] = w.entry()
		}
		first, ok := OrderOf(q, now).First(line)
		if !ok {
			return nil, errNoChange
		}
		t, err := tx.Client.Ticket.Get(ctx, pulid.ID(first.ID))
		if err != nil {
			return nil, fmt.Errorf("reading called ticket: %w", err)
		}
		before := *t
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

// entry is the row's place in an ordering.
func (w ticketRow) entry() Entry {
	e := Entry{ID: string(w.ID), Level: Level(w.TriageLevel), CheckedInAt: w.CheckedInAt}
	if w.ArrivedAt != nil {
		e.ArrivedAt = *w.ArrivedAt
	}
	if w.TargetAt != nil {
		e.Deadline = *w.TargetAt
	}
	return e
}

func entries(ts []*ent.Ticket) []Entry {
	out := make([]Entry, len(ts))
	for i, t := range ts {
		out[i] = Entry{ID: string(t.ID), Level: Level(t.TriageLevel), CheckedInAt: t.CheckedInAt, ArrivedAt: t.ArrivedAt, Deadline: t.TargetAt}
	}
	return out
}

// RecallTicket calls a CALLED ticket again. Errors: NOT_FOUND, CONFLICT (not CALLED), FORBIDDEN.
func (s *Service) RecallTicket(ctx context.Context, key Key, id pulid.ID) (*ent.Ticket, error) {
	return s.transition(ctx, newRequest(key, ActionRecall, id), id, "ticket.recall", func(_ context.Context, _ *store.Tx, u *ent.TicketUpdateOne, _ *ent.Ticket, _ *ent.Queue) error {
		u.SetCalledAt(s.now()).AddRecallCount(1)
		return nil
	})
}
