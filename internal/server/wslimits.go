package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/time/rate"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// Per-connection and per-client WebSocket limits. A hospital's clients need few sockets and
// subscribe rarely: a dashboard opens a handful of subscriptions when it starts and one more when
// staff switch queues. The limits stop one client from holding a replica's sockets or churning its
// subscriptions, while leaving room for a ward's shared address (NAT) and a patient network.
const (
	// maxSubscriptionsPerConn caps the active subscriptions of one connection.
	maxSubscriptionsPerConn = 100
	// subscribeRate and subscribeBurst bound how fast one connection may start subscriptions.
	// A reconnecting client resubscribes everything at once: the burst covers a full connection.
	subscribeRate  = 10 // per second, sustained
	subscribeBurst = maxSubscriptionsPerConn

	// DefaultMaxSocketsPerUser caps one account's (or patient's) open sockets: on all replicas
	// together when they share a SocketCounter (Redis), else on each replica.
	DefaultMaxSocketsPerUser = 20
	// DefaultMaxSocketsPerAddress caps one client address's open sockets on a replica, signed in or
	// not (waiting-room boards are anonymous). Generous: a hospital's wards and a mobile carrier's
	// patients may each share one address. It stays per replica on purpose: it guards the replica's
	// own file descriptors and memory against one client, it is checked before the upgrade on every
	// connection attempt (a Redis round trip there would put Redis in the path of a flood), and a
	// load balancer spreading one address over N replicas gives it N times the room, which this
	// generous cap does not need to correct.
	DefaultMaxSocketsPerAddress = 1000

	// closeDuplicateID is graphql-transport-ws's "Subscriber for <id> already exists".
	closeDuplicateID = 4409
	// closeTooManySockets uses graphql-ws's "too many requests" code: the client stops retrying
	// instead of hammering a full replica.
	closeTooManySockets = 4429
)

// wsConn is one WebSocket connection's bookkeeping: the ids of its running subscriptions (a reused id
// closes the socket, as graphql-transport-ws requires), its subscription count and rate, and the
// account its connection_init signed in, so the per-account count is released when it ends.
type wsConn struct {
	subscribe *rate.Limiter

	mu      sync.Mutex
	active  map[string]*subscription
	ops     map[*graphql.OperationContext]*subscription
	pending string // the id of the subscribe message gqlgen is reading now
	running int64
	user    string
	unuser  func()       // ends user's count (socketCounts.acquire)
	token   string       // the access token of connection_init, re-checked on a revocation
	expire  func()       // ends the connection's context, which ends with its token (wsInit)
	sock    *gorillaConn // set by Accept (upgraded)
	away    *closeFrame  // set by Admission.CloseAll: close as soon as upgraded

	// end releases the connection's counts and closes its socket (serveWebSocket); detached: the
	// transport runs the connection on a goroutine of its own and calls end itself (leanWebsocket).
	end      func()
	detached bool
}

type wsConnKey struct{}

func newWSConn() *wsConn {
	return &wsConn{subscribe: rate.NewLimiter(subscribeRate, subscribeBurst), active: map[string]*subscription{},
		ops: map[*graphql.OperationContext]*subscription{}}
}

func wsConnFrom(ctx context.Context) *wsConn {
	c, _ := ctx.Value(wsConnKey{}).(*wsConn)
	return c
}

// read notes the id of a subscribe message before gqlgen handles it, and reports an id that is still
// running (or starting). A complete from the client frees its id at once, so the client may reuse it.
func (c *wsConn) read(msg []byte) (duplicate string) {
	var m struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	if json.Unmarshal(msg, &m) != nil {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch m.Type {
	case "subscribe", "start":
		if c.active[m.ID] != nil {
			return m.ID
		}
		c.pending = m.ID
	case "complete", "stop":
		delete(c.active, m.ID)
	}
	return ""
}

// subscriptionIDKey holds the client's id of the subscription an operation runs for (fanout.go).
type subscriptionIDKey struct{}

// subscription is one claimed id; active maps an id to the subscription holding it now, so that an
// old subscription ending late does not free an id a new one has taken.
type subscription struct{ id string }

// claim ties the noted id to its operation. gqlgen reads a message and builds its operation on one
// goroutine, then runs the operation on another: the note is current here, but no longer by the time
// the operation reaches SubscriptionLimit.
func (c *wsConn) claim(rc *graphql.OperationContext) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := &subscription{id: c.pending}
	c.pending = ""
	c.active[s.id] = s
	c.ops[rc] = s
}

// release frees s's id unless another subscription holds it now.
func (c *wsConn) release(s *subscription) {
	if s != nil && c.active[s.id] == s {
		delete(c.active, s.id)
	}
}

