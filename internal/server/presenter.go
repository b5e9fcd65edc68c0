package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	"entgo.io/ent/privacy"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// errPanic is what the recover func hands the presenter: the panic is already logged with its stack.
var errPanic = errors.New("panic while resolving")

// NewRecoverFunc logs a resolver's panic with its stack, reports it (ErrorReporter) and lets the
// presenter answer INTERNAL; the client never sees the panic value or the stack.
func NewRecoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in GraphQL resolver", "request_id", audit.RequestFrom(ctx).ID,
			"path", graphql.GetPath(ctx).String(), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		reportPanic(ctx, p)
		return errPanic
	}
}

// NewErrorPresenter returns the one function that maps errors to extensions.code (DESIGN.md's codes
// only) and a message a person can read. Errors nobody classified are INTERNAL: logged at error
// level with the request id, shown as "internal error", so SQL and driver text never reach a client.
func NewErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var src *gqlerror.Error
		if !errors.As(err, &src) {
			src = gqlerror.WrapPath(graphql.GetPath(ctx), err)
		}
		code, msg, field := classify(ctx, log, err, src)
		out := &gqlerror.Error{
			Message:    msg,
			Path:       src.Path,
			Locations:  src.Locations,
			Extensions: map[string]any{"code": string(code)},
		}
		if field != "" {
			out.Extensions["field"] = field
		}
		if ce := (*cqerr.Error)(nil); errors.As(err, &ce) && ce.Reason != "" && ce.Code == code {
			out.Extensions["reason"] = ce.Reason
		}
		return out
	}
}

func classify(ctx context.Context, log *slog.Logger, err error, src *gqlerror.Error) (cqerr.Code, string, string) {
	var ce *cqerr.Error
	var ve *ent.ValidationError
	switch {
	case errors.As(err, &ce):
		if !knownCode(ce.Code) || ce.Code == cqerr.Internal {
			logInternal(ctx, log, err, src)
			return cqerr.Internal, "internal error", ""
		}
		if ce.Code == cqerr.Unavailable {
			logUnavailable(ctx, log, err, src)
		}
		msg := ce.Message
		if msg == "" {
			msg = strings.ToLower(strings.ReplaceAll(string(ce.Code), "_", " "))
		}
		return ce.Code, msg, ce.Field
	case errors.Is(err, errPanic):
		return cqerr.Internal, "internal error", ""
	case errors.Is(err, privacy.Deny):
		// Nobody signed in: say so, so that clients sign in rather than give up.
		if _, signedIn := auth.FromContext(ctx); !signedIn {
			return cqerr.Unauthenticated, "sign in required", ""
		}
		return cqerr.Forbidden, "you do not have access to this", ""
	case ent.IsNotFound(err):
		return cqerr.NotFound, "not found", ""
	case errors.As(err, &ve):
		// ent's own text names the schema type and the validator's internals; say only which field.
		f := lowerCamel(ve.Name)
		return cqerr.BadUserInput, fmt.Sprintf("%s is missing or not valid", f), f
	case ent.IsConstraintError(err):
		return cqerr.Conflict, "this conflicts with an existing record", ""
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads this, and it is not a fault worth an error log.
		return cqerr.Internal, "the request was cancelled", ""
	case store.IsUnavailable(err):
		// The database is down, restarting or too slow for the request's deadline: the caller should
		// retry, so it is not INTERNAL. The cause (driver text, SQL state) is for the log only.
		logUnavailable(ctx, log, err, src)
		return cqerr.Unavailable, "the service is briefly unavailable, try again in a moment", ""
	case src.Err == nil:
		return protocolError(src)
	case introspectionDisabled(ctx, src):
		return cqerr.Forbidden, "introspection is only available to administrators", ""
	}
	if field, ok := inputPath(ctx, src); ok {
		// An argument or input field failed to coerce (a malformed Time, an unknown enum value):
		// the scalar's message is about the caller's value, not about us.
		return cqerr.BadUserInput, fmt.Sprintf("invalid value for %s: %s", field, src.Err.Error()), field
	}
	logInternal(ctx, log, err, src)
	return cqerr.Internal, "internal error", ""
}

func logInternal(ctx context.Context, log *slog.Logger, err error, src *gqlerror.Error) {
	log.ErrorContext(ctx, "internal error in GraphQL request", "request_id", audit.RequestFrom(ctx).ID,
		"path", src.Path.String(), "error", err)
	reportInternal(ctx, err)
}

// logUnavailable logs a retryable failure at warning level: worth watching (a run of them is an outage
// or a stuck queue), not a bug.
func logUnavailable(ctx context.Context, log *slog.Logger, err error, src *gqlerror.Error) {
	log.WarnContext(ctx, "unavailable in GraphQL request", "request_id", audit.RequestFrom(ctx).ID,
		"path", src.Path.String(), "error", err)
}

func knownCode(c cqerr.Code) bool {
	switch c {
	case cqerr.Unauthenticated, cqerr.Forbidden, cqerr.NotFound, cqerr.BadUserInput, cqerr.Conflict,
		cqerr.RateLimited, cqerr.Unavailable, cqerr.Internal,
		cqerr.PersistedQueryNotFound, cqerr.PersistedQueryRequired:
		return true
	}
	return false
}

// protocolError handles gqlgen's and gqlparser's own errors (parse, validation, variable coercion,
// complexity, depth): their messages are about the query text, so they are kept.
func protocolError(src *gqlerror.Error) (cqerr.Code, string, string) {
	msg := src.Message
	switch {
	case strings.HasPrefix(msg, "json request body could not be decoded"):
		// gqlgen appends the raw body to this message; do not echo it.
		msg = "the request body is not valid JSON"
	case strings.HasPrefix(msg, "could not read request body"):
		msg = "could not read the request body"
	}
	if code, ok := src.Extensions["code"].(string); ok && knownCode(cqerr.Code(code)) && code != string(cqerr.Internal) {
		return cqerr.Code(code), msg, ""
	}
	return cqerr.BadUserInput, msg, ""
}

// introspectionDisabled recognises gqlgen's refusal of __schema/__type when IntrospectionGate said no.
func introspectionDisabled(ctx context.Context, src *gqlerror.Error) bool {
	fc := graphql.GetFieldContext(ctx)
	return fc != nil && fc.Field.Field != nil && strings.HasPrefix(fc.Field.Name, "__") &&
		src.Err.Error() == "introspection disabled"
}

// inputPath reports whether src's path runs past the field being resolved — gqlgen puts argument and
// input-object coercion errors there — and returns that tail ("input.status").
func inputPath(ctx context.Context, src *gqlerror.Error) (string, bool) {
	if graphql.GetFieldContext(ctx) == nil {
		return "", false
	}
	field := graphql.GetPath(ctx)
	if len(src.Path) <= len(field) {
		return "", false
	}
	for i := range field {
		if field[i] != src.Path[i] {
			return "", false
		}
	}
	var b strings.Builder
	for _, el := range src.Path[len(field):] {
		switch el := el.(type) {
		case ast.PathName:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(el))
		case ast.PathIndex:
			fmt.Fprintf(&b, "[%d]", int(el))
		}
	}
	return b.String(), true
}

// lowerCamel turns ent's snake_case field names into the API's camelCase ("phone_number" → "phoneNumber").
func lowerCamel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
