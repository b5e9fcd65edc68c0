package redis_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/redis"
	"github.com/carequeue/carequeue/internal/redis/redistest"
)

func TestSockets(t *testing.T) {
	t.Parallel()
	client := redistest.Client(t)
	ctx := context.Background()

	t.Run("CapHoldsAcrossReplicas", func(t *testing.T) {
		t.Parallel()
		prefix := redistest.Prefix(t, client)
		a, b := redis.NewSockets(client, prefix, 0, nil), redis.NewSockets(client, prefix, 0, nil)
		for _, c := range []struct {
			r  *redis.Sockets
			id string
		}{{a, "a1"}, {b, "b1"}} {
			ok, err := c.r.Acquire(ctx, "US1", c.id, 2)
			require.NoError(t, err)
			require.True(t, ok)
		}
		for _, r := range []*redis.Sockets{a, b} {
			ok, err := r.Acquire(ctx, "US1", "third", 2)
			require.NoError(t, err)
			require.False(t, ok, "two sockets on two replicas fill a cap of two")
		}
		ok, err := a.Acquire(ctx, "US2", "a2", 2)
		require.NoError(t, err)
		require.True(t, ok, "another account is counted apart")

		require.NoError(t, b.Release(ctx, "US1", "b1"))
		ok, err = a.Acquire(ctx, "US1", "a3", 2)
		require.NoError(t, err)
		require.True(t, ok, "a released socket makes room on any replica")
	})

	t.Run("CrashedReplicasSocketsLapse", func(t *testing.T) {
		t.Parallel()
		prefix := redistest.Prefix(t, client)
		const ttl = 300 * time.Millisecond
		crashed := redis.NewSockets(client, prefix, ttl, nil) // acquires, then neither refreshes nor releases
		for _, id := range []string{"c1", "c2"} {
			ok, err := crashed.Acquire(ctx, "US1", id, 2)
			require.NoError(t, err)
			require.True(t, ok)
		}
		live := redis.NewSockets(client, prefix, ttl, nil)
		require.Eventually(t, func() bool {
			ok, err := live.Acquire(ctx, "US1", "l1", 2)
			require.NoError(t, err)
			return ok
		}, 10*time.Second, 20*time.Millisecond)
		require.NotZero(t, client.PTTL(ctx, prefix+":US1").Val(), "the set itself expires too")
	})

	t.Run("RunKeepsOpenSocketsCounting", func(t *testing.T) {
		t.Parallel()
		prefix := redistest.Prefix(t, client)
		r := redis.NewSockets(client, prefix, 300*time.Millisecond, nil)
		ok, err := r.Acquire(ctx, "US1", "s1", 1)
		require.NoError(t, err)
		require.True(t, ok)
		first := client.ZScore(ctx, prefix+":US1", "s1").Val()
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- r.Run(runCtx) }()
		require.Eventually(t, func() bool {
			return client.ZScore(ctx, prefix+":US1", "s1").Val() > first
		}, 10*time.Second, 20*time.Millisecond, "Run pushes the open socket's deadline forward")
		stop()
		require.NoError(t, <-done)

		require.NoError(t, r.Release(ctx, "US1", "s1"))
		require.Zero(t, client.ZCard(ctx, prefix+":US1").Val(), "a released socket no longer counts")
	})
}
