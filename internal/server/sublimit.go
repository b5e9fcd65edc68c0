package server

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// maxSubscriptionsPerConn caps the active subscriptions of one WebSocket connection. A dashboard needs a
// handful; the cap keeps one client from holding thousands of watchers on one socket.
const maxSubscriptionsPerConn = 100

type subscriptionCounterKey struct{}

// withSubscriptionCounter gives a WebSocket connection's context its count of active subscriptions.
func withSubscriptionCounter(ctx context.Context) context.Context {
	return context.WithValue(ctx, subscriptionCounterKey{}, new(atomic.Int64))
}

// SubscriptionLimit refuses a subscription beyond Max active ones on the same connection, with
// RATE_LIMITED; the connection and its other subscriptions go on.
type SubscriptionLimit struct{ Max int64 }

var (
	_ graphql.HandlerExtension     = SubscriptionLimit{}
	_ graphql.OperationInterceptor = SubscriptionLimit{}
)

// ExtensionName implements graphql.HandlerExtension.
func (SubscriptionLimit) ExtensionName() string { return "CareQueueSubscriptionLimit" }

// Validate implements graphql.HandlerExtension.
func (SubscriptionLimit) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor.
func (l SubscriptionLimit) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx).Operation
	n, _ := ctx.Value(subscriptionCounterKey{}).(*atomic.Int64)
	if op == nil || op.Operation != ast.Subscription || n == nil {
		return next(ctx)
	}
	if n.Add(1) > l.Max {
		n.Add(-1)
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
			Message:    fmt.Sprintf("too many subscriptions on this connection (at most %d)", l.Max),
			Extensions: map[string]any{"code": string(cqerr.RateLimited)},
		}}})
	}
	// The operation's context ends with the subscription (complete, stop, or the connection closing).
	context.AfterFunc(ctx, func() { n.Add(-1) })
	return next(ctx)
}
