package queue

import (
	"context"
	"fmt"
	"slices"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
)

// Line is a queue's waiting line for background checks (the notification "notify ahead" pass): the
// waiting tickets in call order with their positions, read in one narrow statement (no patients, no
// service points, no history, no estimates). Estimates, which need the queue's history and the
// estimator, are computed only on request (Estimate).
type Line struct {
	Queue *ent.Queue
	// Waiting holds the WAITING tickets in call order, with the fields ordering needs and the
	// notification bookkeeping (notified_ahead, wait_told_*) only.
	Waiting []*ent.Ticket

	called    []*ent.Ticket
	positions map[pulid.ID]int
	est       *line
}

// ReadLine reads q's open tickets (one statement on the (queue_id, status, …) index, narrow columns)
// and orders the waiting ones.
func (s *Service) ReadLine(ctx context.Context, q *ent.Queue) (*Line, error) {
	open, err := s.client.Ticket.Query().
		Where(ticket.QueueID(q.ID), ticket.StatusIn(ticket.StatusWAITING, ticket.StatusCALLED, ticket.StatusIN_SERVICE)).
		Select(ticket.FieldID, ticket.FieldStatus, ticket.FieldTriageLevel, ticket.FieldCheckedInAt, ticket.FieldArrivedAt,
			ticket.FieldTargetAt, ticket.FieldCalledAt, ticket.FieldNotifiedAhead, ticket.FieldWaitToldAt,
			ticket.FieldWaitToldLow, ticket.FieldWaitToldHigh).
		All(auth.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("reading open tickets: %w", err)
	}
	l := &Line{Queue: q}
	for _, t := range open {
		if t.Status == ticket.StatusWAITING {
			l.Waiting = append(l.Waiting, t)
		} else {
			l.called = append(l.called, t)
		}
	}
	l.positions = make(map[pulid.ID]int, len(l.Waiting))
	for id, p := range OrderOf(q, s.now()).Positions(entries(l.Waiting)) {
		l.positions[pulid.ID(id)] = p
	}
	slices.SortFunc(l.Waiting, func(a, b *ent.Ticket) int { return l.positions[a.ID] - l.positions[b.ID] })
	return l, nil
}

// Position is the 1-based position of waiting ticket id, 0 when it is not waiting.
func (l *Line) Position(id pulid.ID) int { return l.positions[id] }

// Estimate computes the line's wait estimates (the queue's history and open service points: 2
// statements, then the estimator), so that Place answers with them.
func (s *Service) Estimate(ctx context.Context, l *Line) error {
	o, err := s.readLine(ctx, l.Queue, true, l.Waiting, l.called)
	if err != nil {
		return err
	}
	l.est = o
	return nil
}

// Place is where waiting ticket id stands, with its estimate once Estimate ran (without: only the
// position).
func (l *Line) Place(id pulid.ID) Place {
	if l.est != nil {
		return l.est.place(id)
	}
	p := Place{}
	if n, ok := l.positions[id]; ok {
		p.Position = &n
	}
	return p
}
