package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// transportWS is the maintained GraphQL over WebSocket protocol (graphql-ws's graphql-transport-ws).
const transportWS = "graphql-transport-ws"

// leanWebsocket serves graphql-transport-ws on gorilla with gqlgen's executor, leaner than gqlgen's own
// WebSocket transport (which stays for the legacy graphql-ws protocol): a connection is its reading
// goroutine alone. gqlgen's holds two more goroutines per subscriber, one watching the connection's
// context and one per subscription waiting for its next response. Here the connection's context is
// watched by context.AfterFunc, and a shared subscription (fanout) is pushed: its group tells the
// connection when it has a frame, and a writer goroutine exists only while the connection has frames to
// write. Operations that are not shared (queries and mutations over the socket, unshared subscriptions)
// run on a goroutine of their own, as in gqlgen.
type leanWebsocket struct {
	ws   *gorillaWebsocket
	init wsInitFunc
	log  *slog.Logger
}

var _ graphql.Transport = leanWebsocket{}

// Supports implements graphql.Transport: upgrades that offer graphql-transport-ws (gorilla picks it
// first whatever else the client offers, see preferTransportWS).
func (leanWebsocket) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") != "" && slices.Contains(websocket.Subprotocols(r), transportWS)
}

// Do implements graphql.Transport.
func (t leanWebsocket) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ws, err := t.ws.Accept(w, r, transport.WebsocketAcceptOptions{ResponseHeader: http.Header{}, Subprotocols: []string{transportWS}})
	if err != nil {
		transport.SendErrorf(w, http.StatusBadRequest, "unable to upgrade")
		return
	}
	sock, _ := ws.(*gorillaConn)
	sock.SetReadLimit(wsReadLimit)
	c := &leanConn{sock: sock, exec: exec, ctx: r.Context(), subs: map[string]*leanSub{}}
	if wc := wsConnFrom(r.Context()); wc != nil && wc.end != nil {
		// The connection goes on without the request: net/http's goroutine returns and frees the
		// connection's request state, its buffers and its (deep) stack; a fresh goroutine reads the socket.
		wc.detached = true
		c.ctx = context.WithoutCancel(r.Context()) // net/http cancels the request's when the handler returns
		go func() {
			defer wc.end()
			c.serve(t.init, t.log)
		}()
		return
	}
	c.serve(t.init, t.log)
}

// leanReadBufferSize is the lean connection's read buffer, held for its life: client messages are few
// and small, and a longer one is read through it in parts (gorilla needs 125 bytes for a control frame).
const leanReadBufferSize = 256

