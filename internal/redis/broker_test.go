package redis_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/realtime"
	"github.com/carequeue/carequeue/internal/realtime/brokertest"
	"github.com/carequeue/carequeue/internal/redis"
	"github.com/carequeue/carequeue/internal/redis/redistest"
)

func TestBroker(t *testing.T) {
	t.Parallel()
	client := redistest.Client(t)

	brokertest.Run(t, func(t *testing.T) realtime.Broker {
		return redis.NewBroker(client, redistest.Prefix(t, client)+":rt:", nil)
	})

	t.Run("ReplicasUnderOnePrefixShareEventsAndOtherPrefixesDoNot", func(t *testing.T) {
		t.Parallel()
		prefix := redistest.Prefix(t, client) + ":rt:"
		a, b := redis.NewBroker(client, prefix, nil), redis.NewBroker(client, prefix, nil)
		other := redis.NewBroker(client, redistest.Prefix(t, client)+":rt:", nil)
		onB, onOther := brokertest.Start(t, b), brokertest.Start(t, other)
		e, marker := brokertest.NewEvent(3), brokertest.NewEvent(1)
		q, _ := brokertest.Topics(e)
		markerQ, _ := brokertest.Topics(marker)
		onB.Subscribe(t, b, q)
		onOther.Subscribe(t, other, q, markerQ)

		require.NoError(t, a.Publish(t.Context(), e))
		require.Equal(t, brokertest.EventOn(q, e), onB.Next(t), "published by one replica, heard by another")
		require.NoError(t, other.Publish(t.Context(), marker))
		require.Equal(t, brokertest.EventOn(markerQ, marker), onOther.Next(t), "nothing from another deployment's prefix")
	})

	t.Run("IgnoresMalformedPayload", func(t *testing.T) {
		t.Parallel()
		prefix := redistest.Prefix(t, client) + ":rt:"
		b := redis.NewBroker(client, prefix, nil)
		d := brokertest.Start(t, b)
		e := brokertest.NewEvent(2)
		q, _ := brokertest.Topics(e)
		d.Subscribe(t, b, q)
		require.NoError(t, client.Publish(t.Context(), prefix+q, "{not json").Err())
		require.NoError(t, b.Publish(t.Context(), e))
		require.Equal(t, brokertest.EventOn(q, e), d.Next(t))
	})

	t.Run("ResyncsAfterReconnect", func(t *testing.T) {
		t.Parallel()
		// A client of its own, named, so that only this broker's subscription connection is cut.
		own, name := redistest.NamedClient(t, client)
		b := redis.NewBroker(own, redistest.Prefix(t, client)+":rt:", nil)
		d := brokertest.Start(t, b)
		e := brokertest.NewEvent(9)
		q, dep := brokertest.Topics(e)
		d.Subscribe(t, b, q, dep)

		redistest.KillSubscriptions(t, client, name)
		d.Expect(t, brokertest.Sync(q), brokertest.Sync(dep)) // events published meanwhile may be lost: re-read
		require.NoError(t, b.Publish(t.Context(), e))
		d.Expect(t, brokertest.EventOn(q, e), brokertest.EventOn(dep, e))
	})
}
