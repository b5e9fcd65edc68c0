package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	t.Run("NearestRankPercentiles", func(t *testing.T) {
		t.Parallel()
		ds := make([]time.Duration, 100)
		for i := range ds {
			ds[99-i] = time.Duration(i+1) * time.Millisecond // unsorted on purpose
		}
		s := summarize(ds, 2*time.Second)
		require.Equal(t, latencyStats{Count: 100, P50Ms: 50, P95Ms: 95, P99Ms: 99, MaxMs: 100, PerSecond: 50}, *s)
	})
	t.Run("OneSample", func(t *testing.T) {
		t.Parallel()
		s := summarize([]time.Duration{1500 * time.Microsecond}, 0)
		require.Equal(t, latencyStats{Count: 1, P50Ms: 1.5, P95Ms: 1.5, P99Ms: 1.5, MaxMs: 1.5}, *s)
	})
	t.Run("NoSamplesIsNil", func(t *testing.T) {
		t.Parallel()
		require.Nil(t, summarize(nil, time.Second))
	})
}

func TestSpread(t *testing.T) {
	t.Parallel()
	p := &plan{}
	for q := range 3 {
		lq := &loadQueue{}
		for j := range 4 {
			lq.tickets = append(lq.tickets, fmt.Sprintf("q%d-t%d", q, j))
		}
		p.queues = append(p.queues, lq)
	}
	perQueue := map[int]int{}
	seen := map[string]int{}
	for i := range 24 { // twice the tickets
		ticket, q := spread(p, i)
		require.Equal(t, fmt.Sprintf("q%d", q), ticket[:2])
		perQueue[q]++
		seen[ticket]++
		if i < 12 {
			require.Equal(t, 1, seen[ticket], "a ticket is watched twice before all are watched")
		}
	}
	require.Equal(t, map[int]int{0: 8, 1: 8, 2: 8}, perQueue)
	first, _ := spread(p, 0)
	require.Equal(t, "q0-t0", first, "the first tickets called are watched first")
}

func TestQueuePrefix(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		i    int
		want string
	}{{0, "LA"}, {25, "LZ"}, {26, "LAA"}, {27, "LAB"}, {51, "LAZ"}, {52, "LBA"}, {499, "LSF"}} {
		require.Equal(t, tc.want, queuePrefix(tc.i), tc.i)
	}
}

func TestRawPayload(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 64, 137, 512} {
		b := rawPayload(42, size)
		require.Len(t, b, max(size, len(rawPayload(42, 0))))
		require.Contains(t, string(b), `"data":{"v":42}`)
	}
}

func TestRetryIn(t *testing.T) {
	t.Parallel()
	limited := func(msg string) error {
		e := &gqlError{Message: msg}
		e.Extensions.Code = "RATE_LIMITED"
		return fmt.Errorf("signing in: %w", e)
	}
	for _, tc := range []struct {
		name string
		err  error
		want time.Duration
	}{
		{"WaitsAsTold", limited("too many attempts, try again in 39 seconds"), 40 * time.Second},
		{"CapsLongWaits", limited("too many attempts, try again in 600 seconds"), maxLoginWait},
		{"GuessesWithoutANumber", limited("slow down"), 30 * time.Second},
		{"OtherErrorsAreNotRetried", &gqlError{Message: "wrong password"}, 0},
		{"NoError", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, retryIn(tc.err))
		})
	}
}
