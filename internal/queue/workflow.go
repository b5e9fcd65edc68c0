package queue

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/carequeue/carequeue/ent"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
)

// errNoChange rolls a workflow back without an error: nothing happened (callNext on an empty queue).
var errNoChange = errors.New("no change")

// change is what a workflow step reports.
type change struct {
	ticket  *ent.Ticket
	event   Action
	from    Status
	auditOf string
	before  any
	// idempotencyKey is recorded on the event, so that a retry of the call finds it (replay).
	idempotencyKey string
}

// workflow runs step for action on queueID inside one transaction with the queue locked.
func (s *Service) workflow(ctx context.Context, action Action, queueID pulid.ID,
	step func(ctx context.Context, tx *store.Tx, q *ent.Queue) (*change, error)) (*ent.Ticket, error) {
	key, err := idempotencyKey(ctx)
	if err != nil {
		return nil, err
	}
	ctx = auth.WithAction(ctx, string(action))
	var out, replayed *ent.Ticket
	err = s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		q, err := lockQueue(ctx, tx, queueID)
		if err != nil {
			return err
		}
		if replayed, err = replay(ctx, tx, key, action); err != nil || replayed != nil {
			return cmp.Or(err, errNoChange)
		}
		c, err := step(ctx, tx, q)
		if err != nil {
			return err
		}
		c.idempotencyKey = key
		if err := s.record(ctx, tx, q, c, action); err != nil {
			return err
		}
		out = c.ticket
		ev := Event{QueueID: q.ID, DepartmentID: q.DepartmentID, Version: int(q.Version), TicketIDs: []pulid.ID{c.ticket.ID}}
		if s.pub != nil {
			tx.OnCommit(func() { s.pub.Publish(context.WithoutCancel(ctx), ev) })
		}
		return nil
	})
	if errors.Is(err, errNoChange) {
		return replayed, nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lockQueue reads the queue as the viewer (so an invisible queue is NOT_FOUND) and then bumps its
// version. The UPDATE takes the row lock on PostgreSQL, and on SQLite the transaction already holds the
// write lock (BEGIN IMMEDIATE): from here to commit, this transaction is the queue's only writer, so
// versions have no gaps and concurrent calls are strictly ordered.
func lockQueue(ctx context.Context, tx *store.Tx, id pulid.ID) (*ent.Queue, error) {
	if _, err := tx.Client.Queue.Query().Where(entqueue.ID(id)).OnlyID(ctx); err != nil {
		return nil, notFound(err, "queue")
	}
	// The version is bookkeeping, not an admin edit of the queue: the viewer's right to act on the queue
	// was checked by the read above and is checked again on the ticket write.
	q, err := tx.Client.Queue.UpdateOneID(id).AddVersion(1).Save(auth.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("locking queue: %w", err)
	}
	return q, nil
}
func (s *Service) record(ctx context.Context, tx *store.Tx, q *ent.Queue, c *change, action Action) error {
	t := c.ticket
	if err := tx.Client.TicketEvent.Create().
		SetTicketID(t.ID).
		SetQueueID(string(t.QueueID)).
		SetAction(string(c.event)).
		SetFromStatus(string(c.from)).
		SetToStatus(string(t.Status)).
		SetTriageLevel(string(t.TriageLevel)).
		SetAt(s.now()).
		SetActorID(actorID(ctx)).
		SetServicePointID(string(t.ServicePointID)).
		SetNillableIdempotencyKey(nonEmpty(c.idempotencyKey)).
		Exec(ctx); err != nil {
		return fmt.Errorf("recording ticket event: %w", err)
	}
	facilityID, err := facilityOf(ctx, tx, q)
	if err != nil {
		return err
	}
	if err := audit.Record(ctx, tx.Client, audit.Entry{
		Action:     c.auditOf,
		EntityType: "Ticket",
		EntityID:   string(t.ID),
		FacilityID: facilityID,
		Before:     c.before,
		After:      t,
	}); err != nil {
		return err
	}
	if s.jobs != nil {
		if err := s.jobs.TicketChanged(ctx, tx, t, action); err != nil {
			return fmt.Errorf("enqueueing notifications: %w", err)
		}
	}
	return nil
}
func facilityOf(ctx context.Context, tx *store.Tx, q *ent.Queue) (string, error) {
	if q.Edges.Department != nil {
		return string(q.Edges.Department.FacilityID), nil
	}
	d, err := tx.Client.Department.Get(auth.SystemContext(ctx), q.DepartmentID)
	if err != nil {
		return "", fmt.Errorf("reading department: %w", err)
	}
	return string(d.FacilityID), nil
}
func actorID(ctx context.Context) string {
	if v, ok := auth.FromContext(ctx); ok {
		return string(v.UserID)
	}
	return ""
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
