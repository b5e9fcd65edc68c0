// Package realtime owns live updates: it hears every committed queue change (as a queue.Publisher),
// fans it out to the subscriptions watching that queue or its department, and gives each subscription
// the current state first and then the fresh state after every change.
//
// Signals coalesce: a watcher that is still busy with the previous state receives one signal for any
// number of changes, then reads the newest state. Positions are state, so the newest is the one to
// keep, and a slow watcher never holds up the hub or the other watchers.
package realtime

import (
	"context"
	"log/slog"
	"sync"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

// Hub is an in-process broker: topics to watchers.
type Hub struct {
	mu     sync.Mutex
	topics map[string]map[chan struct{}]struct{}
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{topics: map[string]map[chan struct{}]struct{}{}} }

// Subscribe returns a channel that receives a signal after each change of topic, and a cancel func.
func (h *Hub) Subscribe(topic string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.topics[topic] == nil {
		h.topics[topic] = map[chan struct{}]struct{}{}
	}
	h.topics[topic][ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.topics[topic], ch)
		if len(h.topics[topic]) == 0 {
			delete(h.topics, topic)
		}
		h.mu.Unlock()
	}
}

// Signal wakes every watcher of topic without blocking: a watcher with a signal pending keeps just one.
func (h *Hub) Signal(topic string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.topics[topic] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Watchers returns the number of watchers of topic.
func (h *Hub) Watchers(topic string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.topics[topic])
}

func queueTopic(id pulid.ID) string      { return "queue:" + string(id) }
func departmentTopic(id pulid.ID) string { return "department:" + string(id) }

// Live serves the GraphQL subscriptions.
type Live struct {
	hub   *Hub
	queue *queue.Service
	log   *slog.Logger
}

// New returns a Live on hub, reading state through svc.
func New(hub *Hub, svc *queue.Service, log *slog.Logger) *Live {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Live{hub: hub, queue: svc, log: log}
}

// Publisher is the queue.Publisher that feeds a hub.
type Publisher struct{ Hub *Hub }

// Publish implements queue.Publisher.
func (p Publisher) Publish(_ context.Context, e queue.Event) {
	p.Hub.Signal(queueTopic(e.QueueID))
	p.Hub.Signal(departmentTopic(e.DepartmentID))
}

var _ queue.Publisher = Publisher{}

// watch sends first, then read's result after every signal on topic, until ctx ends or read fails
// (the failure is logged; the subscription then ends, and the client resubscribes).
func watch[T any](ctx context.Context, l *Live, topic string, first T, read func(context.Context) (T, error)) <-chan T {
	sig, cancel := l.hub.Subscribe(topic)
	out := make(chan T, 1)
	go func() {
		defer close(out)
		defer cancel()
		v := first
		for {
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
			select {
			case <-sig:
			case <-ctx.Done():
				return
			}
			var err error
			if v, err = read(ctx); err != nil {
				l.log.WarnContext(ctx, "subscription ended", "topic", topic, "err", err)
				return
			}
		}
	}()
	return out
}

// QueueChanged sends the queue's snapshot now and after every change. Errors as queue.Service.Snapshot.
func (l *Live) QueueChanged(ctx context.Context, queueID pulid.ID) (<-chan *queue.Snapshot, error) {
	first, err := l.queue.Snapshot(ctx, queueID)
	if err != nil {
		return nil, err
	}
	return watch(ctx, l, queueTopic(queueID), first, func(ctx context.Context) (*queue.Snapshot, error) {
		return l.queue.Snapshot(ctx, queueID)
	}), nil
}

// TicketChanged sends a ticket's state now and after every change of its queue. Errors: NOT_FOUND
// (missing, or another patient's ticket).
func (l *Live) TicketChanged(ctx context.Context, ticketID pulid.ID) (<-chan *queue.TicketUpdate, error) {
	first, err := l.queue.TicketUpdate(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	return watch(ctx, l, queueTopic(first.Ticket.QueueID), first, func(ctx context.Context) (*queue.TicketUpdate, error) {
		return l.queue.TicketUpdate(ctx, ticketID)
	}), nil
}

// PublicTicketStatus sends the public status now and after every change. Errors: NOT_FOUND.
func (l *Live) PublicTicketStatus(ctx context.Context, token string) (<-chan *queue.PublicStatus, error) {
	first, err := l.queue.PublicStatus(ctx, token)
	if err != nil {
		return nil, err
	}
	if first == nil {
		return nil, cqerr.E(cqerr.NotFound, "no ticket has this link; check the SMS")
	}
	return watch(ctx, l, queueTopic(first.QueueID()), first, func(ctx context.Context) (*queue.PublicStatus, error) {
		return l.queue.PublicStatus(ctx, token)
	}), nil
}

// BoardChanged sends a department's board now and after every change. Errors: NOT_FOUND.
func (l *Live) BoardChanged(ctx context.Context, departmentID pulid.ID) (<-chan *queue.Board, error) {
	first, err := l.queue.Board(ctx, departmentID)
	if err != nil {
		return nil, err
	}
	return watch(ctx, l, departmentTopic(departmentID), first, func(ctx context.Context) (*queue.Board, error) {
		return l.queue.Board(ctx, departmentID)
	}), nil
}
