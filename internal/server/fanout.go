package server

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/internal/audit/reads"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/realtime"
)

// fanout runs each distinct subscription once per replica, as Hasura multiplexes live queries: the
// WebSocket subscriptions whose results cannot differ — the same document, operation and variables,
// and a viewer with the same rights (viewerRights) — form a group that executes once per change through
// gqlgen's own executor (the operation handler of its first member, under a context of the group's),
// encodes the response once, and hands it to every member. Members write the encoded response as it is
// (gorillaConn.writeSpliced): per member, a change costs a socket write, not an execution and two JSON
// encodings.
//
// It must be the last operation interceptor: the ones before it (tracing, the read trail, the
// connection's limits) run for every member, the executor and the response interceptors once per group.
// Each member keeps only the newest response it has not sent, as realtime's watchers do. That suits a
// subscription whose every message is a whole state; one whose messages are changes (unshared) runs
// once per subscriber.
type fanout struct {
	mu       sync.Mutex
	groups   map[groupKey]*group
	unshared map[string]bool // Subscription fields never grouped

	executions prometheus.Counter
	deliveries prometheus.Counter
	gauge      prometheus.GaugeFunc
}

var (
	_ graphql.HandlerExtension     = (*fanout)(nil)
	_ graphql.OperationInterceptor = (*fanout)(nil)
)

func newFanout(unshared map[string]bool) *fanout {
	f := &fanout{groups: map[groupKey]*group{}, unshared: unshared,
		executions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "carequeue_subscription_executions_total",
			Help: "Subscription responses executed and encoded: once per change for each group of identical subscriptions (same document, variables and viewer rights).",
		}),
		deliveries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "carequeue_subscription_deliveries_total",
			Help: "Subscription responses handed to subscribers; over carequeue_subscription_executions_total, the sharing achieved.",
		}),
	}
	f.gauge = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "carequeue_subscription_groups",
		Help: "Distinct subscriptions running on this process (each executes once per change for all its subscribers).",
	}, func() float64 { return float64(f.count()) })
	return f
}

func (f *fanout) collectors() []prometheus.Collector {
	return []prometheus.Collector{f.executions, f.deliveries, f.gauge}
}

func (f *fanout) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.groups)
}

// ExtensionName implements graphql.HandlerExtension.
func (*fanout) ExtensionName() string { return "CareQueueFanout" }

// Validate implements graphql.HandlerExtension.
func (*fanout) Validate(graphql.ExecutableSchema) error { return nil }

// groupKey is what a subscription's results depend on.
type groupKey struct {
	query, operation, variables string
	viewer                      string
}

// viewerRights is the part of the viewer that what a subscription may see depends on (the privacy
// rules in ent/schema/rule, the field scopes of graph.ClientScopes, the services' role checks): staff
// see by role and facility; a patient, a kiosk, an API client (and any role added later) are
// themselves, with their scopes. Two viewers with different rights never share a group.
func viewerRights(ctx context.Context) string {
	v, ok := auth.FromContext(ctx)
	if !ok {
		return "anonymous"
	}
	switch v.Role {
	case auth.RoleAdmin, auth.RoleReceptionist, auth.RoleClinician:
		return string(v.Role) + "\x00" + string(v.FacilityID)
	default:
		scopes := make([]string, len(v.Scopes))
		for i, s := range v.Scopes {
			scopes[i] = string(s)
		}
		slices.Sort(scopes)
		return strings.Join(append([]string{string(v.Role), string(v.FacilityID), string(v.UserID), string(v.ClientID)}, scopes...), "\x00")
	}
}

