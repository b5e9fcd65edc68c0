package server

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/internal/audit/reads"
	"github.com/carequeue/carequeue/internal/realtime"
)

// group is one distinct subscription and its members.
type group struct {
	fan    *fanout
	key    groupKey
	ctx    context.Context
	values *memoValues // ctx's values, for the executions (driven)
	cancel context.CancelFunc
	read   *reads.Set // the patients the group's execution read, handed to every member's trail
	// delivery collects the commit times the group's responses show, handed to every member's own
	delivery *realtime.Delivery

	mu      sync.Mutex
	h       graphql.ResponseHandler // the group's stream of responses, set once the resolver ran
	driving bool                    // a member is waiting on h for the next response (or h is not set)
	seq     int64
	members int
	slots   slotCounts // members by protocol and id: a frame several share is prepared once
	latest  *frame
	done    bool
	changed chan struct{} // closed and replaced on every new frame, driver change and end
	pushers []*member     // each at its pushAt
	pushing bool          // the group's own goroutine drives its stream (it has pushed members)
	// waiting tells when the stream has a response waiting (a realtime watcher's channel): pushed members
	// are then served by a goroutine that exists only while there is something to read (wake).
	waiting *realtime.Ready
	waking  bool
}

func newGroup(f *fanout, key groupKey, first context.Context) *group {
	// The first member's values (viewer, request, operation) without its end: the group outlives it.
	ctx, cancel := context.WithCancel(context.WithoutCancel(first))
	ctx, read := reads.With(ctx)
	ctx, delivery := realtime.WithDelivery(ctx)
	g := &group{fan: f, key: key, cancel: cancel, read: read, delivery: delivery, driving: true, changed: make(chan struct{})}
	g.ctx, g.waiting = realtime.WithReady(ctx, g.wake)
	g.values = &memoValues{ctx: g.ctx}
	return g
}

func (g *group) join(m *member) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.members++
	if m.slot != "" {
		g.slots.add(m.slot, 1)
	}
}

func (g *group) leave(m *member) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if i := m.pushAt; i >= 0 && i < len(g.pushers) && g.pushers[i] == m {
		last := len(g.pushers) - 1
		moved := g.pushers[last] // into m's place (m itself when it is the last)
		g.pushers[i], moved.pushAt = moved, i
		g.pushers[last] = nil
		g.pushers = g.pushers[:last]
		m.pushAt = -1
	}
	g.members--
	if m.slot != "" {
		g.slots.add(m.slot, -1)
	}
	return g.members
}

// ready sets the group's response stream; its members may now drive it.
func (g *group) ready(h graphql.ResponseHandler) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.h, g.driving = h, false
	g.broadcast()
}

// broadcast wakes every waiting member; g.mu is held.
func (g *group) broadcast() {
	close(g.changed)
	g.changed = make(chan struct{})
}

// pushTo adds a pushed member (leanWebsocket): the group's own goroutine drives the stream from now on,
// and the member's connection is told at once when the group already has a frame or has ended.
func (g *group) pushTo(m *member) {
	g.mu.Lock()
	g.addPusher(m)
	now := g.latest != nil || g.done
	woken := g.waiting.Known()
	start := !woken && !g.pushing
	g.pushing = g.pushing || start
	g.mu.Unlock()
	switch {
	case woken:
		g.wake() // the resolver may have sent the first state already
	case start:
		go g.run()
	}
	if now {
		m.push.notify()
	}
}

// addPusher adds m to the pushed members (once); g.mu is held.
func (g *group) addPusher(m *member) {
	if m.pushAt < 0 {
		m.pushAt = len(g.pushers)
		g.pushers = append(g.pushers, m)
	}
}

// wake is the group's realtime.Ready hook: a response is waiting on its stream (or it ended). With
// pushed members and no driver, a goroutine reads what is waiting and ends: an idle group has none.
func (g *group) wake() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.waking || g.h == nil || len(g.pushers) == 0 || !g.waiting.Known() {
		return
	}
	g.waking = true
	taskWorkers.run(g.wakeDrive)
}

func (g *group) wakeDrive() {
	for {
		g.mu.Lock()
		// Pending under g.mu: a value sent after this check wakes a new reader once waking is false.
		if g.done || g.driving || g.ctx.Err() != nil || len(g.pushers) == 0 || !g.waiting.Pending() {
			g.waking = false
			g.mu.Unlock()
			return
		}
		g.driving = true
		g.mu.Unlock()
		g.drive(g.ctx)
	}
}

// run drives the group's stream while the group lasts: one goroutine per distinct subscription with
// pushed members, none per member.
func (g *group) run() {
	for g.ctx.Err() == nil {
		g.mu.Lock()
		if g.done {
			g.mu.Unlock()
			return
		}
		if g.driving { // a pulling member (gqlgen's transport) waits on the stream now
			changed := g.changed
			g.mu.Unlock()
			select {
			case <-changed:
			case <-g.ctx.Done():
			}
			continue
		}
		g.driving = true
		g.mu.Unlock()
		g.drive(g.ctx)
	}
}

