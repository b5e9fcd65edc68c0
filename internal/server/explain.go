package server

import (
	"context"
	"log/slog"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// NewErrorExplainer returns the error presenter's translation as a coded error, for answers that carry
// an error inside their data rather than in the response's errors (each operation of a sync batch):
// the same code, message, field and reason the presenter would send, and the same logging of
// INTERNAL and UNAVAILABLE causes with the request id.
func NewErrorExplainer(log *slog.Logger) func(ctx context.Context, err error) *cqerr.Error {
	present := NewErrorPresenter(log)
	return func(ctx context.Context, err error) *cqerr.Error {
		e := present(ctx, err)
		code, _ := e.Extensions["code"].(string)
		out := cqerr.E(cqerr.Code(code), e.Message)
		if f, ok := e.Extensions["field"].(string); ok {
			out.Field = f
		}
		if r, ok := e.Extensions["reason"].(string); ok {
			out.Reason = r
		}
		return out
	}
}
