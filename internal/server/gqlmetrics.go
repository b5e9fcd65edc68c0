package server

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/realtime"
)

// Label values of carequeue_graphql_operations_total for what has no schema field or no valid operation.
const (
	opOther       = "other"   // operation: not a field of the schema's root type (or none)
	opTypeInvalid = "invalid" // type: the document did not parse or validate
	codeOK        = "OK"
)

// graphqlMetrics measures the GraphQL API and its live side, as a gqlgen extension (open sockets are
// Admission's carequeue_ws_open):
//
//   - carequeue_graphql_operations_total{operation,type,code} and
//     carequeue_graphql_operation_duration_seconds{operation,type}: operation is the schema field the
//     operation selects first at its root ("checkIn", "queueChanged", "node"), so its values are bounded
//     by the schema whatever a client names its operations; a document that does not validate is
//     "other" with type "invalid". code is OK or the first error's extensions.code (the presenter's
//     codes only). A subscription counts once, with the time to its first answer.
//   - carequeue_graphql_subscriptions_active{kind}: running subscriptions by field (queueChanged, …).
//   - carequeue_realtime_fanout_seconds: from a queue change's commit to its update being handed to a
//     subscriber's socket, per subscriber.
type graphqlMetrics struct {
	schema        *ast.Schema
	operations    *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	subscriptions *prometheus.GaugeVec
	fanout        prometheus.Histogram
}

func newGraphQLMetrics() *graphqlMetrics {
	return &graphqlMetrics{
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "carequeue_graphql_operations_total",
			Help: "GraphQL operations by root field (\"other\" when not a schema field), type (query, mutation, subscription; invalid when the document did not validate) and outcome (OK or extensions.code).",
		}, []string{"operation", "type", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "carequeue_graphql_operation_duration_seconds",
			Help:    "Time from reading a GraphQL operation to its answer (a subscription's first answer), by root field and type.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"operation", "type"}),
		subscriptions: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "carequeue_graphql_subscriptions_active",
			Help: "Running GraphQL subscriptions on this replica, by subscription field.",
		}, []string{"kind"}),
		fanout: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "carequeue_realtime_fanout_seconds",
			Help: "Seconds from a queue change's commit to its update being handed to a subscriber's socket, per subscriber (replicas' clocks differ by their skew).",
			// A local change reaches sockets in milliseconds; seconds mean a slow read or a stuck client.
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
	}
}

func (m *graphqlMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.operations, m.duration, m.subscriptions, m.fanout}
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.ResponseInterceptor
} = (*graphqlMetrics)(nil)

func (*graphqlMetrics) ExtensionName() string { return "CareQueueMetrics" }

func (m *graphqlMetrics) Validate(es graphql.ExecutableSchema) error {
	m.schema = es.Schema()
	return nil
}

type operationObserved struct{}

// InterceptOperation measures every operation that validated; the rest reach only InterceptResponse.
func (m *graphqlMetrics) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	name, typ := m.labels(oc)
	ctx = context.WithValue(ctx, operationObserved{}, true)
	var delivery *realtime.Delivery
	if typ == string(ast.Subscription) {
		ctx, delivery = realtime.WithDelivery(ctx)
		active := m.subscriptions.WithLabelValues(name)
		active.Inc()
		// The transport cancels a subscription's context when it ends, however it ends.
		afterOperation(ctx, active.Dec)
	}
	responses := next(ctx)
	first := true
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp == nil {
			return nil
		}
		if first {
			first = false
			m.observe(name, typ, resp, oc.Stats.OperationStart)
		}
		if delivery != nil {
			// gqlgen writes the answer to the socket as soon as this returns.
			if since, ok := delivery.Take(); ok {
				m.fanout.Observe(time.Since(since).Seconds())
			}
		}
		return resp
	}
}

// InterceptResponse counts the operations refused before they ran (a document that does not parse or
// validate, variables that do not coerce, the depth and complexity limits).
func (m *graphqlMetrics) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if ctx.Value(operationObserved{}) != nil || resp == nil {
		return resp
	}
	var oc *graphql.OperationContext
	if graphql.HasOperationContext(ctx) {
		oc = graphql.GetOperationContext(ctx)
	}
	name, typ := m.labels(oc)
	var start time.Time
	if oc != nil {
		start = oc.Stats.OperationStart
	}
	m.observe(name, typ, resp, start)
	return resp
}

func (m *graphqlMetrics) observe(name, typ string, resp *graphql.Response, start time.Time) {
	m.operations.WithLabelValues(name, typ, outcomeCode(resp)).Inc()
	if !start.IsZero() {
		m.duration.WithLabelValues(name, typ).Observe(time.Since(start).Seconds())
	}
}

// labels returns the operation's root field and type; only a field of the schema's root type for the
// operation is a name, so a client's own words never become a label value.
func (m *graphqlMetrics) labels(oc *graphql.OperationContext) (name, typ string) {
	if oc == nil || oc.Operation == nil {
		return opOther, opTypeInvalid
	}
	typ = string(oc.Operation.Operation)
	var root *ast.Definition
	if m.schema != nil {
		switch oc.Operation.Operation {
		case ast.Query:
			root = m.schema.Query
		case ast.Mutation:
			root = m.schema.Mutation
		case ast.Subscription:
			root = m.schema.Subscription
		}
	}
	field := firstField(oc.Operation.SelectionSet)
	if field == "" || root == nil || (root.Fields.ForName(field) == nil && !metaField(oc.Operation.Operation, field)) {
		return opOther, typ
	}
	return field, typ
}

// metaField reports whether field is one of GraphQL's own root fields: __typename anywhere, the
// introspection fields on a query.
func metaField(op ast.Operation, field string) bool {
	return field == "__typename" || (op == ast.Query && (field == "__schema" || field == "__type"))
}

// firstField is the name (not the alias) of the first field selected at the root, through fragments.
func firstField(set ast.SelectionSet) string {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			return s.Name
		case *ast.InlineFragment:
			if f := firstField(s.SelectionSet); f != "" {
				return f
			}
		case *ast.FragmentSpread:
			if s.Definition != nil {
				if f := firstField(s.Definition.SelectionSet); f != "" {
					return f
				}
			}
		}
	}
	return ""
}

// outcomeCode is OK or the first error's extensions.code; the presenter sets one of DESIGN.md's codes on
// every error, anything else would be a bug and is not let into a label.
func outcomeCode(resp *graphql.Response) string {
	if len(resp.Errors) == 0 {
		return codeOK
	}
	c, _ := resp.Errors[0].Extensions["code"].(string)
	if !knownCode(cqerr.Code(c)) {
		return string(cqerr.Internal)
	}
	return c
}
