package inmem_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/inmem"
	"github.com/carequeue/carequeue/internal/realtime"
	"github.com/carequeue/carequeue/internal/realtime/brokertest"
)

func TestBroker(t *testing.T) {
	t.Parallel()

	brokertest.Run(t, func(t *testing.T) realtime.Broker { return inmem.NewBroker(64) })

	t.Run("DropsRatherThanBlocksWhenBufferIsFull", func(t *testing.T) {
		t.Parallel()
		b := inmem.NewBroker(2)
		e := brokertest.NewEvent(1)
		q, _ := brokertest.Topics(e)
		require.NoError(t, b.Subscribe(t.Context(), q)) // the sync takes one place
		// Nobody receives yet: the first event fits, the others are dropped.
		for v := 1; v <= 5; v++ {
			e.Version = v
			require.NoError(t, b.Publish(t.Context(), e))
		}
		d := brokertest.Start(t, b)
		first := e
		first.Version = 1
		require.Equal(t, brokertest.Sync(q), d.Next(t))
		require.Equal(t, brokertest.EventOn(q, first), d.Next(t))
		e.Version = 6
		require.NoError(t, b.Publish(t.Context(), e))
		require.Equal(t, brokertest.EventOn(q, e), d.Next(t), "versions 2 to 5 were dropped; the watchers' gap check recovers")
	})
}
