package queue

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
)

// MinMaxWait is the shortest maximum wait a queue may set (max_wait_minutes' lower bound): no ticket
// that arrived more recently can be due for escalation.
const MinMaxWait = 30 * time.Minute

// arrivalOf is when t's visit started (arrived_at: a transfer into a queue that keeps arrival continues
// the visit): the clock the maximum wait counts from.
func arrivalOf(t *ent.Ticket) time.Time { return t.ArrivedAt }

// MaxWaitOf returns queue q's maximum wait.
func MaxWaitOf(q *ent.Queue) time.Duration { return time.Duration(q.MaxWaitMinutes) * time.Minute }

// PastMaxWait reports whether a patient who arrived at arrived has, at now, waited longer than maxWait.
func PastMaxWait(arrived time.Time, maxWait time.Duration, now time.Time) bool {
	return now.Sub(arrived) > maxWait
}

// EscalateOverdue escalates every WAITING ticket that has waited past its queue's maximum wait and was
// not escalated before: it sets escalated_at and records an ESCALATE TicketEvent and audit entry, one
// workflow per department (each due queue's version moves once and its watchers refetch after commit),
// and in the same transaction hands the department's escalated tickets to the Announcer, so the nurse
// in charge hears of them once, together. A ticket is escalated at most once: the workflow re-reads it
// under its queue's lock and skips it if it was escalated, called or closed meanwhile. It acts as the
// system and returns how many it escalated.
func (s *Service) EscalateOverdue(ctx context.Context) (int, error) {
	sys := auth.SystemContext(ctx)
	now := s.now()
	// No queue's maximum is shorter than MinMaxWait: one statement finds every candidate, and each
	// queue's own maximum is applied below.
	cands, err := s.client.Ticket.Query().
		Where(ticket.StatusEQ(ticket.StatusWAITING), ticket.EscalatedAtIsNil(), ticket.ArrivedAtLT(now.Add(-MinMaxWait))).
		WithQueue().
		All(sys)
	if err != nil {
		return 0, fmt.Errorf("reading escalation candidates: %w", err)
	}
	due := map[pulid.ID]*dueTickets{}
	for _, t := range cands {
		q := t.Edges.Queue
		if q == nil || !PastMaxWait(arrivalOf(t), MaxWaitOf(q), now) {
			continue
		}
		d := due[q.DepartmentID]
		if d == nil {
			d = &dueTickets{}
			due[q.DepartmentID] = d
		}
		d.queues = append(d.queues, q.ID)
		d.tickets = append(d.tickets, t.ID)
	}
	depts := slices.Sorted(maps.Keys(due))
	n := 0
	var errs []error
	for _, dept := range depts {
		done, err := s.escalateDepartment(sys, dept, due[dept])
		n += len(done)
		if err != nil {
			// A busy or failing department must not hold up the others; the next run retries it.
			errs = append(errs, fmt.Errorf("escalating department %s: %w", dept, err))
			continue
		}
		if len(done) > 0 {
			codes := make([]string, len(done))
			for i, t := range done {
				codes[i] = t.Code
			}
			// Ticket codes and ids only: the log is no place for patients' names.
			s.log.InfoContext(ctx, "escalated tickets past the queue's maximum wait", "department_id", dept, "tickets", codes)
		}
	}
	return n, errors.Join(errs...)
}

// dueTickets are one department's tickets found past their maximum wait, and their queues.
type dueTickets struct {
	queues, tickets []pulid.ID
}

// escalateDepartment escalates the tickets of due that are still due, in one workflow locking their
// queues, and announces them.
func (s *Service) escalateDepartment(ctx context.Context, dept pulid.ID, due *dueTickets) ([]*ent.Ticket, error) {
	var done []*ent.Ticket
	r := request{action: ActionEscalate, target: dept}
	_, err := s.workflowOn(ctx, r, due.queues, func(ctx context.Context, tx *store.Tx, qs map[pulid.ID]*ent.Queue) ([]*change, error) {
		now := s.now()
		// Re-read under the locks: a ticket called, closed or escalated meanwhile is skipped.
		ts, err := tx.Client.Ticket.Query().
			Where(ticket.IDIn(due.tickets...), ticket.StatusEQ(ticket.StatusWAITING), ticket.EscalatedAtIsNil()).
			Order(ent.Asc(ticket.FieldArrivedAt), ent.Asc(ticket.FieldID)).
			All(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading tickets to escalate: %w", err)
		}
		var changes []*change
		var ids []pulid.ID
		for _, t := range ts {
			q := qs[t.QueueID]
			if q == nil || !PastMaxWait(arrivalOf(t), MaxWaitOf(q), now) {
				continue // the queue's maximum was raised meanwhile
			}
			before := *t
			t, err = tx.Client.Ticket.UpdateOne(t).SetEscalatedAt(now).Save(ctx)
			if err != nil {
				return nil, fmt.Errorf("escalating ticket: %w", err)
			}
			t.Edges.Queue = q
			changes = append(changes, &change{ticket: t, event: ActionEscalate, from: StatusWaiting, auditOf: "ticket.escalate", before: &before})
			done = append(done, t)
			ids = append(ids, t.ID)
		}
		if len(changes) == 0 {
			return nil, errNoChange
		}
		if s.announce != nil {
			if err := s.announce.Escalated(ctx, tx, dept, ids); err != nil {
				return nil, fmt.Errorf("announcing escalations: %w", err)
			}
		}
		return changes, nil
	})
	if err != nil {
		return nil, err
	}
	return done, nil
}
