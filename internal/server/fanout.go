package server

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/carequeue/carequeue/internal/auth"
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
	m := &member{ctx: ctx, id: id, sock: c.socket(), push: leanPushFrom(ctx), pushAt: -1}
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
	afterOperation(ctx, func() { f.leave(g, m) })

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
