package server

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// DefaultRequestTimeout bounds one request (and one query or mutation over a WebSocket) when
// Config.RequestTimeout is zero.
const DefaultRequestTimeout = 10 * time.Second

// retryAfter is the Retry-After of a 503, in seconds: a queue's lock wait or a database failover is over
// in about that long, and clients add their own backoff.
const retryAfter = "1"

// withDeadline gives each request a deadline, which every database call under it inherits (pgx cancels
// the statement, database/sql gives the connection back): a stuck dependency costs a request timeout,
// not a goroutine and a connection for as long as it stays stuck.
func withDeadline(timeout time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requestDeadline is withDeadline for every request but a WebSocket upgrade, which lives for hours:
// its operations get operationDeadline, and the token check of its upgrade request bounds itself
// (authenticate).
func requestDeadline(timeout time.Duration, next http.Handler) http.Handler {
	bounded := withDeadline(timeout, next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		bounded.ServeHTTP(w, r)
	})
}

// operationDeadline gives each query and mutation the request deadline, over HTTP (where withDeadline
// already did) and over a WebSocket, where nothing else would. A subscription is exempt: its response
// handler waits for the next event for as long as the subscription lasts; the reads that resolve an
// event are bounded by the database's statement_timeout.
type operationDeadline struct {
	timeout time.Duration
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = operationDeadline{}

func (operationDeadline) ExtensionName() string                   { return "CareQueueOperationDeadline" }
func (operationDeadline) Validate(graphql.ExecutableSchema) error { return nil }

func (d operationDeadline) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) || graphql.GetOperationContext(ctx).Operation == nil ||
		graphql.GetOperationContext(ctx).Operation.Operation == ast.Subscription {
		return next(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	return next(ctx)
}

// Over HTTP, gqlgen answers every executed operation with 200. GraphQL-over-HTTP lets a response without
// data (data: null) carry another status, so when that is because the database was unavailable (and
// nothing else went wrong), the answer is 503 with Retry-After: proxies, load balancers and HTTP clients then know to retry without
// reading the body. A response that has data (a nullable field failed, the rest resolved) stays 200, as
// the spec requires; its error still says UNAVAILABLE in extensions.code.

// unavailableKey holds the request's *atomic.Bool, set when its response is data-less and UNAVAILABLE.
type unavailableKey struct{}

// unavailableStatus marks the request (see above); it runs on every response, cheaply.
type unavailableStatus struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = unavailableStatus{}

func (unavailableStatus) ExtensionName() string                   { return "CareQueueUnavailableStatus" }
func (unavailableStatus) Validate(graphql.ExecutableSchema) error { return nil }

func (unavailableStatus) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	mark, ok := ctx.Value(unavailableKey{}).(*atomic.Bool)
	if ok && resp != nil && (len(resp.Data) == 0 || string(resp.Data) == "null") && allCoded(resp.Errors, cqerr.Unavailable) {
		mark.Store(true)
	}
	return resp
}

// allCoded reports whether errs is not empty and every error has code: a bug beside the outage would
// not go away on a retry.
func allCoded(errs gqlerror.List, code cqerr.Code) bool {
	for _, e := range errs {
		if c, _ := e.Extensions["code"].(string); c != string(code) {
			return false
		}
	}
	return len(errs) > 0
}

// withUnavailableStatus prepares r for unavailableStatus and returns the writer that turns gqlgen's 200
// into 503 when the mark is set.
func withUnavailableStatus(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, *http.Request) {
	mark := new(atomic.Bool)
	return &unavailableWriter{ResponseWriter: w, unavailable: mark},
		r.WithContext(context.WithValue(r.Context(), unavailableKey{}, mark))
}

type unavailableWriter struct {
	http.ResponseWriter
	unavailable *atomic.Bool
	wrote       bool
}

func (u *unavailableWriter) WriteHeader(code int) {
	if u.wrote {
		return
	}
	u.wrote = true
	if code == http.StatusOK && u.unavailable.Load() {
		u.Header().Set("Retry-After", retryAfter)
		code = http.StatusServiceUnavailable
	}
	u.ResponseWriter.WriteHeader(code)
}

func (u *unavailableWriter) Write(b []byte) (int, error) {
	if !u.wrote {
		u.WriteHeader(http.StatusOK)
	}
	return u.ResponseWriter.Write(b)
}

func (u *unavailableWriter) Unwrap() http.ResponseWriter { return u.ResponseWriter }
