package main

import (
	"bytes"
	"context"
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

func TestBoardState(t *testing.T) {
	t.Parallel()
	v, _, err := boardState([]byte(`{"data":{"boardChanged":{"waitingCount":41,"nowCalling":[]}}}`))
	require.NoError(t, err)
	later, _, err := boardState([]byte(`{"data":{"boardChanged":{"waitingCount":40}}}`))
	require.NoError(t, err)
	require.Equal(t, v+1, later, "one call takes one waiting ticket: the version grows by one")
	_, _, err = boardState([]byte(`{"errors":[{"message":"department not found","extensions":{"code":"NOT_FOUND"}}]}`))
	require.ErrorContains(t, err, "NOT_FOUND")
	_, _, err = boardState([]byte(`{"data":null}`))
	require.ErrorContains(t, err, "no boardChanged")
}

func TestBroadcastRound(t *testing.T) {
	t.Parallel()
	tr := newTracker(2)
	var ws []*watcher
	for i := range 5 {
		w := &watcher{id: i, group: i % 2}
		tr.add(w)
		ws = append(ws, w)
	}
	res, err := tr.runRoundOn(context.Background(), []int{0, 1}, 7, time.Second, func() error {
		for _, w := range ws[:4] { // the last watcher misses it
			tr.deliver(w, 7, time.Now())
		}
		tr.deliver(ws[0], 7, time.Now()) // and one is sent it twice
		return nil
	})
	require.NoError(t, err)
	require.Len(t, res.local, 4)
	require.Equal(t, 1, res.missed)
	require.Equal(t, int64(1), tr.duplicates.Load())
	for _, g := range tr.groups {
		require.Nil(t, g.cur.Load(), "no round stays open")
	}
}

func TestRatiosAndTable(t *testing.T) {
	t.Parallel()
	lat := func(p50, p99 float64) *latencyStats { return &latencyStats{Count: 1, P50Ms: p50, P99Ms: p99} }
	rep := &report{
		Queues: 20, PerQueue: 500, Calls: 5, PayloadBytes: 167,
		GraphQL: phase{Subscribers: 10000, Connected: 10000, Latency: lat(46, 120), RSSPerSubKiB: 66, CPUPerMessageUs: 180,
			Board: &phase{Subscribers: 10000, Connected: 10000, Latency: lat(700, 900), PayloadBytes: 600}},
		Raw: &phase{Subscribers: 10000, Connected: 10000, Latency: lat(10, 20), RSSPerSubKiB: 22, CPUPerMessageUs: 20,
			Board: &phase{Subscribers: 10000, Connected: 10000, Latency: lat(125, 150)}},
	}
	rep.ratios()
	require.Equal(t, ratios{P50: 4.6, P99: 6, BoardP50: 5.6, RSS: 3, CPU: 9}, rep.Ratios, "no Node column, no Node ratios")

	rep.Node = &phase{Subscribers: 10000, Connected: 10000, Latency: lat(23, 80), RSSPerSubKiB: 25, ServerError: "reading process 7: gone",
		Board: &phase{Subscribers: 10000, Connected: 10000, Latency: lat(400, 500)}}
	rep.ratios()
	require.InDelta(t, 2.0, rep.Ratios.NodeP50, 0.001)
	require.InDelta(t, 1.5, rep.Ratios.NodeP99, 0.001)
	require.InDelta(t, 1.75, rep.Ratios.NodeBoardP50, 0.001)
	require.InDelta(t, 2.64, rep.Ratios.NodeRSS, 0.001)
	require.Zero(t, rep.Ratios.NodeCPU, "no CPU figure for the peer: no ratio")

	var out bytes.Buffer
	rep.writeMarkdown(&out, config{boardCalls: 3})
	md := out.String()
	require.Contains(t, md, "one queue's watchers: 500 of 10000 connected")
	require.Contains(t, md, "| latency p50 | 10.0 ms | 23.0 ms | 46.0 ms | |")
	require.Contains(t, md, "| board: latency p50 (all watchers) | 125.0 ms | 400.0 ms | 700.0 ms | ≤ 2× raw |")
	require.Contains(t, md, "| server RSS per idle subscriber | 22.00 KiB | 25.00 KiB | 66.00 KiB |")
	require.Contains(t, md, "| server CPU per delivered message | 20.0 µs | n/a | 180.0 µs |")
	require.Contains(t, md, "| latency p99 | 6.00× | 1.50× | ≤ 2× raw, below Node |")
	require.Contains(t, md, "Node peer server figures: reading process 7: gone")

	rep.Node, rep.NodeSkipped = nil, "node or npm is not on PATH"
	out.Reset()
	rep.writeMarkdown(&out, config{boardCalls: 3})
	require.Contains(t, out.String(), "No Node column: node or npm is not on PATH.")
	require.Contains(t, out.String(), "| latency p50 | 10.0 ms | – | 46.0 ms | |")
}

func TestCheckInMedians(t *testing.T) {
	t.Parallel()
	rs := []checkInResult{{pgbench: 300, api: 120}, {pgbench: 200, api: 130}, {pgbench: 260, api: 150}}
	require.InDelta(t, 260.0, median(rs, func(r checkInResult) float64 { return r.pgbench }), 1e-9)
	require.InDelta(t, 130.0, median(rs, func(r checkInResult) float64 { return r.api }), 1e-9)
	// The ratio's median is of each round's own ratio (0.4, 0.65, 0.577), not a ratio of medians.
	require.InDelta(t, 150.0/260, median(rs, func(r checkInResult) float64 { return r.api / r.pgbench }), 1e-9)
	require.Zero(t, median(nil, func(r checkInResult) float64 { return r.api }))
}
