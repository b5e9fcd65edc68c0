package queue

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema/pulid"
)

func TestGates(t *testing.T) {
	t.Parallel()
	soon := func() time.Time { return time.Now().Add(50 * time.Millisecond) }
	ctx := context.Background()

	t.Run("ThirdCallerOnAQueueWaitsThenIsBusy", func(t *testing.T) {
		t.Parallel()
		var g gates
		a, err := g.enter(ctx, []pulid.ID{"Q1"}, soon())
		require.NoError(t, err)
		b, err := g.enter(ctx, []pulid.ID{"Q1"}, soon())
		require.NoError(t, err)
		start := time.Now()
		_, err = g.enter(ctx, []pulid.ID{"Q1"}, soon())
		require.ErrorIs(t, err, errQueueBusy)
		require.GreaterOrEqual(t, time.Since(start), 40*time.Millisecond)
		// Another queue is not held up.
		c, err := g.enter(ctx, []pulid.ID{"Q2"}, soon())
		require.NoError(t, err)
		a()
		d, err := g.enter(ctx, []pulid.ID{"Q1"}, soon())
		require.NoError(t, err)
		b()
		c()
		d()
		require.Empty(t, g.m, "gates of idle queues are dropped")
	})

	t.Run("PairTakesBothOrNeither", func(t *testing.T) {
		t.Parallel()
		var g gates
		a, _ := g.enter(ctx, []pulid.ID{"Q2"}, soon())
		b, _ := g.enter(ctx, []pulid.ID{"Q2"}, soon())
		_, err := g.enter(ctx, []pulid.ID{"Q1", "Q2"}, soon())
		require.ErrorIs(t, err, errQueueBusy)
		// Q1's slot was given back: two more fit.
		c, err := g.enter(ctx, []pulid.ID{"Q1"}, soon())
		require.NoError(t, err)
		d, err := g.enter(ctx, []pulid.ID{"Q1"}, soon())
		require.NoError(t, err)
		for _, leave := range []func(){a, b, c, d} {
			leave()
		}
		require.Empty(t, g.m)
	})

	t.Run("CancelledCallerLeaves", func(t *testing.T) {
		t.Parallel()
		var g gates
		a, _ := g.enter(ctx, []pulid.ID{"Q1"}, soon())
		b, _ := g.enter(ctx, []pulid.ID{"Q1"}, soon())
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := g.enter(cctx, []pulid.ID{"Q1"}, time.Now().Add(time.Hour))
		require.ErrorIs(t, err, context.Canceled)
		a()
		b()
		require.Empty(t, g.m)
	})

	t.Run("UnsortedIDsAreABug", func(t *testing.T) {
		t.Parallel()
		var g gates
		_, err := g.enter(ctx, []pulid.ID{"Q2", "Q1"}, soon())
		require.Error(t, err)
	})
}