// drive waits on the group's stream for its next response as the group's driver: the group's own
// goroutine (run) when it has pushed members, else one of its pulling members', whose ctx ends the wait
// (when that member leaves, another takes over the same stream).
func (g *group) drive(ctx context.Context) {
	resp, failed := g.next(ctx)
	var fr *frame
	if resp != nil {
		fr = &frame{resp: resp, reads: g.read.Take()}
		fr.since, fr.changed = g.delivery.Take()
		if len(resp.Errors) == 0 {
			// What gqlgen's transport would send, encoded once for every member.
			if b, err := json.Marshal(resp); err == nil {
				fr.payload, fr.resp = b, nil // resp.Data is the executor's buffer, reused for the next one
			}
		}
		if fr.resp != nil {
			cp := *resp
			cp.Data = slices.Clone(resp.Data)
			fr.resp = &cp
		}
		g.fan.executions.Inc()
	}
	ended := failed || resp == nil && ctx.Err() == nil && g.ctx.Err() == nil // the stream closed
	if ended {
		g.fan.mu.Lock()
		if g.fan.groups[g.key] == g {
			delete(g.fan.groups, g.key) // a later subscriber starts afresh
		}
		g.fan.mu.Unlock()
	}
	g.mu.Lock()
	g.driving = false
	if fr != nil {
		g.seq++
		fr.seq = g.seq
		g.latest = fr
	}
	g.done = g.done || ended
	g.broadcast()
	var tell []*leanSub
	if fr != nil || ended {
		tell = make([]*leanSub, 0, len(g.pushers))
		for _, p := range g.pushers {
			tell = append(tell, p.push)
		}
	}
	g.mu.Unlock()
	for _, s := range tell {
		s.notify()
	}
	if ctx != g.ctx {
		// A pulling member's wait ended (it left, or got a response): what came meanwhile is read for
		// the pushed members.
		g.wake()
	}
}

// next reads the group's stream. A panic ends the group with an INTERNAL error (the recover func
// reports it) instead of the process: the group's own goroutine has no transport around it.
func (g *group) next(ctx context.Context) (resp *graphql.Response, failed bool) {
	defer func() {
		if r := recover(); r != nil {
			resp, failed = &graphql.Response{Errors: gqlerror.List{recovered(g.ctx, graphql.GetOperationContext(g.ctx), r)}}, true
		}
	}()
	return g.h(driven{Context: ctx, values: g.values}), false
}

// driven is the group's context (the first member's viewer and operation, the group's read set and
// delivery) ending with the member that drives it: if that member leaves, its wait ends, not the group.
type driven struct {
	context.Context
	values *memoValues
}

func (d driven) Value(key any) any { return d.values.Value(key) }

// memoValues answers a context's Value lookups from the answers it already gave. The group's context
// is some thirty values deep (the request's, the connection's, the operation's), and gqlgen looks its
// own keys up through all of it several times per field, most finding nothing (8 % of the server's CPU
// with 10,000 distinct subscriptions). A context's values never change, so an answer stays true.
type memoValues struct {
	ctx  context.Context
	mu   sync.Mutex
	n    int
	keys [8]any // the first keys asked for: a group's execution asks for a handful, the same each time
	vals [8]any
}

func (m *memoValues) Value(key any) any {
	m.mu.Lock()
	for i := range m.n {
		if m.keys[i] == key {
			v := m.vals[i]
			m.mu.Unlock()
			return v
		}
	}
	m.mu.Unlock()
	v := m.ctx.Value(key)
	m.mu.Lock()
	if m.n < len(m.keys) {
		m.keys[m.n], m.vals[m.n] = key, v
		m.n++
	}
	m.mu.Unlock()
	return v
}

// frame is one response of a group.
type frame struct {
	seq     int64
	resp    *graphql.Response // when payload is nil
	reads   []string
	since   time.Time // the oldest commit the response shows, when changed
	changed bool
	payload []byte // resp encoded; nil when it carries errors (sent the ordinary way, rare)

	mu       sync.Mutex
	prepared map[string]*websocket.PreparedMessage // by slot, for slots several members share
}

// slotCounts counts a group's members by slot. The first slot is held inline: a distinct subscription's
// group has one member, and a map for it would cost a few hundred bytes per subscriber.
type slotCounts struct {
	first string
	n     int // members in first
	more  map[string]int
}

// add adds d members to slot (d < 0 removes them).
func (s *slotCounts) add(slot string, d int) {
	if s.n > 0 && slot == s.first || s.n == 0 && s.more[slot] == 0 {
		s.first = slot
		s.n += d
		return
	}
	if s.more == nil {
		s.more = map[string]int{}
	}
	if s.more[slot] += d; s.more[slot] <= 0 {
		delete(s.more, slot)
	}
}

// get returns the members in slot.
func (s *slotCounts) get(slot string) int {
	if s.n > 0 && slot == s.first {
		return s.n
	}
	return s.more[slot]
}