func (c *leanConn) serve(initFunc wsInitFunc, log *slog.Logger) {
	defer func() {
		if r := recover(); r != nil {
			// No HTTP handler is around this goroutine to recover: log and report it as accessLog would.
			log.ErrorContext(c.ctx, "panic serving websocket", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			reportPanic(c.ctx, r)
			c.close(websocket.CloseInternalServerErr, "internal error")
		}
	}()
	if c.init(initFunc) {
		c.run()
	}
}

// leanConn is one graphql-transport-ws connection.
type leanConn struct {
	sock *gorillaConn
	exec graphql.GraphExecutor
	ctx  context.Context // the request's, then connection_init's (viewer, token expiry)

	wmu sync.Mutex // one writer at a time (gorilla's rule)

	mu       sync.Mutex
	subs     map[string]*leanSub
	queue    []*leanSub // pushed subscriptions with a frame to write
	flushing bool       // a goroutine writes the queue
	closed   bool
}

// leanSub is one running operation of a connection.
type leanSub struct {
	id     string
	live   context.Context // ends with the operation
	ctx    context.Context // what DispatchOperation returned, for h (a group's lead gets the group's)
	cancel context.CancelFunc
	h      graphql.ResponseHandler

	// Pushed subscriptions (fanout): the group sets pushed while the operation is dispatched, then calls
	// notify for every frame; ready once h is set, queued while waiting in the connection's queue.
	conn           *leanConn
	pushed         bool
	ready, queued  bool
	clientComplete bool
	// Set by the member's handler during a call from the writer: the frame to write, or nothing to write.
	frame *splicedFrame
	skip  bool

	emu  sync.Mutex
	ends []func() // run once the operation ends (afterOperation); nil after
	over bool
}

// newLeanSub returns the operation id of c running in live, which cancel ends (and its end functions).
func newLeanSub(id string, live context.Context, cancel context.CancelFunc, c *leanConn) *leanSub {
	s := &leanSub{id: id, live: live, conn: c}
	s.cancel = func() {
		cancel()
		s.ended()
	}
	return s
}

// afterOperation runs f once the operation of ctx ends, however it ends, as context.AfterFunc(ctx, f)
// would. On leanWebsocket the operation's end runs them together: each AfterFunc on the operation's
// context (the metrics', the limits', the fan-out's) kept a context and a child entry per subscriber.
func afterOperation(ctx context.Context, f func()) {
	if s, _ := ctx.Value(leanPushKey{}).(*leanSub); s != nil {
		s.emu.Lock()
		if !s.over {
			s.ends = append(s.ends, f)
			s.emu.Unlock()
			return
		}
		s.emu.Unlock()
	}
	context.AfterFunc(ctx, f) // gqlgen's transport, or an operation already over (f runs at once)
}

// ended runs the operation's end functions, once, on a goroutine of their own as AfterFunc would (its
// caller may hold locks they take).
func (s *leanSub) ended() {
	s.emu.Lock()
	ends, first := s.ends, !s.over
	s.ends, s.over = nil, true
	s.emu.Unlock()
	if first && len(ends) > 0 {
		go func() {
			for _, f := range ends {
				f()
			}
		}()
	}
}

type leanPushKey struct{}

// leanPushFrom returns the subscription the transport pushes, if ctx is one of leanWebsocket's.
func leanPushFrom(ctx context.Context) *leanSub {
	s, _ := ctx.Value(leanPushKey{}).(*leanSub)
	return s
}

// leanMessage is a graphql-transport-ws message; its fields in the order gqlgen writes them (the spliced
// frames of fanout.go are byte for byte this encoding).
type leanMessage struct {
	Payload json.RawMessage `json:"payload,omitempty"`
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
}

var errBadMessage = errors.New("invalid message")

// clientMessage is a message as read off the socket, before it is decoded.
type clientMessage struct {
	b    []byte
	text bool
}

// read reads the client's next message whole. It runs on the connection's reading goroutine and calls
// no deeper than gorilla's frame reader: the connection's limits, decoding and handling run on a
// worker (workers.call), so the goroutine an idle connection keeps sleeps on a small stack (the GC
// keeps a stack grown to 8 KiB once while 2 KiB of it are in use: 8 KiB per idle subscriber).
func (c *leanConn) read() (clientMessage, error) {
	mt, r, err := c.sock.conn.NextReader()
	if err != nil {
		return clientMessage{}, err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return clientMessage{}, errBadMessage // over the read limit, or cut off
	}
	return clientMessage{b: b, text: mt == websocket.TextMessage}, nil
}

// decode applies the connection's limits to m (false: they closed it), then decodes it.
func (c *leanConn) decode(m clientMessage) (leanMessage, bool, error) {
	var out leanMessage
	if m.text && !c.sock.admit(m.b) {
		return out, false, nil
	}
	if err := json.Unmarshal(m.b, &out); err != nil {
		return out, true, errBadMessage
	}
	switch out.Type {
	case "connection_init", "subscribe", "complete", "ping", "pong":
		return out, true, nil
	}
	return out, true, errBadMessage
}

// init waits for connection_init and signs the connection in; false: it was closed (or is left to
// serveWebSocket to close, as after an init payload that is not an object).
func (c *leanConn) init(initFunc wsInitFunc) bool {
	_ = c.sock.SetReadDeadline(time.Now().Add(wsInitTimeout))
	msg, err := c.read()
	if err != nil {
		if ne := net.Error(nil); errors.As(err, &ne) && ne.Timeout() {
			c.close(websocket.CloseProtocolError, "connection initialisation timeout")
			return false
		}
		c.close(websocket.CloseProtocolError, "decoding error")
		return false
	}
	var ok bool
	taskWorkers.call(func() { ok = c.signIn(initFunc, msg) })
	return ok
}

// signIn handles the connection_init message.
func (c *leanConn) signIn(initFunc wsInitFunc, msg clientMessage) bool {
	m, open, err := c.decode(msg)
	if !open {
		return false
	}
	if err != nil {
		c.close(websocket.CloseProtocolError, "decoding error")
		return false
	}
	if m.Type != "connection_init" {
		c.close(websocket.CloseProtocolError, "unexpected message")
		return false
	}
	var payload transport.InitPayload
	if len(m.Payload) > 0 && json.Unmarshal(m.Payload, &payload) != nil {
		return false
	}
	ctx, refused := initFunc(c.ctx, payload)
	if refused != nil {
		c.close(refused.code, refused.reason)
		return false
	}
	c.ctx = ctx
	c.write(leanMessage{Type: "connection_ack"})
	return true
}

// run reads the client's messages until the connection ends.
func (c *leanConn) run() {
	_ = c.sock.SetReadDeadline(time.Now().Add(2 * wsPingInterval))
	// The connection's context ends when its token expires: close (gqlgen's "terminated").
	stop := context.AfterFunc(c.ctx, func() { c.close(websocket.CloseNormalClosure, "terminated") })
	defer stop()
	defer c.close(websocket.CloseNormalClosure, "terminated")
	for {
		start := graphql.Now()
		msg, err := c.read()
		if errors.Is(err, errBadMessage) {
			c.close(closeBadRequest, "invalid message")
			return
		}
		if err != nil {
			return
		}
		var more bool
		taskWorkers.call(func() { more = c.handle(start, msg) })
		if !more {
			return
		}
	}
}

// handle handles a client message; false ends the connection.
func (c *leanConn) handle(start time.Time, msg clientMessage) bool {
	m, open, err := c.decode(msg)
	if !open {
		return false
	}
	if err != nil {
		c.close(closeBadRequest, "invalid message")
		return false
	}
	switch m.Type {
	case "subscribe":
		c.subscribe(start, m)
	case "complete":
		c.stop(m.ID)
	case "ping":
		c.write(leanMessage{Type: "pong", Payload: m.Payload})
	case "pong":
	default: // a second connection_init
		c.close(websocket.CloseProtocolError, "unexpected message")
		return false
	}
	return true
}

// subscribe runs one operation, as gqlgen's transport does.
func (c *leanConn) subscribe(start time.Time, m leanMessage) {
	ctx := graphql.StartOperationTrace(c.ctx)
	params := &graphql.RawParams{}
	dec := json.NewDecoder(bytes.NewReader(m.Payload))
	dec.UseNumber()
	if err := dec.Decode(params); err != nil {
		c.sendError(m.ID, &gqlerror.Error{Message: "invalid json"})
		c.write(leanMessage{ID: m.ID, Type: "complete"})
		return
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	// No params.Headers: nothing reads an operation's headers, and keeping the upgrade request's would
	// hold them (most of a kilobyte) for the connection's life.

	rc, errs := c.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		if errcode.GetErrorKind(errs) == errcode.KindProtocol {
			c.sendError(m.ID, resp.Errors...)
		} else {
			c.sendResponse(m.ID, &graphql.Response{Errors: errs})
		}
		c.write(leanMessage{ID: m.ID, Type: "complete"})
		return
	}
	ctx, cancel := context.WithCancel(graphql.WithOperationContext(ctx, rc))
	s := newLeanSub(m.ID, ctx, cancel, c)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		cancel()
		return
	}
	c.subs[m.ID] = s
	c.mu.Unlock()

	var h graphql.ResponseHandler
	var panicked bool
	func() {
		defer func() {
			if r := recover(); r != nil {
				panicked = true
				c.sendError(m.ID, recovered(ctx, rc, r))
			}
		}()
		h, ctx = c.exec.DispatchOperation(context.WithValue(ctx, leanPushKey{}, s), rc)
	}()
	if panicked {
		c.end(s, false)
		return
	}
	c.mu.Lock()
	s.h, s.ctx = h, ctx
	if !s.pushed {
		c.mu.Unlock()
		go c.pull(s)
		return
	}
	s.ready = true
	if s.queued {
		s.queued = false
		c.enqueue(s)
	}
	c.mu.Unlock()
}

