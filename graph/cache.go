package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/carequeue/carequeue/internal/queue"
)

// PositionCache is a gqlgen handler extension that gives each query and mutation a fresh cache of
// queue orders, so positions of many tickets of one queue cost one computation per request.
// Subscriptions get none: they live across changes, and a cached order would go stale.
type PositionCache struct{}

var (
	_ graphql.HandlerExtension     = PositionCache{}
	_ graphql.OperationInterceptor = PositionCache{}
)

// ExtensionName implements graphql.HandlerExtension.
func (PositionCache) ExtensionName() string { return "PositionCache" }

// Validate implements graphql.HandlerExtension.
func (PositionCache) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor.
func (PositionCache) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation != ast.Subscription {
		ctx = queue.WithCache(ctx)
	}
	return next(ctx)
}
