package auth

import (
	"context"
	"time"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// Limiter allows at most N events per window per key.
//
// Allow records an event for key and reports whether it is within the limit. When it is not, the
// event is not recorded and retryAfter says how long until the next event would be allowed. Keys
// are free-form ("login:email:ana@example.org", "code:ip:203.0.113.7"); implementations namespace
// them. err is an infrastructure failure (Redis down); callers decide whether to fail closed.
// Check reports what Allow would answer without recording anything: a caller that counts only some
// events (failed sign-ins) checks before the work and calls Allow once the event has happened.
// Implementations: internal/inmem (one process) and internal/redis (shared by replicas).
type Limiter interface {
	Allow(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error)
	Check(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error)
}

// TooManyAttempts is the RATE_LIMITED error to return when a Limiter refuses, with the wait
// rounded up to whole seconds.
func TooManyAttempts(retryAfter time.Duration) error {
	secs := int((retryAfter + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	unit := "seconds"
	if secs == 1 {
		unit = "second"
	}
	return cqerr.Ef(cqerr.RateLimited, "too many attempts, try again in %d %s", secs, unit)
}
