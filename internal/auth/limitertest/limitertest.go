// Package limitertest is the conformance suite of auth.Limiter: every implementation (internal/inmem
// in one process, internal/redis shared by replicas) runs the same Run, so they keep one contract — a
// sliding window of at most limit allowed events per key, refusals not counted, a retry-after that
// says when the oldest allowed event leaves the window, keys kept apart, and no more than limit
// allowed however many callers race. Only tests import it.
package limitertest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
)

// Limiter is an auth.Limiter under test with the way to let its time pass.
type Limiter struct {
	auth.Limiter
	// Wait lets d pass on the limiter's clock: a fake clock's Advance, or time.Sleep for a limiter
	// that reads a server's clock.
	Wait func(d time.Duration)
}

// NewFunc returns a fresh Limiter allowing limit events per window per key, sharing no state with
// any other it returned.
type NewFunc func(t *testing.T, limit int, window time.Duration) Limiter

// Window is the window of the subtests that let time pass. It is short so that a limiter on a real
// clock runs them quickly, and long enough that a busy machine does not cross it by accident.
const Window = time.Second

// slack covers a real clock's sleep and round trips, and a server clock's millisecond rounding.
const slack = 50 * time.Millisecond

// Run runs the suite against limiters from newLimiter, each subtest in parallel.
func Run(t *testing.T, newLimiter NewFunc) {
	t.Helper()
	allow := func(t *testing.T, l Limiter, key string) (bool, time.Duration) {
		t.Helper()
		ok, retry, err := l.Allow(t.Context(), key)
		require.NoError(t, err)
		return ok, retry
	}
	// burst takes every slot of key and returns the refusal's retry-after.
	burst := func(t *testing.T, l Limiter, limit int, key string) time.Duration {
		t.Helper()
		for i := range limit {
			ok, _ := allow(t, l, key)
			require.True(t, ok, "attempt %d of %d", i+1, limit)
		}
		ok, retry := allow(t, l, key)
		require.False(t, ok, "attempt %d of %d", limit+1, limit)
		return retry
	}

	t.Run("RefusesOverLimitWithRetryWithinWindow", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t, 5, time.Minute)
		retry := burst(t, l, 5, "login:ana")
		require.Greater(t, retry, time.Duration(0))
		require.LessOrEqual(t, retry, time.Minute)
	})

	t.Run("AllowsAgainAfterRetry", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t, 2, Window)
		retry := burst(t, l, 2, "k")
		l.Wait(retry + slack)
		ok, _ := allow(t, l, "k")
		require.True(t, ok)
	})

	t.Run("SlidesRatherThanResetting", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t, 2, Window)
		burst(t, l, 2, "k")
		l.Wait(Window / 2)
		ok, retry := allow(t, l, "k")
		require.False(t, ok, "the burst is still inside the window")
		require.LessOrEqual(t, retry, Window/2, "retry counts from the oldest allowed event, not from now")
	})

	t.Run("DoesNotCountRefusals", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t, 1, Window)
		burst(t, l, 1, "k")
		var retry time.Duration
		for range 3 {
			l.Wait(Window / 5)
			var ok bool
			ok, retry = allow(t, l, "k")
			require.False(t, ok)
		}
		require.LessOrEqual(t, retry, 2*Window/5+slack, "the refusals did not push the window on")
		l.Wait(retry + slack)
		ok, _ := allow(t, l, "k")
		require.True(t, ok)
	})

	t.Run("KeepsKeysApart", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t, 1, time.Minute)
		for _, step := range []struct {
			key  string
			want bool
		}{{"login:ana", true}, {"login:ben", true}, {"login:ana", false}, {"login:ben", false}} {
			ok, _ := allow(t, l, step.key)
			require.Equal(t, step.want, ok, step.key)
		}
	})

	t.Run("CheckRecordsNothing", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t, 2, time.Minute)
		check := func() (bool, time.Duration) {
			ok, retry, err := l.Check(t.Context(), "k")
			require.NoError(t, err)
			return ok, retry
		}
		for range 5 {
			ok, _ := check()
			require.True(t, ok, "checking an unused key")
		}
		ok, _ := allow(t, l, "k")
		require.True(t, ok, "five checks took no slot")
		ok, _ = check()
		require.True(t, ok, "one slot left")
		ok, _ = allow(t, l, "k")
		require.True(t, ok)
		ok, retry := check()
		require.False(t, ok, "both slots taken: Check answers as Allow would")
		require.Greater(t, retry, time.Duration(0))
		require.LessOrEqual(t, retry, time.Minute)
	})

	t.Run("NeverExceedsLimitUnderConcurrency", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t, 5, time.Minute)
		var allowed atomic.Int32
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				for range 5 {
					ok, _, err := l.Allow(t.Context(), "shared")
					if err == nil && ok {
						allowed.Add(1)
					}
				}
			})
		}
		wg.Wait()
		require.Equal(t, int32(5), allowed.Load())
	})
}
