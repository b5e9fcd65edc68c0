package server

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// Errors outside a GraphQL response body — HTTP handlers (the bearer-token middleware, the job
// monitor's Basic auth, the CSV download) and the WebSocket's connection_init — are classified exactly
// as the GraphQL presenter classifies them (classify: safe message, internal errors logged with the
// request id) and answered from the code through the two tables below, so a code means the same
// everywhere.

// httpStatus is the HTTP status of each error code.
func httpStatus(c cqerr.Code) int {
	switch c {
	case cqerr.Unauthenticated:
		return http.StatusUnauthorized
	case cqerr.Forbidden:
		return http.StatusForbidden
	case cqerr.NotFound:
		return http.StatusNotFound
	case cqerr.BadUserInput:
		return http.StatusBadRequest
	case cqerr.Conflict:
		return http.StatusConflict
	case cqerr.RateLimited:
		return http.StatusTooManyRequests
	case cqerr.Unavailable:
		return http.StatusServiceUnavailable
	default: // Internal, and anything uncoded, follows below
	}
	return http.StatusInternalServerError
}

// wsCloseCode is the close code of a WebSocket whose connection_init was refused: 4401 for a token that
// cannot be used (graphql-ws clients stop and fetch a new one instead of retrying it), RFC 6455's 1013
// "try again later" when the viewer could not be checked right now.
func wsCloseCode(c cqerr.Code) int {
	switch c {
	case cqerr.Unauthenticated, cqerr.Forbidden:
		return CloseUnauthorized
	default: // the others follow below
	}
	return closeTryAgainLater
}

// classifyErr is classify for an error that did not come from a GraphQL field.
func classifyErr(ctx context.Context, log *slog.Logger, err error) (code cqerr.Code, msg, field string) {
	return classify(ctx, log, err, &gqlerror.Error{Err: err, Message: err.Error()})
}

// writeCodedError answers with {"errors":[{message, extensions:{code, field}}]} and the code's HTTP
// status, or status when it is set.
func writeCodedError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error, status int) {
	code, msg, field := classifyErr(r.Context(), log, err)
	if status == 0 {
		status = httpStatus(code)
	}
	if code == cqerr.Unauthenticated && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	writeFieldError(w, status, code, msg, field)
}
