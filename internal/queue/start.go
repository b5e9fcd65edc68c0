package queue

import (
	"context"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/store"
)

// StartService marks the called patient as being seen. Errors: NOT_FOUND, CONFLICT, FORBIDDEN.
func (s *Service) StartService(ctx context.Context, key Key, id pulid.ID) (*ent.Ticket, error) {
	return s.transition(ctx, newRequest(key, ActionStart, id), id, "ticket.start", func(_ context.Context, _ *store.Tx, u *ent.TicketUpdateOne, _ *ent.Ticket, _ *ent.Queue) error {
		u.SetStartedAt(s.now())
		return nil
	})
}
