package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/internal/queue"
)

// position resolves Ticket.position and Ticket.estimatedWaitMinutes. A ticket resolved inside a
// QueueSnapshot (queueSnapshot, queueChanged) or its own TicketUpdate (ticketChanged) takes its numbers
// from there, so a dashboard of 200 tickets costs no query per ticket, on every subscription event too;
// elsewhere the queue service computes them once per queue per request.
func position(ctx context.Context, svc *queue.Service, t *ent.Ticket, wait bool) (*int, error) {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		switch r := fc.Result.(type) {
		case *queue.Snapshot:
			if wait {
				return r.EstimatedWaitMinutes(t.ID), nil
			}
			return r.Position(t.ID), nil
		case *queue.TicketUpdate:
			if r.Ticket != nil && r.Ticket.ID == t.ID {
				if wait {
					return r.EstimatedWaitMinutes, nil
				}
				return r.Position, nil
			}
		}
	}
	p, m, err := svc.TicketPosition(ctx, t)
	if wait {
		return m, err
	}
	return p, err
}
