package server

import (
	"context"
	"errors"
)

// ErrorReporter hears of the server's own faults (internal/sentry.Reporter): panics, in resolvers and
// in HTTP handlers, and errors answered INTERNAL, from GraphQL and from plain HTTP handlers alike.
// What a caller caused (BAD_USER_INPUT, NOT_FOUND, a cancelled request, ...) is not a fault and is
// never reported.
type ErrorReporter interface {
	ReportError(ctx context.Context, err error)
	ReportPanic(ctx context.Context, p any)
}

// reporterKey carries a request's ErrorReporter (set by accessLog), so the one place that classifies
// an error INTERNAL (classify, through logInternal) reports it whichever handler it came from.
type reporterKey struct{}

func withReporter(ctx context.Context, rep ErrorReporter) context.Context {
	if rep == nil {
		return ctx
	}
	return context.WithValue(ctx, reporterKey{}, rep)
}

// reportInternal reports an error answered INTERNAL, unless the caller abandoned the request.
func reportInternal(ctx context.Context, err error) {
	if rep, ok := ctx.Value(reporterKey{}).(ErrorReporter); ok && !errors.Is(err, context.Canceled) {
		rep.ReportError(ctx, err)
	}
}

// reportPanic reports a recovered panic (from the deferred recover, so the stack is the panic's).
func reportPanic(ctx context.Context, p any) {
	if rep, ok := ctx.Value(reporterKey{}).(ErrorReporter); ok {
		rep.ReportPanic(ctx, p)
	}
}
