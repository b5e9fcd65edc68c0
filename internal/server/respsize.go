package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// ResponseCeiling replaces a response whose encoded data and errors exceed Max bytes with a
// BAD_USER_INPUT error. Complexity is an estimate made before running (a plain list's size is a
// declared typical maximum, a string field can be long); this is the measured backstop after it. It
// sits in the response chain, so it sees each HTTP answer and each subscription event (every
// WebSocket "next") alike.
type ResponseCeiling struct {
	Max int
	Log *slog.Logger
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = ResponseCeiling{}

func (ResponseCeiling) ExtensionName() string { return "CareQueueResponseCeiling" }

func (c ResponseCeiling) Validate(graphql.ExecutableSchema) error {
	if c.Max <= 0 {
		return errors.New("response ceiling must be positive")
	}
	return nil
}

func (c ResponseCeiling) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	size := len(resp.Data)
	if size <= c.Max && len(resp.Errors) > 0 {
		if b, err := json.Marshal(resp.Errors); err == nil {
			size += len(b)
		}
	}
	if size <= c.Max {
		return resp
	}
	op := ""
	if oc := graphql.GetOperationContext(ctx); oc != nil {
		op = oc.OperationName
	}
	if c.Log != nil {
		c.Log.WarnContext(ctx, "graphql response over the size ceiling", "operation", op, "bytes", size, "max", c.Max)
	}
	err := gqlerror.Errorf("the answer would be larger than %d bytes; ask for smaller pages or fewer fields", c.Max)
	errcode.Set(err, string(cqerr.BadUserInput))
	return &graphql.Response{Errors: gqlerror.List{err}, Extensions: resp.Extensions}
}
