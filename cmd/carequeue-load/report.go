package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// latencyStats summarises mutation-to-delivery (or send-to-receive) latencies.
type latencyStats struct {
	Count     int     `json:"count"`
	P50Ms     float64 `json:"p50_ms"`
	P95Ms     float64 `json:"p95_ms"`
	P99Ms     float64 `json:"p99_ms"`
	MaxMs     float64 `json:"max_ms"`
	PerSecond float64 `json:"deliveries_per_second"` // deliveries over the time rounds spent delivering
}

// summarize returns nil for no samples. Percentiles are nearest-rank.
func summarize(ds []time.Duration, busy time.Duration) *latencyStats {
	if len(ds) == 0 {
		return nil
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return ms(s[max(0, min(i, len(s)-1))])
	}
	out := &latencyStats{Count: len(s), P50Ms: rank(0.50), P95Ms: rank(0.95), P99Ms: rank(0.99), MaxMs: ms(s[len(s)-1])}
	if busy > 0 {
		out.PerSecond = float64(len(s)) / busy.Seconds()
	}
	return out
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Microsecond)) / 1000 }

// phase is one half of the run: the GraphQL subscribers, or the raw baseline.
type phase struct {
	Subscribers int           `json:"subscribers"`
	Connected   int           `json:"connected"`
	Failed      int           `json:"failed"`
	FirstError  string        `json:"first_error,omitempty"`
	DialSeconds float64       `json:"dial_seconds"`
	Rounds      int           `json:"rounds"`
	Expected    int           `json:"expected_deliveries"`
	Missed      int           `json:"missed"`
	Duplicates  int64         `json:"duplicates"`
	Unexpected  int64         `json:"unexpected"`
	Dropped     int64         `json:"dropped"`
	Latency     *latencyStats `json:"latency,omitempty"`
	// With replicas: watchers on the replica that took the mutation, and on the others.
	SameReplica  *latencyStats `json:"same_replica,omitempty"`
	OtherReplica *latencyStats `json:"other_replicas,omitempty"`
	// The called ticket's watchers: rounds checked, and rounds where one did not end on CALLED.
	CalledChecked int `json:"called_checked,omitempty"`
	CalledWrong   int `json:"called_wrong,omitempty"`

	local, remote []time.Duration
	busy          time.Duration
}

func (p *phase) addRound(r roundResult, watchers int) {
	p.Rounds++
	p.Expected += watchers
	p.Missed += r.missed
	p.local = append(p.local, r.local...)
	p.remote = append(p.remote, r.remote...)
	p.busy += r.busy
}

func (p *phase) finish(t *tracker, replicas bool) {
	p.Duplicates, p.Unexpected, p.Dropped = t.duplicates.Load(), t.unexpected.Load(), t.dropped.Load()
	if p.FirstError == "" {
		p.FirstError = t.firstErr
	}
	p.Latency = summarize(append(slices.Clone(p.local), p.remote...), p.busy)
	if replicas {
		p.SameReplica, p.OtherReplica = summarize(p.local, 0), summarize(p.remote, 0)
	}
}

// memory is the server's cost of the idle subscribers, from /metrics before and after they connected.
type memory struct {
	Before                 serverMetrics `json:"before,omitempty"`
	After                  serverMetrics `json:"after,omitempty"`
	HeapStackPerSubKiB     float64       `json:"heap_stack_inuse_per_subscriber_kib"`
	LiveHeapStackPerSubKiB float64       `json:"live_heap_stack_per_subscriber_kib"`
	RSSPerSubKiB           float64       `json:"rss_per_subscriber_kib"`
	GoroutinesPerSub       float64       `json:"goroutines_per_subscriber"`
	HeapObjectsPerSub      float64       `json:"heap_objects_per_subscriber"`
	Error                  string        `json:"error,omitempty"`
}

func newMemory(before, after serverMetrics, subs int) memory {
	m := memory{Before: before, After: after}
	if subs == 0 {
		return m
	}
	per := func(names ...string) float64 {
		var d float64
		for _, n := range names {
			d += after[n] - before[n]
		}
		return math.Round(d/float64(subs)*100) / 100
	}
	m.HeapStackPerSubKiB = per(mHeapInuse, mStackInuse) / 1024
	m.LiveHeapStackPerSubKiB = per(mHeapLive, mStackInuse) / 1024
	m.RSSPerSubKiB = per(mRSS) / 1024
	m.GoroutinesPerSub = per(mGoroutines)
	m.HeapObjectsPerSub = per(mHeapObj)
	return m
}

// report is everything the run measured.
type report struct {
	Command      string   `json:"command"`
	Started      string   `json:"started"`
	URLs         []string `json:"urls"`
	FileLimit    uint64   `json:"file_limit"`
	Queues       int      `json:"queues"`
	PerQueue     int      `json:"per_queue"`
	Calls        int      `json:"calls_per_queue"`
	PayloadBytes int      `json:"payload_bytes"`
	GraphQL      phase    `json:"graphql"`
	Raw          *phase   `json:"raw,omitempty"`
	Memory       memory   `json:"server_memory"`
	RatioP50     float64  `json:"ratio_p50,omitempty"` // GraphQL / raw
	RatioP99     float64  `json:"ratio_p99,omitempty"`
	StoppedEarly bool     `json:"stopped_early"`
}

func (r *report) ratios() {
	if r.Raw == nil || r.Raw.Latency == nil || r.GraphQL.Latency == nil {
		return
	}
	ratio := func(a, b float64) float64 {
		if b <= 0 {
			return 0
		}
		return math.Round(a/b*100) / 100
	}
	r.RatioP50 = ratio(r.GraphQL.Latency.P50Ms, r.Raw.Latency.P50Ms)
	r.RatioP99 = ratio(r.GraphQL.Latency.P99Ms, r.Raw.Latency.P99Ms)
}

