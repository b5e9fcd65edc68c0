package redis_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth/limitertest"
	"github.com/carequeue/carequeue/internal/redis"
	"github.com/carequeue/carequeue/internal/redis/redistest"
)

func TestLimiter(t *testing.T) {
	t.Parallel()
	client := redistest.Client(t)

	// Redis reads its own clock, so time passes for real.
	limitertest.Run(t, func(t *testing.T, limit int, window time.Duration) limitertest.Limiter {
		return limitertest.Limiter{Limiter: redis.NewLimiter(client, redistest.Prefix(t, client), limit, window), Wait: time.Sleep}
	})

	t.Run("KeepsPrefixesApart", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		prefix := redistest.Prefix(t, client)
		a := redis.NewLimiter(client, prefix+":a", 1, time.Minute)
		b := redis.NewLimiter(client, prefix+":b", 1, time.Minute)
		for _, step := range []struct {
			l    *redis.Limiter
			want bool
		}{{a, true}, {b, true}, {a, false}, {b, false}} {
			ok, _, err := step.l.Allow(ctx, "ana")
			require.NoError(t, err)
			require.Equal(t, step.want, ok)
		}
	})

	t.Run("StoresNamespacedKeysWithExpiry", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		prefix := redistest.Prefix(t, client)
		l := redis.NewLimiter(client, prefix, 5, time.Minute)
		_, _, err := l.Allow(ctx, "login:ana")
		require.NoError(t, err)
		ttl, err := client.PTTL(ctx, prefix+":login:ana").Result()
		require.NoError(t, err)
		require.Greater(t, ttl, 50*time.Second)
		require.LessOrEqual(t, ttl, time.Minute)
	})

	t.Run("ReplicasShareOneLimit", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		prefix := redistest.Prefix(t, client)
		var allowed atomic.Int32
		var wg sync.WaitGroup
		for range 20 { // each goroutine its own Limiter value, as separate replicas would have
			l := redis.NewLimiter(client, prefix, 5, time.Minute)
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

	t.Run("ReturnsErrorWhenRedisFails", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		l := redis.NewLimiter(client, redistest.Prefix(t, client), 5, time.Minute)
		ok, _, err := l.Allow(ctx, "k")
		require.Error(t, err)
		require.False(t, ok)
	})

	t.Run("PanicsOnBadSettings", func(t *testing.T) {
		t.Parallel()
		require.Panics(t, func() { redis.NewLimiter(nil, "p", 5, time.Minute) })
		require.Panics(t, func() { redis.NewLimiter(client, "p", 0, time.Minute) })
		require.Panics(t, func() { redis.NewLimiter(client, "p", 5, time.Microsecond) })
	})
}
