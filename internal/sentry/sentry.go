// Package sentry reports the server's own faults, panics and INTERNAL errors, to Sentry, with patient
// data, tokens and request contents scrubbed before anything leaves the process (Scrub). Errors a
// caller caused (BAD_USER_INPUT, NOT_FOUND, ...) are not faults and are never reported; that choice is
// internal/server's, which calls a Reporter.
package sentry

import (
	"context"
	"fmt"
	"time"

	sentrygo "github.com/getsentry/sentry-go"
	"go.opentelemetry.io/otel/trace"

	"github.com/carequeue/carequeue/internal/audit"
)

// Config says where reports go and how they are tagged.
type Config struct {
	// DSN is the project's DSN (SENTRY_DSN); empty reports nothing.
	DSN string
	// Release and Environment tag every event (the build version, SENTRY_ENVIRONMENT or APP_ENV).
	Release, Environment string
}

// Reporter sends events to one Sentry project. A nil *Reporter reports nothing, at no cost.
type Reporter struct {
	hub *sentrygo.Hub
}

// New returns a Reporter for cfg, or nil when cfg has no DSN. A malformed DSN is an error that does
// not quote it (it is a credential).
func New(cfg Config) (*Reporter, error) {
	if cfg.DSN == "" {
		return nil, nil
	}
	client, err := sentrygo.NewClient(sentrygo.ClientOptions{
		Dsn:              cfg.DSN,
		Release:          cfg.Release,
		Environment:      cfg.Environment,
		AttachStacktrace: true,
		SendDefaultPII:   false,
		BeforeSend:       func(e *sentrygo.Event, _ *sentrygo.EventHint) *sentrygo.Event { return Scrub(e) },
		// Breadcrumbs would collect whatever passes by; the server adds none, and none are wanted.
		BeforeBreadcrumb: func(*sentrygo.Breadcrumb, *sentrygo.BreadcrumbHint) *sentrygo.Breadcrumb { return nil },
		// ContextifyFrames would read source files to send the lines around each frame.
		Integrations: func(in []sentrygo.Integration) []sentrygo.Integration {
			out := in[:0]
			for _, i := range in {
				if i.Name() != "ContextifyFrames" {
					out = append(out, i)
				}
			}
			return out
		},
	})
	if err != nil {
		return nil, fmt.Errorf("SENTRY_DSN: the Sentry client refused it (%T)", err)
	}
	return &Reporter{hub: sentrygo.NewHub(client, sentrygo.NewScope())}, nil
}

// ReportError sends err, which the server classified INTERNAL, with the request's id and trace.
func (r *Reporter) ReportError(ctx context.Context, err error) {
	if r == nil || err == nil {
		return
	}
	hub := r.scoped(ctx)
	hub.CaptureException(err)
}

// ReportPanic sends a recovered panic value with the stack of the goroutine that panicked (call it
// from the deferred recover).
func (r *Reporter) ReportPanic(ctx context.Context, p any) {
	if r == nil {
		return
	}
	hub := r.scoped(ctx)
	hub.RecoverWithContext(ctx, p)
}

// Flush waits up to timeout for queued events to be sent; at shutdown.
func (r *Reporter) Flush(timeout time.Duration) {
	if r != nil {
		r.hub.Flush(timeout)
	}
}

// scoped is a hub for one event, tagged with what ties it to the logs and traces: the request id and
// the trace id, never who the user is.
func (r *Reporter) scoped(ctx context.Context) *sentrygo.Hub {
	hub := r.hub.Clone()
	scope := hub.Scope()
	if id := audit.RequestFrom(ctx).ID; id != "" {
		scope.SetTag("request_id", id)
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		scope.SetTag("trace_id", sc.TraceID().String())
	}
	return hub
}
