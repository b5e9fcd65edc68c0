package queue

import (
	"context"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// CompleteTicket ends service, optionally with a note. Errors: NOT_FOUND, CONFLICT, BAD_USER_INPUT, FORBIDDEN.
func (s *Service) CompleteTicket(ctx context.Context, key Key, id pulid.ID, note *string) (*ent.Ticket, error) {
	if note != nil && len(*note) > maxNoteLen {
		return nil, cqerr.Ef(cqerr.BadUserInput, "note is too long (at most %d characters)", maxNoteLen).WithField("note")
	}
	return s.transition(ctx, newRequest(key, ActionComplete, id, note), id, "ticket.complete", func(_ context.Context, _ *store.Tx, u *ent.TicketUpdateOne, _ *ent.Ticket, _ *ent.Queue) error {
		if note != nil {
			u.SetNote(*note)
		}
		return nil
	})
}
