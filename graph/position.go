package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/internal/queue"
)

// position resolves Ticket.position and Ticket.estimatedWaitMinutes. A ticket resolved inside a
// QueueSnapshot (queueSnapshot, queueChanged) takes its numbers from that snapshot, so a dashboard of
// 200 tickets costs no query per ticket, on every subscription event too; elsewhere the queue service
// computes them once per queue per request.
func position(ctx context.Context, svc *queue.Service, t *ent.Ticket, wait bool) (*int, error) {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if s, ok := fc.Result.(*queue.Snapshot); ok && s != nil {
			if wait {
				return s.EstimatedWaitMinutes(t.ID), nil
			}
			return s.Position(t.ID), nil
		}
	}
	p, m, err := svc.TicketPosition(ctx, t)
	if wait {
		return m, err
	}
	return p, err
}