func recovered(ctx context.Context, rc *graphql.OperationContext, r any) *gqlerror.Error {
	err := rc.Recover(ctx, r)
	var gqlerr *gqlerror.Error
	if !errors.As(err, &gqlerr) {
		gqlerr = &gqlerror.Error{}
		if err != nil {
			gqlerr.Message = err.Error()
		}
	}
	return gqlerr
}

// pull runs an operation that is not pushed: its responses as they come, then complete.
func (c *leanConn) pull(s *leanSub) {
	defer func() {
		if r := recover(); r != nil {
			c.sendError(s.id, recovered(s.ctx, graphql.GetOperationContext(s.ctx), r))
		}
		c.end(s, true)
	}()
	for {
		resp := s.h(s.ctx)
		if resp == nil {
			return
		}
		c.sendResponse(s.id, resp)
	}
}

// end finishes s: complete (when the server ended it and the connection stays), and its context.
func (c *leanConn) end(s *leanSub, complete bool) {
	c.mu.Lock()
	own := c.subs[s.id] == s
	if own {
		delete(c.subs, s.id)
	}
	send := complete && own && !c.closed && !s.clientComplete
	c.mu.Unlock()
	if send {
		c.write(leanMessage{ID: s.id, Type: "complete"})
	}
	s.cancel()
}

