package server

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// ErrorReporter hears of the server's own faults (internal/sentry.Reporter): panics, in resolvers and
// in HTTP handlers, and errors the presenter answered INTERNAL. What a caller caused (BAD_USER_INPUT,
// NOT_FOUND, a cancelled request, ...) is not a fault and is never reported.
type ErrorReporter interface {
	ReportError(ctx context.Context, err error)
	ReportPanic(ctx context.Context, p any)
}

// reportingPresenter reports the errors present answers INTERNAL, except panics (reportingRecover
// reported them with their stack) and requests the client abandoned.
func reportingPresenter(rep ErrorReporter, present graphql.ErrorPresenterFunc) graphql.ErrorPresenterFunc {
	if rep == nil {
		return present
	}
	return func(ctx context.Context, err error) *gqlerror.Error {
		out := present(ctx, err)
		if out.Extensions["code"] == string(cqerr.Internal) && !errors.Is(err, errPanic) && !errors.Is(err, context.Canceled) {
			rep.ReportError(ctx, err)
		}
		return out
	}
}

// reportingRecover reports a resolver's panic, then lets recover log it and answer INTERNAL.
func reportingRecover(rep ErrorReporter, recoverFunc graphql.RecoverFunc) graphql.RecoverFunc {
	if rep == nil {
		return recoverFunc
	}
	return func(ctx context.Context, p any) error {
		rep.ReportPanic(ctx, p)
		return recoverFunc(ctx, p)
	}
}
