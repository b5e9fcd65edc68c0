package queue

import (
	"context"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// CancelTicket takes a waiting or called ticket out of the queue. Errors: NOT_FOUND, CONFLICT,
// BAD_USER_INPUT (empty or long reason), FORBIDDEN.
func (s *Service) CancelTicket(ctx context.Context, key Key, id pulid.ID, reason string) (*ent.Ticket, error) {
	if len(reason) == 0 || len(reason) > 500 {
		return nil, cqerr.E(cqerr.BadUserInput, "give a reason of 1 to 500 characters").WithField("reason")
	}
	return s.transition(ctx, newRequest(key, ActionCancel, id, reason), id, "ticket.cancel", func(_ context.Context, _ *store.Tx, u *ent.TicketUpdateOne, _ *ent.Ticket, _ *ent.Queue) error {
		u.SetCancelReason(reason)
		return nil
	})
}
