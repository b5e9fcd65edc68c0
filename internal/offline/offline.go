// Package offline owns what a client needs when it comes back from offline: the sync batch (the
// workflow actions it queued, applied in order through the queue's own workflows and idempotency keys)
// and the change feed (the ticket events and tickets it may see since a cursor). The batch rules
// (limits, sequence gaps, duplicate keys, what each kind takes) are pure and table-tested in batch.go;
// the service runs each operation in its own workflow transaction, so an operation is applied whole or
// not at all, and a replay through the batch or through the ordinary mutation gets the same result.
package offline

import (
	"context"
	"log/slog"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

// Options are the service's dependencies. Queue, Client and Explain are required.
type Options struct {
	// Queue runs the workflows.
	Queue *queue.Service
	// Client reads the feed through the ent privacy rules of the viewer in the context.
	Client *ent.Client
	// Explain turns an operation's error into what the mutation would have answered
	// (server.NewErrorExplainer: the one translation of errors to codes).
	Explain func(ctx context.Context, err error) *cqerr.Error
	// Trail records refused batches and refused operations (nil: not recorded).
	Trail *audit.Trail
	// MayRecord bounds those records per caller (session.Service.MayRecordDenial); nil records all.
	MayRecord func(ctx context.Context) bool
	Logger    *slog.Logger
	// Now is the clock of the feed's cursors (default time.Now). Event ids carry the wall clock, so
	// this is the real one, not a workflow's test clock.
	Now func() time.Time
}

// Service applies sync batches and serves the change feed.
type Service struct{ o Options }

// New returns the service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{o: o}
}

// record writes a refused batch to the audit trail, and denied an operation refused FORBIDDEN (as the
// mutation's refusal is), when there is a trail and the caller's quota allows. A failure to write is
// logged, not returned: the answer to the client does not depend on it.
func (s *Service) record(ctx context.Context, path, reason, message string) {
	s.write(ctx, func() error { return s.o.Trail.Refused(ctx, "syncPush", path, reason, message) })
}

func (s *Service) denied(ctx context.Context, path, message string) {
	s.write(ctx, func() error { return s.o.Trail.Denied(ctx, "syncPush", path, message) })
}

func (s *Service) write(ctx context.Context, fn func() error) {
	if s.o.Trail == nil || (s.o.MayRecord != nil && !s.o.MayRecord(ctx)) {
		return
	}
	if err := fn(); err != nil {
		s.o.Logger.ErrorContext(ctx, "recording a sync refusal", "request_id", audit.RequestFrom(ctx).ID, "error", err)
	}
}

// signedIn refuses a caller without a session before anything is read or tried: what follows is done
// as the viewer, and a batch of anonymous operations would only fail one by one.
func signedIn(ctx context.Context) error {
	if _, ok := auth.FromContext(ctx); !ok {
		return cqerr.E(cqerr.Unauthenticated, "sign in required")
	}
	return nil
}