// start counts rc's subscription as running, within the connection's limits, and returns the function
// that ends it.
func (c *wsConn) start(rc *graphql.OperationContext) (id string, end func(), err *gqlerror.Error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.ops[rc]
	delete(c.ops, rc)
	switch {
	case !c.subscribe.Allow():
		err = rateLimited("subscribing too fast on this connection; wait a moment")
	case c.running >= maxSubscriptionsPerConn:
		err = rateLimited(fmt.Sprintf("too many subscriptions on this connection (at most %d)", maxSubscriptionsPerConn))
	}
	if err != nil {
		c.release(s)
		return "", nil, err
	}
	c.running++
	if s != nil {
		id = s.id
	}
	return id, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.release(s)
		c.running--
	}, nil
}

func rateLimited(msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(cqerr.RateLimited)}}
}

// SocketCounter counts a key's open sockets across replicas (internal/redis.Sockets), so that the
// per-account cap holds for the whole deployment and not once per replica. A socket counts from
// Acquire (which refuses past limit) to Release; the counter lets a crashed replica's sockets lapse.
type SocketCounter interface {
	Acquire(ctx context.Context, key, id string, limit int) (bool, error)
	Release(ctx context.Context, key, id string) error
}

// socketCounts counts a replica's open sockets by key (an account, an address) against a cap, and,
// with a shared counter, every replica's. The replica's own count always applies: it is what holds
// when the shared counter fails (logged, not refused: a Redis blip must not close every dashboard).
type socketCounts struct {
	max    int
	shared SocketCounter // nil: this replica's count alone
	log    *slog.Logger

	mu sync.Mutex
	n  map[string]int
}

func newSocketCounts(maxPerKey int, shared SocketCounter, log *slog.Logger) *socketCounts {
	return &socketCounts{max: maxPerKey, shared: shared, log: log, n: map[string]int{}}
}

// acquire counts one more socket for key, or reports false when key is at the cap; release ends the
// count.
func (s *socketCounts) acquire(ctx context.Context, key string) (release func(), ok bool) {
	if !s.acquireLocal(key) {
		return nil, false
	}
	if s.shared == nil {
		return func() { s.releaseLocal(key) }, true
	}
	id := rand.Text()
	ok, err := s.shared.Acquire(ctx, key, id, s.max)
	switch {
	case err != nil:
		s.log.WarnContext(ctx, "websocket counted on this replica only: the shared count failed", "err", err)
		return func() { s.releaseLocal(key) }, true
	case !ok:
		s.releaseLocal(key)
		return nil, false
	}
	return func() {
		s.releaseLocal(key)
		// The socket's context has ended; the release must still reach Redis, or the socket counts
		// until it lapses.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		if err := s.shared.Release(ctx, key, id); err != nil {
			s.log.WarnContext(ctx, "releasing a shared websocket count", "err", err)
		}
	}, true
}

func (s *socketCounts) acquireLocal(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n[key] >= s.max {
		return false
	}
	s.n[key]++
	return true
}

func (s *socketCounts) releaseLocal(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n[key]--; s.n[key] <= 0 {
		delete(s.n, key)
	}
}

// SubscriptionLimit holds each subscription to its connection's limits (wsConn.start): beyond them it
// is refused with RATE_LIMITED while the connection and its other subscriptions go on. Register it
// after every other OperationContextMutator, so that an operation it claims is one that runs.
type SubscriptionLimit struct{}

var (
	_ graphql.HandlerExtension        = SubscriptionLimit{}
	_ graphql.OperationContextMutator = SubscriptionLimit{}
	_ graphql.OperationInterceptor    = SubscriptionLimit{}
)

// MutateOperationContext implements graphql.OperationContextMutator.
func (SubscriptionLimit) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if c := wsConnFrom(ctx); c != nil && rc.Operation != nil && rc.Operation.Operation == ast.Subscription {
		c.claim(rc)
	}
	return nil
}

// ExtensionName implements graphql.HandlerExtension.
func (SubscriptionLimit) ExtensionName() string { return "CareQueueSubscriptionLimit" }

// Validate implements graphql.HandlerExtension.
func (SubscriptionLimit) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor.
func (SubscriptionLimit) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx).Operation
	c := wsConnFrom(ctx)
	if op == nil || op.Operation != ast.Subscription || c == nil {
		return next(ctx)
	}
	id, end, err := c.start(graphql.GetOperationContext(ctx))
	if err != nil {
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{err}})
	}
	// The operation's context ends with the subscription (complete, stop, or the connection closing).
	afterOperation(ctx, end)
	return next(context.WithValue(ctx, subscriptionIDKey{}, id))
}

// readMessage reads one whole client message for wsConn.read: client messages are small and few
// (the read limit bounds them), so buffering them costs little.
func readMessage(r io.Reader) ([]byte, io.Reader, error) {
	b, err := io.ReadAll(r)
	return b, bytes.NewReader(b), err
}
