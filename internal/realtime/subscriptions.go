package realtime

import (
	"context"
	"reflect"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

// QueueChanged sends the queue's snapshot now and after every change. Staff only.
// Errors as queue.Service.Snapshot.
func (l *Live) QueueChanged(ctx context.Context, queueID pulid.ID) (<-chan *queue.Snapshot, error) {
	first, err := l.queue.Snapshot(ctx, queueID) // checks the viewer may watch this queue
	if err != nil {
		return nil, err
	}
	s := newSub(ctx, "", func(state any) (*queue.Snapshot, bool) {
		st, ok := state.(*queue.State)
		if !ok {
			return nil, false
		}
		return st.Snapshot, true
	})
	s.push(first, int64(first.Version))
	return s.ch, l.attach(ctx, QueueTopic(queueID), queueID, s)
}

// TicketChanged sends a ticket's state now and after every change of its queue. Errors: NOT_FOUND (no
// such ticket), FORBIDDEN (another patient's ticket).
//
// Subscribing costs one query when the replica already watches the queue: the first state comes from
// the queue's shared state (which patients' phones, subscribing by the thousand, rely on), waiting for
// the topic's first read when it has not ended yet.
func (l *Live) TicketChanged(ctx context.Context, ticketID pulid.ID) (<-chan *queue.TicketUpdate, error) {
	queueID, err := l.queue.TicketQueue(ctx, ticketID)
	if cqerr.CodeOf(err) == cqerr.NotFound && l.queue.TicketExists(ctx, ticketID) {
		return nil, cqerr.E(cqerr.Forbidden, "you may follow only your own ticket")
	}
	if err != nil {
		return nil, err
	}
	s := newSub(ctx, ticketID, func(state any) (*queue.TicketUpdate, bool) {
		st, ok := state.(*queue.State)
		if !ok {
			return nil, false
		}
		return st.TicketUpdate(ticketID)
	})
	if err := l.attach(ctx, QueueTopic(queueID), queueID, s); err != nil {
		return nil, err
	}
	if !l.firstFromTopic(ctx, QueueTopic(queueID), s) {
		// The shared state does not hold the ticket yet (or not any more: it is closed).
		first, err := l.queue.TicketUpdate(ctx, ticketID)
		if err != nil {
			return nil, err
		}
		s.push(first, int64(first.Version))
	}
	return s.ch, nil
}

// PublicTicketStatus sends the public status now and after every change. Errors: NOT_FOUND.
func (l *Live) PublicTicketStatus(ctx context.Context, token string) (<-chan *queue.PublicStatus, error) {
	ticketID, queueID, ok, err := l.queue.TicketByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, cqerr.E(cqerr.NotFound, "no ticket has this link; check the SMS")
	}
	s := newSub(ctx, ticketID, func(state any) (*queue.PublicStatus, bool) {
		st, ok := state.(*queue.State)
		if !ok {
			return nil, false
		}
		return st.PublicStatus(ticketID)
	})
	if err := l.attach(ctx, QueueTopic(queueID), queueID, s); err != nil {
		return nil, err
	}
	if !l.firstFromTopic(ctx, QueueTopic(queueID), s) {
		first, err := l.queue.PublicStatus(ctx, token)
		if err != nil || first == nil {
			return nil, cqerr.E(cqerr.NotFound, "no ticket has this link; check the SMS")
		}
		s.push(first, 0)
	}
	return s.ch, nil
}

// BoardChanged sends a department's board now and after every change. Errors: NOT_FOUND.
//
// As for TicketChanged, the first board is the topic's when it has one (a waiting room's screens
// reconnecting together read it once), else the board read for this watcher alone.
func (l *Live) BoardChanged(ctx context.Context, departmentID pulid.ID) (<-chan *queue.Board, error) {
	if err := l.queue.BoardExists(ctx, departmentID); err != nil {
		return nil, err
	}
	s := newSub(ctx, "", func(state any) (*queue.Board, bool) {
		b, ok := state.(*queue.Board)
		return b, ok
	})
	// The first read of a new topic, or the topic's state handed to a late joiner, is usually the
	// board just sent: not sent again.
	s.same = func(a, b *queue.Board) bool { return a == b || reflect.DeepEqual(a, b) }
	name := DepartmentTopic(departmentID)
	if err := l.attach(ctx, name, departmentID, s); err != nil {
		return nil, err
	}
	if !l.firstFromTopic(ctx, name, s) {
		first, err := l.queue.Board(ctx, departmentID)
		if err != nil {
			return nil, err
		}
		s.push(first, 0)
	}
	return s.ch, nil
}
