package realtime

import (
	"context"
	"sync"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/queue"
)

// AppointmentChanges sends the appointments of the queues as they change: first, once every queue has
// been read, their current appointments (queue.State.Appointments: booked for the facility's today,
// those of the queue's tickets, those the last change named; maybe none), then each appointment again
// whenever key(appointment) changes; final reports a status that changes no more. Appointment changes
// reach it as queue changes: a check-in or the end of its ticket through the workflows, a booking or
// an edit through queue.Service.ChangeAppointments. Like TicketChanges nothing is skipped for a slow
// reader: it receives every appointment that changed, in its newest state. Each state's appointments
// are read once per replica, whatever the number of watchers (a reader that lagged behind several
// states also reads, once, the appointments only the skipped ones named).
//
// The appointments are read past the privacy rules: the caller checks that the viewer may see every
// queue.
func (l *Live) AppointmentChanges(ctx context.Context, queueIDs []pulid.ID, key func(*ent.Appointment) (k any, final bool)) (<-chan []*ent.Appointment, error) {
	w := &apptChanges{queues: len(queueIDs), newest: map[pulid.ID]*queue.State{}, missed: map[pulid.ID]map[pulid.ID]bool{},
		seen: map[pulid.ID]bool{}, wake: make(chan struct{}, 1), delivery: deliveryFrom(ctx)}
	if err := l.attachQueues(ctx, queueIDs, w); err != nil {
		return nil, err
	}
	out := make(chan []*ent.Appointment)
	go w.run(ctx, l, key, out)
	return out, nil
}

// apptChanges is the watcher of AppointmentChanges: it keeps each queue's newest state and, from the
// states that newer ones replaced before it read them, the appointments they named.
type apptChanges struct {
	queues   int
	delivery *Delivery

	mu     sync.Mutex
	newest map[pulid.ID]*queue.State      // by queue, the newest state not read yet
	missed map[pulid.ID]map[pulid.ID]bool // by queue, appointments named by replaced states
	since  time.Time                      // commit time of the oldest change pending
	wake   chan struct{}
	seen   map[pulid.ID]bool // the queues offered a state so far
}

func (c *apptChanges) ticket() pulid.ID { return "" }

func (c *apptChanges) offer(state any, _ int64, since time.Time) {
	st, ok := state.(*queue.State)
	if !ok {
		return
	}
	q := st.Snapshot.Queue.ID
	c.mu.Lock()
	c.seen[q] = true
	if old, ok := c.newest[q]; ok {
		if c.missed[q] == nil {
			c.missed[q] = map[pulid.ID]bool{}
		}
		for _, id := range old.AppointmentIDs() {
			c.missed[q][id] = true
		}
	}
	c.newest[q] = st
	if !since.IsZero() && (c.since.IsZero() || since.Before(c.since)) {
		c.since = since
	}
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// take returns the pending states and missed appointments with the commit time of the oldest change
// among them, or false until every queue has been offered a state.
func (c *apptChanges) take() (map[pulid.ID]*queue.State, map[pulid.ID]map[pulid.ID]bool, time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) < c.queues {
		return nil, nil, time.Time{}, false
	}
	states, missed, since := c.newest, c.missed, c.since
	c.newest, c.missed, c.since = map[pulid.ID]*queue.State{}, map[pulid.ID]map[pulid.ID]bool{}, time.Time{}
	return states, missed, since, true
}

// read returns the appointments of the pending states and those only replaced states named.
func (c *apptChanges) read(ctx context.Context, l *Live, states map[pulid.ID]*queue.State, missed map[pulid.ID]map[pulid.ID]bool) []*ent.Appointment {
	var all []*ent.Appointment
	for q, st := range states {
		as, err := st.Appointments(ctx)
		if err != nil {
			l.log.WarnContext(ctx, "reading appointments for a change feed", "err", err)
		}
		all = append(all, as...)
		for _, a := range as {
			delete(missed[q], a.ID)
		}
		if len(missed[q]) == 0 {
			continue
		}
		ids := make([]pulid.ID, 0, len(missed[q]))
		for id := range missed[q] {
			ids = append(ids, id)
		}
		more, err := l.queue.Appointments(ctx, q, ids)
		if err != nil {
			l.log.WarnContext(ctx, "reading appointments for a change feed", "err", err)
		}
		all = append(all, more...)
	}
	return all
}

func (c *apptChanges) run(ctx context.Context, l *Live, key func(*ent.Appointment) (any, bool), out chan<- []*ent.Appointment) {
	defer close(out)
	sent := map[pulid.ID]sentAs{} // each appointment's key when last sent
	first := true
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
		}
		states, missed, since, ready := c.take()
		if !ready {
			continue
		}
		var send []*ent.Appointment
		now := time.Now()
		for _, a := range c.read(ctx, l, states, missed) {
			k, final := key(a)
			if was, ok := sent[a.ID]; ok && was.key == k {
				continue // nothing the reader shows changed
			}
			cp := *a // the state's appointment is shared by every watcher
			send = append(send, &cp)
			sent[a.ID] = sentAs{key: k, at: now, closed: final}
		}
		forget(sent, now.Add(-forgetAfter))
		if !sendChanges(ctx, out, send, &first, since, c.delivery, func(a *ent.Appointment) pulid.ID { return a.ID }) {
			return
		}
	}
}
