package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/internal/queue"
)

// place resolves Ticket.position, Ticket.estimatedWaitMinutes, Ticket.estimatedWait and
// Ticket.breachForecast through pick. A
// ticket resolved inside a QueueSnapshot (queueSnapshot, queueChanged) or its own TicketUpdate
// (ticketChanged) takes its numbers from there, so a dashboard of 200 tickets costs no query per
// ticket, on every subscription event too; elsewhere the queue service computes them once per queue per
// request.
func place[T any](ctx context.Context, svc *queue.Service, t *ent.Ticket, pick func(queue.Place) T) (T, error) {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		switch r := fc.Result.(type) {
		case *queue.Snapshot:
			return pick(r.Place(t.ID)), nil
		case *queue.TicketUpdate:
			if r.Ticket != nil && r.Ticket.ID == t.ID {
				return pick(queue.Place{Position: r.Position, EstimatedWaitMinutes: r.EstimatedWaitMinutes, EstimatedWait: r.EstimatedWait,
					Breach: r.Breach}), nil
			}
		}
	}
	p, err := svc.TicketPlace(ctx, t)
	return pick(p), err
}

func position(p queue.Place) *int              { return p.Position }
func waitMinutes(p queue.Place) *int           { return p.EstimatedWaitMinutes }
func waitRange(p queue.Place) *queue.WaitRange { return p.EstimatedWait }