// InterceptOperation implements graphql.OperationInterceptor.
func (f *fanout) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	rc := graphql.GetOperationContext(ctx)
	c := wsConnFrom(ctx)
	if rc.Operation == nil || rc.Operation.Operation != ast.Subscription || c == nil || rc.RawQuery == "" ||
		f.selectsUnshared(rc.Operation.SelectionSet) {
		return next(ctx)
	}
	vars, err := json.Marshal(rc.Variables) // map keys sorted: one spelling per value
	if err != nil {
		return next(ctx)
	}
	key := groupKey{query: rc.RawQuery, operation: rc.OperationName, variables: string(vars), viewer: viewerRights(ctx)}
	id, _ := ctx.Value(subscriptionIDKey{}).(string)
	m := &member{ctx: ctx, id: id, sock: c.socket(), push: leanPushFrom(ctx)}
	if m.sock != nil {
		m.slot = m.sock.Subprotocol() + "\x00" + id
	}

	f.mu.Lock()
	g := f.groups[key]
	lead := g == nil
	if lead {
		g = newGroup(f, key, ctx)
		f.groups[key] = g
	}
	g.join(m)
	f.mu.Unlock()
	context.AfterFunc(ctx, func() { f.leave(g, m) })

	if lead {
		// The first member's handler chain, run under the group's context: the resolver checks this
		// viewer's rights, which every member shares by the key. Synchronous, as gqlgen runs it.
		g.ready(next(g.ctx))
	}
	if m.push != nil {
		// leanWebsocket: the group drives its stream itself and tells the member's connection of each
		// frame, which then asks the member's handler for it (poll) without waiting.
		m.push.pushed = true
		g.pushTo(m)
		return m.poll(g)
	}
	return m.next(g)
}

// selectsUnshared reports whether a subscription's root selection holds an unshared field.
func (f *fanout) selectsUnshared(set ast.SelectionSet) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if f.unshared[s.Name] {
				return true
			}
		case *ast.InlineFragment:
			if f.selectsUnshared(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && f.selectsUnshared(s.Definition.SelectionSet) {
				return true
			}
		}
	}
	return false
}

func (f *fanout) leave(g *group, m *member) {
	if m.sock != nil {
		m.sock.unsplice(m.token) // the member's goroutine has returned or waits no more: token is settled
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if g.leave(m) == 0 {
		if f.groups[g.key] == g {
			delete(f.groups, g.key)
		}
		g.cancel() // the subscription's resolver and its watcher end with it
	}
}

// group is one distinct subscription and its members.
type group struct {
	fan    *fanout
	key    groupKey
	ctx    context.Context
	cancel context.CancelFunc
	read   *reads.Set // the patients the group's execution read, handed to every member's trail
	// delivery collects the commit times the group's responses show, handed to every member's own
	delivery *realtime.Delivery

	mu      sync.Mutex
	h       graphql.ResponseHandler // the group's stream of responses, set once the resolver ran
	driving bool                    // a member is waiting on h for the next response (or h is not set)
	seq     int64
	members int
	slots   map[string]int // members by protocol and id: a frame several share is prepared once
	latest  *frame
	done    bool
	changed chan struct{} // closed and replaced on every new frame, driver change and end
	pushers map[*member]struct{}
	pushing bool // the group's own goroutine drives its stream (it has pushed members)
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
	return g
}

func (g *group) join(m *member) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.members++
	if m.slot != "" {
		if g.slots == nil {
			g.slots = map[string]int{}
		}
		g.slots[m.slot]++
	}
}

