package queue

import (
	"context"
	"fmt"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/store"
)

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
