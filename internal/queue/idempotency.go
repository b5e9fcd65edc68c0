package queue

import (
	"context"
	"fmt"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticketevent"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// MaxIdempotencyKeyLen bounds a client's idempotency key (a UUID is 36 characters).
const MaxIdempotencyKeyLen = 128

type keyCtx struct{}

// WithIdempotencyKey marks the workflow call made with ctx with the client's key (nil: none). A call
// repeated with the same key (an offline dashboard replaying its actions, a retry after a lost
// response) changes nothing and returns the ticket the first call returned, as it is now. CheckIn takes
// its key in its input instead.
func WithIdempotencyKey(ctx context.Context, key *string) context.Context {
	if key == nil {
		return ctx
	}
	return context.WithValue(ctx, keyCtx{}, *key)
}

// idempotencyKey returns the call's key, "" for none. Errors: BAD_USER_INPUT.
func idempotencyKey(ctx context.Context) (string, error) {
	k, _ := ctx.Value(keyCtx{}).(string)
	if _, set := ctx.Value(keyCtx{}).(string); set && (k == "" || len(k) > MaxIdempotencyKeyLen) {
		return "", cqerr.Ef(cqerr.BadUserInput, "idempotencyKey must be 1 to %d characters", MaxIdempotencyKeyLen).WithField("idempotencyKey")
	}
	return k, nil
}

// replay returns the ticket of the event an earlier call with key wrote, as the viewer sees it now, or
// nil when the key is new. It must run under the queue lock, so that a concurrent retry waits for the
// first call and then finds its event. want is the event action the first call recorded for the ticket
// it returned. Errors: CONFLICT when the key was used for another action.
func replay(ctx context.Context, tx *store.Tx, key string, want Action) (*ent.Ticket, error) {
	if key == "" {
		return nil, nil
	}
	ev, err := tx.Client.TicketEvent.Query().Where(ticketevent.IdempotencyKey(key)).Only(auth.SystemContext(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading idempotency key: %w", err)
	}
	if Action(ev.Action) != want {
		return nil, cqerr.E(cqerr.Conflict, "this idempotency key was already used for another action").WithField("idempotencyKey")
	}
	t, err := tx.Client.Ticket.Get(ctx, pulid.ID(ev.TicketID))
	if err != nil {
		return nil, notFound(err, "ticket")
	}
	return t, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
