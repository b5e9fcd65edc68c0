package inmem_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/inmem"
)

// clock is a fake time source safe for concurrent use.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("RefusesSixthWithinWindow", func(t *testing.T) {
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

	t.Run("AllowsAgainAfterWindow", func(t *testing.T) {
		t.Parallel()
		clk := newClock()
		l := inmem.NewLimiter(5, time.Minute, clk.Now)
		for range 5 {
			ok, _, _ := l.Allow(ctx, "k")
			require.True(t, ok)
		}
		ok, retry, _ := l.Allow(ctx, "k")
		require.False(t, ok)
		clk.Advance(retry)
		ok, _, _ = l.Allow(ctx, "k")
		require.True(t, ok)
	})

	t.Run("SlidesRatherThanResetting", func(t *testing.T) {
		t.Parallel()
		clk := newClock()
		l := inmem.NewLimiter(5, time.Minute, clk.Now)
		for range 5 { // a burst at the end of one minute ...
			ok, _, _ := l.Allow(ctx, "k")
			require.True(t, ok)
		}
		clk.Advance(59 * time.Second) // ... cannot be followed by another at the start of the next
		ok, retry, _ := l.Allow(ctx, "k")
		require.False(t, ok)
		require.Equal(t, time.Second, retry)
	})

	t.Run("DoesNotCountRefusals", func(t *testing.T) {
		t.Parallel()
		clk := newClock()
		l := inmem.NewLimiter(1, time.Minute, clk.Now)
		ok, _, _ := l.Allow(ctx, "k")
		require.True(t, ok)
		for range 10 {
			clk.Advance(5 * time.Second)
			ok, _, _ := l.Allow(ctx, "k")
			require.False(t, ok)
		}
		clk.Advance(10 * time.Second)
		ok, _, _ = l.Allow(ctx, "k")
		require.True(t, ok)
	})

	t.Run("KeepsKeysApart", func(t *testing.T) {
		t.Parallel()
		l := inmem.NewLimiter(1, time.Minute, newClock().Now)
		ok, _, _ := l.Allow(ctx, "login:ana")
		require.True(t, ok)
		ok, _, _ = l.Allow(ctx, "login:ben")
		require.True(t, ok)
		ok, _, _ = l.Allow(ctx, "login:ana")
		require.False(t, ok)
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

	t.Run("NeverExceedsLimitUnderConcurrency", func(t *testing.T) {
		t.Parallel()
		l := inmem.NewLimiter(5, time.Minute, newClock().Now)
		var allowed atomic.Int32
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				for range 5 {
					ok, _, err := l.Allow(ctx, "shared")
					if err == nil && ok {
						allowed.Add(1)
					}
				}
			})
		}
		wg.Wait()
		require.Equal(t, int32(5), allowed.Load())
	})

	t.Run("PanicsOnNonPositiveSettings", func(t *testing.T) {
		t.Parallel()
		require.Panics(t, func() { inmem.NewLimiter(0, time.Minute, nil) })
		require.Panics(t, func() { inmem.NewLimiter(5, 0, nil) })
	})
}
