package realtime

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/queue"
)

// TicketChanges sends the tickets of the queues as they change: first, once every queue has been
// read, their open tickets (maybe none), then each ticket again whenever key(ticket) changes (key
// returns a comparable value of what the reader shows: bookkeeping updates, such as what a patient was
// last told, send nothing), closed tickets once with their final status. Each ticket carries its queue, service point and events (in
// time order). Unlike the other subscriptions nothing is skipped for a slow reader: it receives every
// ticket that changed, in its newest state. The events are read once per change and replica, whatever
// the number of watchers.
//
// The tickets are read past the privacy rules: the caller checks that the viewer may see every queue.
func (l *Live) TicketChanges(ctx context.Context, queueIDs []pulid.ID, key func(*ent.Ticket) any) (<-chan []*ent.Ticket, error) {
	w := &changes{queues: len(queueIDs), seen: map[pulid.ID]bool{}, pending: map[pulid.ID]changed{}, wake: make(chan struct{}, 1),
		delivery: deliveryFrom(ctx)}
	if err := l.attachQueues(ctx, queueIDs, w); err != nil {
		return nil, err
	}
	out := make(chan []*ent.Ticket)
	go w.run(ctx, l, key, out)
	return out, nil
}

// changed is a ticket with the state it came in, whose events it shares.
type changed struct {
	ticket *ent.Ticket
	state  *queue.State
}

// changes is the watcher of TicketChanges: it merges the tickets of every state it is offered, by
// ticket, so that coalescing states loses no ticket.
type changes struct {
	queues   int
	delivery *Delivery // the subscription's fan-out latency, when the transport measures it

	mu      sync.Mutex
	seen    map[pulid.ID]bool // the queues offered a state so far
	pending map[pulid.ID]changed
	since   time.Time // commit time of the oldest change pending (zero when none carried one)
	wake    chan struct{}
}

func (c *changes) ticket() pulid.ID { return "" }

func (c *changes) offer(state any, _ int64, since time.Time) {
	st, ok := state.(*queue.State)
	if !ok {
		return
	}
	c.mu.Lock()
	c.seen[st.Snapshot.Queue.ID] = true
	if !since.IsZero() && (c.since.IsZero() || since.Before(c.since)) {
		c.since = since
	}
	for _, t := range st.Tickets() {
		c.pending[t.ID] = changed{ticket: t, state: st}
	}
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// take returns the pending tickets with the commit time of the oldest change among them, or false
// until every queue has been offered a state.
func (c *changes) take() ([]changed, time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) < c.queues {
		return nil, time.Time{}, false
	}
	out := make([]changed, 0, len(c.pending))
	for _, p := range c.pending {
		out = append(out, p)
	}
	clear(c.pending)
	since := c.since
	c.since = time.Time{}
	return out, since, true
}

// forgetAfter is how long a closed ticket's last state is remembered so that a state read again
// does not send it twice; closed tickets change no more.
const forgetAfter = time.Hour

func (c *changes) run(ctx context.Context, l *Live, key func(*ent.Ticket) any, out chan<- []*ent.Ticket) {
	defer close(out)
	sent := map[pulid.ID]sentAs{} // each ticket's key when last sent
	first := true
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
		}
		batch, since, ready := c.take()
		if !ready {
			continue
		}
		var send []*ent.Ticket
		for _, p := range batch {
			t := p.ticket
			k := key(t)
			if was, ok := sent[t.ID]; ok && was.key == k {
				continue // nothing the reader shows changed
			}
			evs, err := p.state.Events(ctx)
			if err != nil {
				l.log.WarnContext(ctx, "reading ticket events for a change feed", "err", err)
			}
			cp := *t // the state's ticket is shared by every watcher
			cp.Edges.Events = evs[t.ID]
			send = append(send, &cp)
			sent[t.ID] = sentAs{key: k, at: t.UpdatedAt, closed: t.EndedAt != nil}
		}
		forget(sent, time.Now().Add(-forgetAfter))
		if !sendChanges(ctx, out, send, &first, since, c.delivery, func(t *ent.Ticket) pulid.ID { return t.ID }) {
			return
		}
	}
}

// attachQueues attaches w to the topics of the queues.
func (l *Live) attachQueues(ctx context.Context, queueIDs []pulid.ID, w watcher) error {
	for _, id := range queueIDs {
		if err := l.attach(ctx, QueueTopic(id), id, w); err != nil {
			return err
		}
	}
	return nil
}

// sendChanges sends one message of a change feed, in id order: the first message even when empty,
// later ones only with something in them. It reports false when ctx ended.
func sendChanges[T any](ctx context.Context, out chan<- []T, send []T, first *bool, since time.Time, d *Delivery, id func(T) pulid.ID) bool {
	if len(send) == 0 && !*first {
		return true
	}
	*first = false
	slices.SortFunc(send, func(a, b T) int { return strings.Compare(string(id(a)), string(id(b))) })
	if len(send) > 0 && !since.IsZero() && d != nil {
		d.mark(since) // a change that sends nothing (bookkeeping) is not a delivery
	}
	select {
	case out <- send:
		return true
	case <-ctx.Done():
		return false
	}
}

type sentAs struct {
	key    any
	at     time.Time
	closed bool
}

// forget drops closed tickets last changed before cutoff. Open tickets stay: every state offers them
// again, changed or not.
func forget(sent map[pulid.ID]sentAs, cutoff time.Time) {
	for id, s := range sent {
		if s.closed && s.at.Before(cutoff) {
			delete(sent, id)
		}
	}
}