func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeMarkdown prints the table docs/BENCHMARKS.md records, with the command that reproduces it.
func (r *report) writeMarkdown(w io.Writer, cfg config) {
	g, raw := &r.GraphQL, r.Raw
	if raw == nil {
		raw = &phase{}
	}
	fmt.Fprintf(w, "\n### carequeue-load, %s\n\n", r.Started)
	fmt.Fprintf(w, "`%s`\n\n", r.Command)
	fmt.Fprintf(w, "%d queues × %d waiting tickets, %d callNext per queue, payload %d bytes, %d server URL(s), fd limit %d.",
		r.Queues, r.PerQueue, r.Calls, r.PayloadBytes, len(r.URLs), r.FileLimit)
	if r.StoppedEarly {
		fmt.Fprintf(w, " **Stopped early by -duration %s: partial figures.**", cfg.duration)
	}
	fmt.Fprint(w, "\n\n| measure | GraphQL (graphql-transport-ws) | raw WebSocket baseline | target |\n|---|---|---|---|\n")
	row := func(name, a, b, target string) { fmt.Fprintf(w, "| %s | %s | %s | %s |\n", name, a, b, target) }
	conn := func(p *phase) string {
		if p.Subscribers == 0 {
			return "–"
		}
		return fmt.Sprintf("%d / %d (%.1f s)", p.Connected, p.Subscribers, p.DialSeconds)
	}
	row("subscribers connected (dial time)", conn(g), conn(raw), "")
	row("changes (rounds)", fmt.Sprint(g.Rounds), fmt.Sprint(raw.Rounds), "")
	recv := func(p *phase) string {
		if p.Subscribers == 0 {
			return "–"
		}
		return fmt.Sprintf("%d / %d", p.Expected-p.Missed, p.Expected)
	}
	row("deliveries received / expected", recv(g), recv(raw), "all")
	faults := func(p *phase) string {
		if p.Subscribers == 0 {
			return "–"
		}
		return fmt.Sprintf("%d · %d · %d · %d", p.Missed, p.Duplicates, p.Unexpected, p.Dropped)
	}
	row("missed · duplicate · out-of-round · dropped", faults(g), faults(raw), "0")
	lat := func(p *phase, f func(*latencyStats) float64) string {
		if p.Latency == nil {
			return "–"
		}
		return fmt.Sprintf("%.1f ms", f(p.Latency))
	}
	row("latency p50", lat(g, func(s *latencyStats) float64 { return s.P50Ms }), lat(raw, func(s *latencyStats) float64 { return s.P50Ms }), "")
	row("latency p95", lat(g, func(s *latencyStats) float64 { return s.P95Ms }), lat(raw, func(s *latencyStats) float64 { return s.P95Ms }), "")
	row("latency p99", lat(g, func(s *latencyStats) float64 { return s.P99Ms }), lat(raw, func(s *latencyStats) float64 { return s.P99Ms }), "≤ 200 ms")
	row("latency max", lat(g, func(s *latencyStats) float64 { return s.MaxMs }), lat(raw, func(s *latencyStats) float64 { return s.MaxMs }), "")
	rate := func(p *phase) string {
		if p.Latency == nil {
			return "–"
		}
		return fmt.Sprintf("%.0f", p.Latency.PerSecond)
	}
	row("deliveries/s while delivering", rate(g), rate(raw), "")
	if r.RatioP99 > 0 {
		row("GraphQL / raw, p50 · p99", fmt.Sprintf("%.2f× · %.2f×", r.RatioP50, r.RatioP99), "", "≤ 3×")
	}
	if len(r.URLs) > 1 {
		rep := func(s *latencyStats) string {
			if s == nil {
				return "–"
			}
			return fmt.Sprintf("p50 %.1f · p99 %.1f ms (%d)", s.P50Ms, s.P99Ms, s.Count)
		}
		row("same replica as the mutation", rep(g.SameReplica), "", "")
		row("other replicas (cross-replica)", rep(g.OtherReplica), "", "p99 ≤ 250 ms")
	}
	if g.CalledChecked > 0 {
		row("called ticket's watchers saw CALLED", fmt.Sprintf("%d / %d calls", g.CalledChecked-g.CalledWrong, g.CalledChecked), "", "all")
	}
	m := r.Memory
	if m.Error != "" {
		row("server memory per subscriber", "n/a: "+m.Error, "", "≤ 30 KiB")
	} else {
		row("server heap+stack in use per idle subscriber", fmt.Sprintf("%.2f KiB", m.HeapStackPerSubKiB), "", "≤ 30 KiB")
		row("server live heap+stack per idle subscriber", fmt.Sprintf("%.2f KiB", m.LiveHeapStackPerSubKiB), "", "")
		row("server RSS per idle subscriber", fmt.Sprintf("%.2f KiB", m.RSSPerSubKiB), "", "")
		row("server goroutines per subscriber", fmt.Sprintf("%.2f", m.GoroutinesPerSub), "", "")
		row("server heap objects per subscriber", fmt.Sprintf("%.0f", m.HeapObjectsPerSub), "", "")
	}
	for _, e := range []struct{ name, err string }{{"GraphQL", g.FirstError}, {"baseline", raw.FirstError}} {
		if e.err != "" {
			fmt.Fprintf(w, "\n%s first error: %s\n", e.name, strings.TrimSpace(e.err))
		}
	}
}
