package graph

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/audit/reads"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// ReadTrail is a gqlgen handler extension that writes the audit entries of an operation once its
// response is ready and before it is sent: which patients it read (collected by the Patient
// interceptor, one entry per operation), every FORBIDDEN error it returned, and every UNAUTHENTICATED
// one (a signed-out caller refused) but the sign-in mutations', which record their own; refusals up to
// a rate per caller (MayRecordDenial). A subscription records
// each event it delivers. If the entries cannot be written, the response is withheld: patient data
// leaves only with its trace.
type ReadTrail struct {
	Trail *audit.Trail
	Log   *slog.Logger
	// MayRecordDenial bounds the FORBIDDEN and UNAUTHENTICATED refusals recorded
	// (session.Service.MayRecordDenial: per signed-in account, else per client address), so a client
	// hammering a field it may not read cannot flood the log; nil records every one.
	MayRecordDenial func(ctx context.Context) bool
}

// signInFields record their own refusals (session.signInFailed, session.reuse, ...).
var signInFields = map[string]bool{
	"login": true, "refreshSession": true, "logout": true, "requestPatientCode": true, "verifyPatientCode": true,
}

// denial reports whether e is a refusal to record as access.denied.
func (t ReadTrail) denial(ctx context.Context, e *gqlerror.Error) bool {
	switch e.Extensions["code"] {
	case string(cqerr.Forbidden):
	case string(cqerr.Unauthenticated):
		if len(e.Path) > 0 {
			if f, ok := e.Path[0].(ast.PathName); ok && signInFields[string(f)] {
				return false
			}
		}
	default:
		return false
	}
	return t.MayRecordDenial == nil || t.MayRecordDenial(ctx)
}

var (
	_ graphql.HandlerExtension     = ReadTrail{}
	_ graphql.OperationInterceptor = ReadTrail{}
)

// ExtensionName implements graphql.HandlerExtension.
func (ReadTrail) ExtensionName() string { return "ReadTrail" }

// Validate implements graphql.HandlerExtension.
func (ReadTrail) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor.
func (t ReadTrail) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	ctx, set := reads.With(ctx)
	name := "anonymous"
	if oc := graphql.GetOperationContext(ctx); oc.OperationName != "" {
		name = oc.OperationName
	} else if oc.Operation != nil && oc.Operation.Name != "" {
		name = oc.Operation.Name
	}
	h := next(ctx)
	return func(rctx context.Context) *graphql.Response {
		resp := h(rctx)
		if resp == nil {
			return nil
		}
		// The entries are the viewer's, not the response context's (the same for queries and mutations).
		err := t.Trail.Reads(ctx, name, set.Take())
		for _, e := range resp.Errors {
			if err == nil && t.denial(ctx, e) {
				err = t.Trail.Denied(ctx, name, e.Path.String(), e.Message)
			}
		}
		if err != nil {
			t.Log.ErrorContext(ctx, "writing the audit trail of an operation failed; response withheld", "operation", name, "err", err)
			return &graphql.Response{Errors: gqlerror.List{{Message: "internal error", Extensions: map[string]any{"code": string(cqerr.Internal)}}}}
		}
		return resp
	}
}
