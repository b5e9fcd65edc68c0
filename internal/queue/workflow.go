package queue

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/carequeue/carequeue/ent"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// errNoChange rolls a workflow back without an error: nothing happened (callNext on an empty queue, a
// replayed key).
var errNoChange = errors.New("no change")

// change is what a workflow step did to one ticket.
type change struct {
	ticket  *ent.Ticket
	event   Action
	from    Status
	auditOf string
	before  any
	eventDetail
}

// eventDetail is what some actions add to their TicketEvent (RETRIAGE: the level before and why).
type eventDetail struct {
	fromLevel *enum.TriageLevel
	reason    *string
}

// workflow runs step for the request on one queue: see workflowOn.
func (s *Service) workflow(ctx context.Context, r request, queueID pulid.ID,
	step func(ctx context.Context, tx *store.Tx, q *ent.Queue) (*change, error)) (*ent.Ticket, error) {
	return s.workflowOn(ctx, r, []pulid.ID{queueID}, func(ctx context.Context, tx *store.Tx, qs map[pulid.ID]*ent.Queue) ([]*change, error) {
		c, err := step(ctx, tx, qs[queueID])
		if err != nil {
			return nil, err
		}
		return []*change{c}, nil
	})
}

// workflowOn is the skeleton every workflow runs in, as one transaction: it locks the queues (in id
// order, so that two calls locking the same pair cannot deadlock), replays or refuses a used key, runs
// step, and for each ticket step changed records its TicketEvent, AuditEntry and jobs; it stores the key
// with the result (the last change's ticket) and publishes one Event per queue after commit.
func (s *Service) workflowOn(ctx context.Context, r request, queueIDs []pulid.ID,
	step func(ctx context.Context, tx *store.Tx, qs map[pulid.ID]*ent.Queue) ([]*change, error)) (*ent.Ticket, error) {
	if err := r.key.validate(); err != nil {
		return nil, err
	}
	ctx = auth.WithAction(ctx, r.action)
	ids := slices.Clone(queueIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	// The queue is ours within the lock wait, or the call is UNAVAILABLE: waiting in the gate first (no
	// connection held), then at the database for what is left of it.
	until := time.Now().Add(s.lockWait)
	leave, err := s.gates.enter(ctx, gateKeys(s.db.Dialect, ids), until)
	if err != nil {
		return nil, err
	}
	defer leave()
	// Alone at the gates, the queues' rows are most likely free: they are taken without waiting, which
	// spares the two statements that bound a wait. Taken after all (another replica, a job), the
	// transaction starts again and waits its turn.
	wait := !s.gates.alone(gateKeys(s.db.Dialect, ids))
again:
	var out, replayed *ent.Ticket
	err = s.db.InTxWaiting(ctx, until, func(ctx context.Context, tx *store.Tx) error {
		locked, err := lockQueues(ctx, tx, s.db.Dialect, ids, until, wait)
		if err != nil {
			return err
		}
		if replayed, err = s.replay(ctx, tx.Client, r); err != nil || replayed != nil {
			return cmp.Or(err, errNoChange)
		}
		changes, err := step(ctx, tx, locked)
		if err != nil {
			return err
		}
		touched := map[pulid.ID][]pulid.ID{}
		for _, c := range changes {
			q := locked[c.ticket.QueueID]
			if err := s.record(ctx, tx, q, c, r.action); err != nil {
				return err
			}
			touched[q.ID] = append(touched[q.ID], c.ticket.ID)
		}
		out = changes[len(changes)-1].ticket
		if err := s.remember(ctx, tx, r, out.ID); err != nil {
			return err
		}
		// The audit entries last: their chain head is one row lock for every audited change in the
		// hospital, held from here to commit.
		for _, c := range changes {
			if err := s.audit(ctx, tx, locked[c.ticket.QueueID], c); err != nil {
				return err
			}
		}
		if s.pub != nil {
			for _, id := range ids {
				q := locked[id]
				ev := Event{QueueID: q.ID, DepartmentID: q.DepartmentID, Version: int(q.Version), TicketIDs: touched[id]}
				tx.OnCommit(func() { s.pub.Publish(context.WithoutCancel(ctx), ev) })
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, errQueueTaken) && !wait:
		wait = true
		goto again
	case errors.Is(err, errNoChange):
		return replayed, nil
	case store.IsLockTimeout(err):
		return nil, cqerr.Wrap(cqerr.Unavailable, err, errQueueBusy.Message)
	case err != nil:
		return nil, err
	}
	return out, nil
}

// errQueueTaken is a queue row that another transaction held when it was to be taken without waiting.
var errQueueTaken = errors.New("queue row taken")

// lockQueues locks ids in order. Waiting, it waits for them until until; not waiting, a row another
// transaction holds is errQueueTaken.
func lockQueues(ctx context.Context, tx *store.Tx, d store.Dialect, ids []pulid.ID, until time.Time, wait bool) (map[pulid.ID]*ent.Queue, error) {
	if wait {
		if err := limitLockWait(ctx, tx, d, until); err != nil {
			return nil, err
		}
	}
	locked := make(map[pulid.ID]*ent.Queue, len(ids))
	for _, id := range ids {
		q, err := lockQueue(ctx, tx, d, id, wait)
		if !wait && d == store.Postgres && store.IsLockTimeout(err) {
			return nil, errQueueTaken
		}
		if err != nil {
			return nil, err
		}
		locked[id] = q
	}
	if !wait {
		return locked, nil
	}
	// The rest of the transaction's lock waits (ticket rows) get the ordinary lock_timeout back.
	return locked, restoreLockWait(ctx, tx, d)
}

// lockQueue reads the queue as the viewer (so an invisible queue is NOT_FOUND, and is not locked), taking
// its row lock on PostgreSQL (the strength of an UPDATE of a non-key column, so foreign key checks of
// other writers are not blocked), then bumps its version. On SQLite the transaction already holds the
// write lock (BEGIN IMMEDIATE). From here to commit, this transaction is the queue's only writer, so
// versions have no gaps and concurrent calls are strictly ordered.
func lockQueue(ctx context.Context, tx *store.Tx, d store.Dialect, id pulid.ID, wait bool) (*ent.Queue, error) {
	read := tx.Client.Queue.Query().Where(entqueue.ID(id))
	if d == store.Postgres {
		clause := "FOR NO KEY UPDATE OF " + entqueue.Table
		if !wait {
			clause += " NOWAIT"
		}
		read.ForUpdate(sql.WithLockClause(clause))
	}
	q, err := read.Only(ctx)
	if err != nil {
		return nil, notFound(err, "queue")
	}
	// The version is bookkeeping, not an admin edit of the queue: the viewer's right to act on the queue
	// was checked by the read above and is checked again on the ticket write. One UPDATE, no read back:
	// the row is ours, so its new version is known.
	now := time.Now()
	if err := tx.Client.Queue.Update().Where(entqueue.ID(id)).AddVersion(1).SetUpdatedAt(now).Exec(auth.SystemContext(ctx)); err != nil {
		return nil, fmt.Errorf("locking queue: %w", err)
	}
	q.Version++
	q.UpdatedAt = now
	return q, nil
}

// record writes change c's ticket event and, when configured, its notification jobs and webhook
// deliveries; its audit entry comes later (see audit).
func (s *Service) record(ctx context.Context, tx *store.Tx, q *ent.Queue, c *change, action Action) error {
	t := c.ticket
	ev, err := tx.Client.TicketEvent.Create().
		SetTicketID(t.ID).
		SetQueueID(string(t.QueueID)).
		SetAction(c.event).
		SetFromStatus(string(c.from)).
		SetToStatus(string(t.Status)).
		SetTriageLevel(string(t.TriageLevel)).
		SetAt(s.now()).
		SetActorID(actorID(ctx)).
		SetServicePointID(string(t.ServicePointID)).
		SetNillableFromTriageLevel(c.fromLevel).
		SetNillableReason(c.reason).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("recording ticket event: %w", err)
	}
	facilityID, err := facilityOf(ctx, tx, q)
	if err != nil {
		return err
	}
	if s.jobs != nil {
		if err := s.jobs.TicketChanged(ctx, tx, int(q.Version), t, action); err != nil {
			return fmt.Errorf("enqueueing notifications: %w", err)
		}
	}
	if s.events != nil {
		if err := s.events.TicketEventRecorded(ctx, tx, facilityID, t, ev); err != nil {
			return fmt.Errorf("enqueueing webhooks: %w", err)
		}
	}
	return nil
}

// audit writes change c's audit entry (see record).
func (s *Service) audit(ctx context.Context, tx *store.Tx, q *ent.Queue, c *change) error {
	facilityID, err := facilityOf(ctx, tx, q)
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx.Client, audit.Entry{
		Action:     c.auditOf,
		EntityType: "Ticket",
		EntityID:   string(c.ticket.ID),
		FacilityID: facilityID,
		Before:     c.before,
		After:      c.ticket,
	})
}

func facilityOf(ctx context.Context, tx *store.Tx, q *ent.Queue) (string, error) {
	if q.Edges.Department != nil {
		return string(q.Edges.Department.FacilityID), nil
	}
	d, err := tx.Client.Department.Get(auth.SystemContext(ctx), q.DepartmentID)
	if err != nil {
		return "", fmt.Errorf("reading department: %w", err)
	}
	q.Edges.Department = d // for the change's audit entry, after its event
	return string(d.FacilityID), nil
}
func actorID(ctx context.Context) string {
	if v, ok := auth.FromContext(ctx); ok {
		return string(v.UserID)
	}
	return ""
}

// applyFunc sets the fields an action changes besides the status on u; t is the ticket as it was.
type applyFunc func(ctx context.Context, tx *store.Tx, u *ent.TicketUpdateOne, t *ent.Ticket, q *ent.Queue) error

// transition applies the request's action to one ticket under its queue's lock. apply (may be nil) sets
// the fields the action changes besides the status.
func (s *Service) transition(ctx context.Context, r request, ticketID pulid.ID, auditOf string, apply applyFunc) (*ent.Ticket, error) {
	return s.transitionNoting(ctx, r, ticketID, auditOf, nil, apply)
}

// transitionNoting is transition whose TicketEvent also records *noted (when not nil) as apply left it.
func (s *Service) transitionNoting(ctx context.Context, r request, ticketID pulid.ID, auditOf string, noted *eventDetail, apply applyFunc) (*ent.Ticket, error) {
	if err := r.key.validate(); err != nil {
		return nil, err
	}
	t, err := s.client.Ticket.Get(ctx, ticketID)
	if err != nil {
		return nil, notFound(err, "ticket")
	}
	action := r.action
	return s.workflow(ctx, r, t.QueueID, func(ctx context.Context, tx *store.Tx, q *ent.Queue) (*change, error) {
		// Re-read under the lock: the ticket may have moved while this call waited for it.
		t, err := tx.Client.Ticket.Get(ctx, ticketID)
		if err != nil {
			return nil, notFound(err, "ticket")
		}
		from := Status(t.Status)
		to, err := Next(t.Code, from, action)
		if err != nil {
			return nil, s.explain(ctx, tx, q, t, action, err)
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
		c := &change{ticket: t, event: action, from: from, auditOf: auditOf, before: &before}
		if noted != nil {
			c.eventDetail = *noted
		}
		return c, nil
	})
}
