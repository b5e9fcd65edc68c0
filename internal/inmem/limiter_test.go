package inmem_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth/limitertest"
	"github.com/carequeue/carequeue/internal/inmem"
	"github.com/carequeue/carequeue/internal/testclock"
)

func newClock() *testclock.Clock { return testclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) }

func TestLimiter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	limitertest.Run(t, func(t *testing.T, limit int, window time.Duration) limitertest.Limiter {
		clk := newClock()
		return limitertest.Limiter{Limiter: inmem.NewLimiter(limit, window, clk.Now), Wait: clk.Advance}
	})

	t.Run("RetryIsExact", func(t *testing.T) {
		t.Parallel()
		clk := newClock()
		l := inmem.NewLimiter(5, time.Minute, clk.Now)
		for i := range 5 {
			ok, _, err := l.Allow(ctx, "login:ana")
			require.NoError(t, err)
			require.True(t, ok, "attempt %d", i+1)
			clk.Advance(time.Second)
		}
		ok, retry, err := l.Allow(ctx, "login:ana")
		require.NoError(t, err)
		require.False(t, ok)
		require.Equal(t, 55*time.Second, retry, "the first attempt leaves the window 60s after it")
	})

	t.Run("ForgetsIdleKeys", func(t *testing.T) {
		t.Parallel()
		clk := newClock()
		l := inmem.NewLimiter(5, time.Minute, clk.Now)
		for i := range 1000 {
			_, _, _ = l.Allow(ctx, fmt.Sprintf("ip:%d", i))
		}
		require.Equal(t, 1000, l.Len())
		clk.Advance(2 * time.Minute)
		_, _, _ = l.Allow(ctx, "ip:new")
		require.Equal(t, 1, l.Len())
	})

	t.Run("PanicsOnNonPositiveSettings", func(t *testing.T) {
		t.Parallel()
		require.Panics(t, func() { inmem.NewLimiter(0, time.Minute, nil) })
		require.Panics(t, func() { inmem.NewLimiter(5, 0, nil) })
	})
}