// stop ends the subscription the client completed; its id is free again at once.
func (c *leanConn) stop(id string) {
	c.mu.Lock()
	s := c.subs[id]
	if s != nil {
		delete(c.subs, id)
		s.clientComplete = true
	}
	c.mu.Unlock()
	if s != nil {
		s.cancel()
	}
}

// notify tells the connection that pushed subscription s has something new (a frame or its end).
func (s *leanSub) notify() {
	c := s.conn
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.queued || c.closed {
		return
	}
	if !s.ready {
		s.queued = true // enqueued once ready (subscribe)
		return
	}
	c.enqueue(s)
}

// enqueue queues s for the writer, starting it if none runs; c.mu is held.
func (c *leanConn) enqueue(s *leanSub) {
	s.queued = true
	c.queue = append(c.queue, s)
	if !c.flushing {
		c.flushing = true
		taskWorkers.run(c.flush)
	}
}

// flush writes the queued subscriptions' newest frames, and ends when the queue is empty: an idle
// connection has no writer goroutine.
func (c *leanConn) flush() {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 || c.closed {
			c.queue, c.flushing = nil, false
			c.mu.Unlock()
			return
		}
		s := c.queue[0]
		c.queue[0] = nil
		c.queue = c.queue[1:]
		s.queued = false
		c.mu.Unlock()
		c.push(s)
	}
}

// push writes what s's handler answers, at once and without waiting: the group's frames s has not had
// (the newest, normally one), then its end if it ended. Asking again until there is nothing new covers
// a frame or an end the group told of while s was still queued for an earlier one.
func (c *leanConn) push(s *leanSub) {
	for s.live.Err() == nil {
		s.frame, s.skip = nil, false
		var resp *graphql.Response
		func() {
			defer func() {
				if r := recover(); r != nil {
					c.sendError(s.id, recovered(s.ctx, graphql.GetOperationContext(s.ctx), r))
					resp, s.skip = nil, false
				}
			}()
			resp = s.h(s.ctx)
		}()
		switch {
		case s.frame != nil:
			fr := *s.frame
			s.frame = nil
			c.writeFrame(s.id, fr)
		case resp != nil:
			c.sendResponse(s.id, resp)
		case s.skip:
			return
		default:
			c.end(s, true)
			return
		}
	}
}

func (c *leanConn) sendResponse(id string, resp *graphql.Response) {
	b, err := json.Marshal(resp)
	if err != nil {
		b, _ = json.Marshal(&graphql.Response{Errors: gqlerror.List{{Message: "internal error"}}})
	}
	c.write(leanMessage{ID: id, Type: "next", Payload: b})
}

func (c *leanConn) sendError(id string, errs ...*gqlerror.Error) {
	b, err := json.Marshal(errs)
	if err != nil {
		b = []byte(`[{"message":"internal error"}]`)
	}
	c.write(leanMessage{ID: id, Type: "error", Payload: b})
}

// write sends one message; a client that cannot take it within writeWait is dropped.
func (c *leanConn) write(m leanMessage) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.sock.writeJSON(m); err != nil {
		_ = c.sock.Close()
	}
}

func (c *leanConn) writeFrame(id string, fr splicedFrame) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	err := c.sock.conn.SetWriteDeadline(time.Now().Add(writeWait))
	if err == nil {
		err = c.sock.writeSpliced(fr, id)
	}
	if err != nil {
		_ = c.sock.Close()
	}
}

// close sends a close frame and ends the connection and its operations, once.
func (c *leanConn) close(code int, reason string) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	subs := c.subs
	c.subs = map[string]*leanSub{}
	c.mu.Unlock()
	_ = c.sock.WriteClose(code, reason)
	for _, s := range subs {
		s.cancel()
	}
	_ = c.sock.Close()
}

// wsInitFunc signs a connection in from its connection_init payload, or refuses it with a close frame.
type wsInitFunc func(ctx context.Context, p transport.InitPayload) (context.Context, *closeFrame)

// gqlgenInit adapts f to gqlgen's transport (the legacy protocol).
func gqlgenInit(f wsInitFunc) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		ctx, refused := f(ctx, p)
		if refused != nil {
			ctx = transport.WithWebsocketCloseCode(ctx, refused.code)
			return transport.AppendCloseReason(ctx, refused.reason), nil, fmt.Errorf("%s", refused.reason)
		}
		return ctx, nil, nil
	}
}
