package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/telemetry"
)

// tracerName names the spans this package starts.
const tracerName = "github.com/carequeue/carequeue/internal/server"

// traceRequests starts a server span per request, continuing the caller's trace when it sends a
// traceparent. The span is named for the route pattern the mux matched, never the client's path (a
// status page's path holds its token), and carries the request id, so a trace and the access log find
// each other. A nil tracer returns next unchanged.
func traceRequests(tracer trace.Tracer, mux *http.ServeMux, next http.Handler) http.Handler {
	if tracer == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := telemetry.Propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		route := routeOf(mux, r)
		ctx, span := tracer.Start(ctx, r.Method+" "+route, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(
				attribute.String("http.request.method", r.Method),
				attribute.String("http.route", route),
				attribute.String("carequeue.request_id", audit.RequestFrom(r.Context()).ID),
			))
		defer span.End()
		if r.Header.Get("Upgrade") != "" {
			span.SetAttributes(attribute.Bool("carequeue.websocket", true))
		}
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(ctx))
		status := rec.statusOrOK()
		span.SetAttributes(attribute.Int("http.response.status_code", status))
		if status >= 500 {
			span.SetStatus(codes.Error, http.StatusText(status))
		}
	})
}

// operationTracing is the gqlgen extension that gives each GraphQL operation a span, a child of the
// request's (or, over a WebSocket, of the connection's), so the operation's SQL, Redis and job spans
// hang under it. The span is named by the operation type and its root fields, which the schema bounds
// ("mutation checkIn"); the client's operation name is an attribute, cut short. Variables and results
// are never recorded: they carry patients' names and numbers. A subscription's span ends with its
// first response (the current state).
type operationTracing struct {
	tracer trace.Tracer
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = operationTracing{}

func (operationTracing) ExtensionName() string                   { return "CareQueueTracing" }
func (operationTracing) Validate(graphql.ExecutableSchema) error { return nil }

func (t operationTracing) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil {
		return next(ctx)
	}
	op := string(oc.Operation.Operation)
	ctx, span := t.tracer.Start(ctx, op+" "+rootFields(oc.Operation.SelectionSet), trace.WithAttributes(
		attribute.String("graphql.operation.type", op),
		attribute.String("graphql.operation.name", boundedName(oc.Operation.Name)),
		attribute.String("carequeue.request_id", audit.RequestFrom(ctx).ID),
	))
	handle := next(ctx)
	ended := false
	return func(ctx context.Context) *graphql.Response {
		resp := handle(ctx)
		if !ended {
			ended = true
			recordErrorCodes(span, resp)
			span.End()
		}
		return resp
	}
}

// maxRootFields bounds a span name however many fields an operation selects.
const maxRootFields = 3

func rootFields(set ast.SelectionSet) string {
	var names []string
	for _, s := range set {
		f, ok := s.(*ast.Field)
		if !ok {
			continue
		}
		if len(names) == maxRootFields {
			names = append(names, "…")
			break
		}
		names = append(names, f.Name)
	}
	if len(names) == 0 {
		return "anonymous"
	}
	return strings.Join(names, ",")
}

// boundedName keeps a client's operation name to what GraphQL allows in a name, cut short.
func boundedName(name string) string {
	const limit = 64
	if name == "" {
		return "anonymous"
	}
	if len(name) > limit {
		name = name[:limit]
	}
	return strings.Map(func(r rune) rune {
		if r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return r
		}
		return '_'
	}, name)
}

// recordErrorCodes puts the response's extensions.code values on the span (never the messages, which
// may quote the caller's input) and marks the span failed for the server's own faults.
func recordErrorCodes(span trace.Span, resp *graphql.Response) {
	if resp == nil || len(resp.Errors) == 0 {
		return
	}
	seen := map[string]bool{}
	var list []string
	for _, e := range resp.Errors {
		code, _ := e.Extensions["code"].(string)
		if code == "" || seen[code] {
			continue
		}
		seen[code] = true
		list = append(list, code)
	}
	span.SetAttributes(attribute.StringSlice("graphql.error.codes", list))
	if seen[string(cqerr.Internal)] || seen[string(cqerr.Unavailable)] {
		span.SetStatus(codes.Error, fmt.Sprintf("GraphQL errors: %s", strings.Join(list, ",")))
	}
}
