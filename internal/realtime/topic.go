package realtime

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/telemetry"
)

// maxLinks bounds the commits one delivery span links to (a burst is coalesced into one read).
const maxLinks = 32

// watcher is one subscription: it picks its part of a state and keeps the newest unsent one.
type watcher interface {
	// offer hands the watcher a state; order increases with newer states. since is when the oldest
	// change the state is the first to show was committed (zero for a first state or a resync).
	offer(state any, order int64, since time.Time)
	// ticket is the ticket the watcher follows, if any (re-read on a resync, in case it closed).
	ticket() pulid.ID
}

// topic is one queue or department watched on this replica. Its worker reads the state once per
// change, coalescing bursts, and offers it to every watcher.
type topic struct {
	live  *Live
	name  string
	id    pulid.ID
	board bool
	ctx   context.Context
	stop  context.CancelFunc
	wakec chan struct{}
	// read1 is closed once the topic's first read has ended, offered or failed (see firstFromTopic).
	read1     chan struct{}
	read1Once sync.Once

	mu       sync.Mutex
	refs     int // guarded by live.mu
	watchers map[watcher]struct{}
	version  int // last version read (queue topics)
	seq      int64
	touched  map[pulid.ID]struct{}
	appts    []pulid.ID // appointments the events since the last read named
	full     bool       // re-read every followed ticket: a change may have been missed
	changed  bool       // an event arrived since the last read (not only the periodic resync)
	// Boards: shown is each queue's version on the last board read; pending, the newest version of each
	// queue that events named and no board read has shown yet. An event already shown is not a change.
	shown   map[pulid.ID]int
	pending map[pulid.ID]int
	links   []trace.Link // the commits the next read delivers (when tracing)
	since   time.Time    // commit time of the oldest event not yet read (zero when none carried one)
	// state is the newest state offered, with its order; a late joiner gets it at once.
	state any
	order int64
	// rendered is the newest board's encoding: a board read that renders the same is not offered, so
	// the periodic refresh (boards drop calls as they age) sends nothing when nothing changed.
	rendered []byte
}

func newTopic(ctx context.Context, l *Live, name string, id pulid.ID) *topic {
	ctx, stop := context.WithCancel(ctx)
	return &topic{live: l, name: name, id: id, board: strings.HasPrefix(name, "d:"), ctx: ctx, stop: stop,
		wakec: make(chan struct{}, 1), read1: make(chan struct{}), pending: map[pulid.ID]int{}, watchers: map[watcher]struct{}{}, touched: map[pulid.ID]struct{}{}, full: true}
}

func (t *topic) wake() {
	select {
	case t.wakec <- struct{}{}:
	default:
	}
}

func (t *topic) event(e queue.Event) {
	t.mu.Lock()
	switch {
	case t.board:
		if e.Version > 0 && e.Version <= t.shown[e.QueueID] {
			shown, watchers := t.shown[e.QueueID], len(t.watchers)
			t.mu.Unlock()
			t.deliveredEarlier(e, shown, watchers)
			return // a board read already showed it
		}
		if v, ok := t.pending[e.QueueID]; !ok || e.Version > v {
			t.pending[e.QueueID] = e.Version
		}
	case e.Version <= t.version:
		version, watchers := t.version, len(t.watchers)
		t.mu.Unlock()
		t.deliveredEarlier(e, version, watchers)
		return // already read
	case e.Version > t.version+1:
		t.full = true // a gap: some change never reached us
	}
	for _, id := range e.TicketIDs {
		t.touched[id] = struct{}{}
	}
	t.appts = append(t.appts, e.AppointmentIDs...)
	t.changed = true
	if l, ok := telemetry.Link(e.Trace); ok && len(t.links) < maxLinks {
		t.links = append(t.links, l)
	}
	if !e.At.IsZero() && (t.since.IsZero() || e.At.Before(t.since)) {
		t.since = e.At
	}
	t.mu.Unlock()
	t.wake()
}