func (g *group) leave(m *member) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.pushers, m)
	g.members--
	if m.slot != "" {
		if g.slots[m.slot]--; g.slots[m.slot] <= 0 {
			delete(g.slots, m.slot)
		}
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
	if g.pushers == nil {
		g.pushers = map[*member]struct{}{}
	}
	g.pushers[m] = struct{}{}
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

// wake is the group's realtime.Ready hook: a response is waiting on its stream (or it ended). With
// pushed members and no driver, a goroutine reads what is waiting and ends: an idle group has none.
func (g *group) wake() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.waking || g.h == nil || len(g.pushers) == 0 || !g.waiting.Known() {
		return
	}
	g.waking = true
	go g.wakeDrive()
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
		for p := range g.pushers {
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
	return g.h(driven{Context: ctx, values: g.ctx}), false
}

// driven is the group's context (the first member's viewer and operation, the group's read set and
// delivery) ending with the member that drives it: if that member leaves, its wait ends, not the group.
type driven struct {
	context.Context
	values context.Context
}

func (d driven) Value(key any) any { return d.values.Value(key) }

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

// member is one subscriber of a group.
type member struct {
	ctx   context.Context // the subscription's: ends with it
	id    string
	sock  *gorillaConn
	slot  string
	seen  int64
	token uint64   // the last frame spliced
	push  *leanSub // set when leanWebsocket pushes the member's frames
}

// next returns the member's response handler: the group's newest frame it has not had, waiting for one
// (or driving the group's stream to get it).
func (m *member) next(g *group) graphql.ResponseHandler {
	return func(context.Context) *graphql.Response {
		for m.ctx.Err() == nil {
			g.mu.Lock()
			if fr, shared := m.unseen(g); fr != nil {
				g.mu.Unlock()
				return m.deliver(g, fr, shared)
			}
			if g.done {
				g.mu.Unlock()
				return nil
			}
			if !g.driving {
				g.driving = true
				g.mu.Unlock()
				g.drive(m.ctx)
				continue
			}
			changed := g.changed
			g.mu.Unlock()
			select {
			case <-changed:
			case <-m.ctx.Done():
			}
		}
		return nil
	}
}

// unseen returns the group's newest frame m has not had, now had, and whether other members send the
// same bytes (shared); g.mu is held.
func (m *member) unseen(g *group) (fr *frame, shared bool) {
	if fr := g.latest; fr != nil && fr.seq > m.seen {
		m.seen = fr.seq
		return fr, g.slots[m.slot] > 1
	}
	return nil, false
}

// poll returns a pushed member's response handler: the group's newest frame it has not had, or nil at
// once, with push.skip set when that is not the end (the connection was told of a frame it has since
// written).
func (m *member) poll(g *group) graphql.ResponseHandler {
	return func(context.Context) *graphql.Response {
		g.mu.Lock()
		if fr, shared := m.unseen(g); fr != nil {
			g.mu.Unlock()
			return m.deliver(g, fr, shared)
		}
		done := g.done
		g.mu.Unlock()
		m.push.skip = !done && m.ctx.Err() == nil
		return nil
	}
}

func (m *member) deliver(g *group, fr *frame, shared bool) *graphql.Response {
	g.fan.deliveries.Inc()
	if s := reads.From(m.ctx); s != nil && len(fr.reads) > 0 {
		s.Add(fr.reads...) // the member's read trail records what its answer holds
	}
	if d := realtime.DeliveryFrom(m.ctx); d != nil && fr.changed {
		d.Mark(fr.since) // the member's fan-out latency (carequeue_realtime_fanout_seconds)
	}
	switch {
	case fr.payload == nil:
		return fr.resp
	case m.push != nil: // leanWebsocket writes the frame itself
		m.push.frame = &splicedFrame{fr: fr, shared: shared}
		return &graphql.Response{Data: spliceMarker(0)}
	case m.sock == nil: // not a gorilla socket (cannot happen on /graphql): gqlgen encodes it
		var resp graphql.Response
		if err := json.Unmarshal(fr.payload, &resp); err != nil {
			return &graphql.Response{Errors: gqlerror.List{{Message: "internal error", Extensions: map[string]any{"code": string(cqerr.Internal)}}}}
		}
		return &resp
	}
	m.token = m.sock.splice(splicedFrame{fr: fr, shared: shared})
	return &graphql.Response{Data: spliceMarker(m.token)}
}

// spliceMarker is what gqlgen encodes in place of a spliced frame: the socket recognises it by the exact
// bytes (GraphQL reserves names starting with "__", and a subscription's field is an object, never a
// number) and writes the frame instead.
func spliceMarker(token uint64) json.RawMessage {
	return append(strconv.AppendUint([]byte(`{"__fanout":`), token, 10), '}')
}

const splicePrefix = `{"data":{"__fanout":`

// splicedFrame is a group's frame waiting to be written by one member's socket.
type splicedFrame struct {
	fr     *frame
	shared bool
}

// parts returns the protocol's data message for id around the encoded payload: together, byte for byte
// what gorilla's WriteJSON of gqlgen's message is.
func (s splicedFrame) parts(protocol, id string) (head, payload, tail []byte) {
	typ := "next"
	if protocol != "graphql-transport-ws" {
		typ = "data" // the legacy graphql-ws protocol
	}
	quoted, _ := json.Marshal(id)
	tail = make([]byte, 0, len(quoted)+24)
	tail = append(tail, `,"id":`...)
	tail = append(tail, quoted...)
	tail = append(tail, `,"type":"`...)
	tail = append(tail, typ...)
	tail = append(tail, "\"}\n"...)
	return []byte(`{"payload":`), s.fr.payload, tail
}

// prepared returns the frame's PreparedMessage for protocol and id, made once for all the members that
// send it.
func (s splicedFrame) prepared(protocol, id string) (*websocket.PreparedMessage, error) {
	slot := protocol + "\x00" + id
	s.fr.mu.Lock()
	defer s.fr.mu.Unlock()
	if pm := s.fr.prepared[slot]; pm != nil {
		return pm, nil
	}
	head, payload, tail := s.parts(protocol, id)
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, slices.Concat(head, payload, tail))
	if err != nil {
		return nil, err
	}
	if s.fr.prepared == nil {
		s.fr.prepared = map[string]*websocket.PreparedMessage{}
	}
	s.fr.prepared[slot] = pm
	return pm, nil
}

