package queue

import (
	"context"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
)

// MarkNoShow records that the called patient did not come. Errors: NOT_FOUND, CONFLICT, FORBIDDEN.
func (s *Service) MarkNoShow(ctx context.Context, key Key, id pulid.ID) (*ent.Ticket, error) {
	return s.transition(ctx, newRequest(key, ActionNoShow, id), id, "ticket.noShow", nil)
}