// deliveredEarlier records, when tracing, that e's change reached the watchers before e did: a read
// already under way (or the version check) found its version first. Without it the commit's trace
// would show no delivery at all, as if its watchers had never heard of it.
func (t *topic) deliveredEarlier(e queue.Event, version, watchers int) {
	tr := t.live.tracer
	l, ok := telemetry.Link(e.Trace)
	if tr == nil || !ok {
		return
	}
	_, span := tr.Start(t.ctx, "realtime deliver", trace.WithLinks(l), trace.WithAttributes(
		attribute.Bool("carequeue.topic.board", t.board),
		attribute.Int("carequeue.topic.watchers", watchers),
		attribute.Int("carequeue.topic.events", 1),
		attribute.Bool("carequeue.topic.read_earlier", true),
		attribute.Int("carequeue.topic.version", version),
	))
	span.End()
}

func (t *topic) resync() {
	t.mu.Lock()
	t.full = true
	t.mu.Unlock()
	t.wake()
}

func (t *topic) lastVersion() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.version
}

func (t *topic) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.watchers)
}

func (t *topic) add(w watcher) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.watchers[w] = struct{}{}
	if t.state != nil {
		w.offer(t.state, t.order, time.Time{})
	}
}

func (t *topic) remove(w watcher) {
	t.mu.Lock()
	delete(t.watchers, w)
	t.mu.Unlock()
	if c, ok := w.(interface{ close() }); ok {
		c.close()
	}
}

// work reads and offers states until the topic is stopped.
func (t *topic) work() {
	for {
		select {
		case <-t.ctx.Done():
			return
		case <-t.wakec:
		}
		err := t.read()
		t.read1Once.Do(func() { close(t.read1) })
		if err != nil && t.ctx.Err() == nil {
			t.live.log.Warn("reading state for watchers", "topic", t.name, "err", err)
		}
	}
}

func (t *topic) read() error {
	t.mu.Lock()
	touched := make([]pulid.ID, 0, len(t.touched))
	for id := range t.touched {
		touched = append(touched, id)
	}
	if t.full {
		for w := range t.watchers {
			if id := w.ticket(); id != "" {
				touched = append(touched, id)
			}
		}
	}
	clear(t.touched)
	appts := t.appts
	t.appts = nil
	// After a resync (a change may have been missed) the queue is read whole, not from the last state.
	prev, _ := t.state.(*queue.State)
	if t.full {
		prev = nil
	}
	t.full = false
	changed := t.changed
	t.changed = false
	t.seq++
	seq := t.seq
	links := t.links
	t.links = nil
	watchers := len(t.watchers)
	since := t.since
	t.since = time.Time{}
	t.mu.Unlock()

	ctx := auth.SystemContext(t.ctx)
	if tr := t.live.tracer; tr != nil {
		var span trace.Span
		ctx, span = tr.Start(ctx, "realtime deliver", trace.WithLinks(links...), trace.WithAttributes(
			attribute.Bool("carequeue.topic.board", t.board),
			attribute.Int("carequeue.topic.watchers", watchers),
			attribute.Int("carequeue.topic.events", len(links)),
		))
		defer span.End()
	}
	if t.board {
		b, versions, err := t.live.queue.BoardVersions(ctx, t.id)
		if err != nil {
			return err
		}
		// The events this board shows are its change, whether they arrived before the read or during
		// it (they came after their commits); those it does not show yet stay for the read they woke.
		// Without versions (a torn read) nothing is known to be shown. (The first read of a topic is
		// no change: it is the board its first watchers were just given.)
		t.mu.Lock()
		if versions != nil {
			for q, v := range t.pending {
				if shown, ok := versions[q]; !ok || shown >= v { // !ok: the queue left the department
					delete(t.pending, q)
					changed = true
				}
			}
			// A version that moved since the last board is a change too, its event not here yet (it
			// will find itself shown): the read is the one that delivers it.
			if t.shown != nil {
				for q, v := range versions {
					if v > t.shown[q] {
						changed = true
					}
				}
			}
			t.shown = versions
		}
		t.changed = len(t.pending) > 0
		t.mu.Unlock()
		// A change in the department is offered even when the board's own entries read the same:
		// what a watcher selects through it (the department's needs-attention list, resolved at
		// delivery) may have changed. Only the periodic refresh is held back when nothing moved.
		if t.unchanged(b) && !changed {
			return nil
		}
		if changed {
			b.Change = seq // not the board just sent, for the watchers' own check (sub.same)
		}
		t.offer(b, seq, since)
		return nil
	}
	st, err := t.live.queue.ReadState(ctx, t.id, touched, appts, prev)
	if err != nil {
		return err
	}
	t.mu.Lock()
	if st.Version() > t.version {
		t.version = st.Version()
	}
	t.mu.Unlock()
	t.offer(st, int64(st.Version()), since)
	return nil
}

