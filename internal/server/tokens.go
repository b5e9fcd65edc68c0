package server

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// tokenChecker turns a bearer token into its viewer, with the request's context for the audit log.
type tokenChecker func(ctx context.Context, token string) (auth.Viewer, error)

func newRejectedTokens() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "carequeue_access_tokens_rejected_total",
		Help: "Access tokens refused over HTTP or WebSocket, by reason: expired (routine) or invalid (forged, tampered, malformed).",
	}, []string{"reason"})
}

// checkTokens wraps viewer: every refusal is counted, and those that are not a mere expiry go to
// rejected (the audit log) as well.
func checkTokens(viewer tokenChecker, rejected func(context.Context, string, error), count *prometheus.CounterVec) tokenChecker {
	return func(ctx context.Context, token string) (auth.Viewer, error) {
		v, err := viewer(ctx, token)
		if err == nil || cqerr.CodeOf(err) != cqerr.Unauthenticated {
			return v, err // a failed revocation check (database down) says nothing about the token
		}
		if auth.IsExpired(err) {
			count.WithLabelValues("expired").Inc()
			return v, err
		}
		count.WithLabelValues("invalid").Inc()
		if rejected != nil {
			rejected(ctx, token, err)
		}
		return v, err
	}
}