// socket returns the connection's upgraded socket, if any.
func (c *wsConn) socket() *gorillaConn {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sock
}

// splice keeps fr for the data message whose payload carries spliceMarker(token).
func (c *gorillaConn) splice(fr splicedFrame) (token uint64) {
	c.smu.Lock()
	defer c.smu.Unlock()
	if c.spliced == nil {
		c.spliced = map[uint64]splicedFrame{}
	}
	c.tokens++
	c.spliced[c.tokens] = fr
	return c.tokens
}

// unsplice drops a frame never written (its subscription ended first).
func (c *gorillaConn) unsplice(token uint64) {
	c.smu.Lock()
	defer c.smu.Unlock()
	delete(c.spliced, token)
}

// spliced reports whether v is gqlgen's data message carrying a splice marker, and takes its frame
// (found false: its subscription ended, nothing is to be sent).
func (c *gorillaConn) takeSpliced(v any) (s splicedFrame, id string, marker, found bool) {
	id, typ, payload := messageFields(v)
	if (typ != "next" && typ != "data") || !bytes.HasPrefix(payload, []byte(splicePrefix)) || !bytes.HasSuffix(payload, []byte("}}")) {
		return s, "", false, false
	}
	token, err := strconv.ParseUint(string(payload[len(splicePrefix):len(payload)-2]), 10, 64)
	if err != nil {
		return s, "", false, false
	}
	c.smu.Lock()
	defer c.smu.Unlock()
	s, found = c.spliced[token]
	delete(c.spliced, token)
	return s, id, true, found
}

// messageFields reads the ID, Type and Payload fields of gqlgen's (unexported) protocol message structs.
func messageFields(v any) (id, typ string, payload []byte) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return "", "", nil
	}
	if f := rv.FieldByName("ID"); f.IsValid() && f.Kind() == reflect.String {
		id = f.String()
	}
	if f := rv.FieldByName("Type"); f.IsValid() && f.Kind() == reflect.String {
		typ = f.String()
	}
	if f := rv.FieldByName("Payload"); f.IsValid() && f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Uint8 {
		payload = f.Bytes()
	}
	return id, typ, payload
}

// writeSpliced writes a group's encoded frame: one PreparedMessage for the members that send the same
// bytes (same protocol and id), else the parts copied into the socket's pooled write buffer.
func (c *gorillaConn) writeSpliced(s splicedFrame, id string) error {
	protocol := c.conn.Subprotocol()
	if s.shared {
		pm, err := s.prepared(protocol, id)
		if err != nil {
			return err
		}
		return c.conn.WritePreparedMessage(pm)
	}
	w, err := c.conn.NextWriter(websocket.TextMessage)
	if err != nil {
		return err
	}
	head, payload, tail := s.parts(protocol, id)
	for _, b := range [][]byte{head, payload, tail} {
		if _, err := w.Write(b); err != nil {
			_ = w.Close()
			return err
		}
	}
	return w.Close()
}