// unchanged reports whether board renders as the last one did, and remembers it. Boards carry no
// version (they span a department's queues and age by the clock), so their encoding is compared: the
// fields a watcher can select are all in it.
func (t *topic) unchanged(board *queue.Board) bool {
	enc, err := json.Marshal(board)
	if err != nil {
		return false // cannot tell: send
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	same := bytes.Equal(enc, t.rendered)
	t.rendered = enc
	return same
}

func (t *topic) offer(state any, order int64, since time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if order < t.order {
		return // a slower read finished after a newer one
	}
	t.state, t.order = state, order
	for w := range t.watchers {
		w.offer(state, order, since)
	}
}

// sub is a watcher feeding one GraphQL subscription channel.
type sub[T any] struct {
	mu       sync.Mutex
	ch       chan T
	sent     int64
	closed   bool
	followed pulid.ID
	pick     func(state any) (T, bool)
	// same, when set, drops a value equal to the last one pushed: for states without a version of
	// their own (boards), whose newer order alone does not mean a change.
	same     func(a, b T) bool
	last     T
	delivery *Delivery // may be nil
	wake     func()    // Ready's: after a value is sent and on close; may be nil
}

// newSub returns the watcher of one subscription; ctx is the subscription's, which may carry a
// Delivery (WithDelivery).
func newSub[T any](ctx context.Context, followed pulid.ID, pick func(state any) (T, bool)) *sub[T] {
	s := &sub[T]{ch: make(chan T, 1), sent: -1, followed: followed, pick: pick, delivery: deliveryFrom(ctx)}
	if r := readyFrom(ctx); r != nil {
		s.wake = r.register(s.pending)
	}
	return s
}

// pending reports whether a read of s.ch returns at once.
func (s *sub[T]) pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed || len(s.ch) > 0
}

func (s *sub[T]) ticket() pulid.ID { return s.followed }

// started reports whether a value was pushed yet.
func (s *sub[T]) started() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent >= 0
}

func (s *sub[T]) offer(state any, order int64, since time.Time) {
	v, ok := s.pick(state)
	if !ok || !s.send(v, order) {
		return
	}
	if !since.IsZero() && s.delivery != nil {
		s.delivery.mark(since)
	}
	if s.wake != nil {
		s.wake() // after mark: the reader it wakes takes the delivery's time
	}
}

// push is send, then wakes the subscription's reader (Ready) when v was kept.
func (s *sub[T]) push(v T, order int64) bool {
	if !s.send(v, order) {
		return false
	}
	if s.wake != nil {
		s.wake()
	}
	return true
}

// send keeps v as the newest unsent value unless a newer one was sent already, and reports whether it
// did. Only send sends, under s.mu, so after draining a stale value the send cannot block.
func (s *sub[T]) send(v T, order int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || order <= s.sent {
		return false
	}
	if s.same != nil && s.sent >= 0 && s.same(s.last, v) {
		s.sent = order
		return false
	}
	s.sent, s.last = order, v
	select {
	case s.ch <- v:
	default:
		select {
		case <-s.ch:
		default:
		}
		s.ch <- v
	}
	return true
}

func (s *sub[T]) close() {
	s.mu.Lock()
	closed := !s.closed
	if closed {
		s.closed = true
		close(s.ch)
	}
	s.mu.Unlock()
	if closed && s.wake != nil {
		s.wake()
	}
}
