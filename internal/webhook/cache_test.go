package webhook

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema/pulid"
)

func TestEndpointCache(t *testing.T) {
	t.Parallel()
	setup := func() (*EndpointCache, *time.Time, func(string) func() ([]target, error), *int) {
		now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
		reads := 0
		load := func(id string) func() ([]target, error) {
			return func() ([]target, error) {
				reads++
				return []target{{ID: pulid.ID(id)}}, nil
			}
		}
		return NewEndpointCache(5*time.Second, func() time.Time { return now }), &now, load, &reads
	}
	const f = pulid.ID("fac_1")

	t.Run("ReadsOncePerTTL", func(t *testing.T) {
		t.Parallel()
		c, now, load, reads := setup()
		for range 3 {
			got, err := c.get(f, load("a"))
			require.NoError(t, err)
			require.Equal(t, pulid.ID("a"), got[0].ID)
		}
		require.Equal(t, 1, *reads)
		*now = now.Add(5 * time.Second)
		got, _ := c.get(f, load("b"))
		require.Equal(t, pulid.ID("b"), got[0].ID, "an entry expires after the TTL")
		require.Equal(t, 2, *reads)
	})
	t.Run("InvalidateReadsAgain", func(t *testing.T) {
		t.Parallel()
		c, _, load, reads := setup()
		_, _ = c.get(f, load("a"))
		_, _ = c.get("fac_2", load("other"))
		c.Invalidate(f)
		got, _ := c.get(f, load("b"))
		require.Equal(t, pulid.ID("b"), got[0].ID)
		got, _ = c.get("fac_2", load("x"))
		require.Equal(t, pulid.ID("other"), got[0].ID, "other facilities keep their entry")
		require.Equal(t, 3, *reads)
	})
	t.Run("ReadOverlappingAnInvalidationIsNotKept", func(t *testing.T) {
		t.Parallel()
		c, _, load, reads := setup()
		got, _ := c.get(f, func() ([]target, error) {
			c.Invalidate(f) // a change commits while this read runs: what it read may be old
			return load("old")()
		})
		require.Equal(t, pulid.ID("old"), got[0].ID)
		got, _ = c.get(f, load("new"))
		require.Equal(t, pulid.ID("new"), got[0].ID)
		require.Equal(t, 2, *reads)
	})
	t.Run("ZeroTTLAlwaysReads", func(t *testing.T) {
		t.Parallel()
		_, _, load, reads := setup()
		for _, c := range []*EndpointCache{nil, NewEndpointCache(0, nil)} {
			_, _ = c.get(f, load("a"))
			_, _ = c.get(f, load("a"))
			c.Invalidate(f)
		}
		require.Equal(t, 4, *reads)
	})
}
