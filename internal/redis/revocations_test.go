package redis_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/redis"
	"github.com/carequeue/carequeue/internal/redis/redistest"
	"github.com/carequeue/carequeue/internal/session/revocationtest"
)

func TestRevocations(t *testing.T) {
	t.Parallel()
	client := redistest.Client(t)
	prefix := redistest.Prefix(t, client) + ":rt:"
	revocationtest.Run(t, func(*testing.T) revocationtest.Bus { return redis.NewRevocations(client, prefix, nil) })

	t.Run("OtherDeploymentsDoNotHear", func(t *testing.T) {
		mine := revocationtest.Start(t, redis.NewRevocations(client, prefix, nil))
		other := redis.NewRevocations(client, redistest.Prefix(t, client)+":rt:", nil)
		require.NoError(t, other.PublishRevocation(t.Context(), "US99"))
		require.NoError(t, redis.NewRevocations(client, prefix, nil).PublishRevocation(t.Context(), "US01"))
		require.Equal(t, "US01", mine.Next(t))
	})

	t.Run("ResyncsAfterReconnect", func(t *testing.T) {
		own, name := redistest.NamedClient(t, client)
		b := redis.NewRevocations(own, prefix, nil)
		r := revocationtest.Start(t, b)
		redistest.KillSubscriptions(t, client, name)
		r.Synced(t) // revocations published meanwhile may be lost: the replica re-checks everyone
		require.NoError(t, b.PublishRevocation(t.Context(), "US03"))
		require.Equal(t, "US03", r.Next(t))
	})
}
