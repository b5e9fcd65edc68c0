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

// phase is one server's part of the run (CareQueue, the raw baseline, the Node peer): its watchers
// of one queue each, and in Board its all-subscribers case.
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
	// Call is how long firing a change took, from the instant latencies count from: CareQueue's
	// callNext round trip (HTTP, transaction, commit), the Node peer's pipe line, and for the raw
	// baseline the whole broadcast (its "send" answers once every write is done).
	Call *latencyStats `json:"call,omitempty"`
	// With replicas: watchers on the replica that took the mutation, and on the others.
	SameReplica  *latencyStats `json:"same_replica,omitempty"`
	OtherReplica *latencyStats `json:"other_replicas,omitempty"`
	// The called ticket's watchers: rounds checked, and rounds where one did not end on CALLED.
	CalledChecked int `json:"called_checked,omitempty"`
	CalledWrong   int `json:"called_wrong,omitempty"`
	// PayloadBytes is the median size of the first message (the baselines send this size).
	PayloadBytes int `json:"payload_bytes,omitempty"`
	// From the server process's /proc entry: resident memory the idle subscribers added, per
	// subscriber, and CPU time (user + system) over the rounds per message delivered.
	RSSPerSubKiB    float64 `json:"rss_per_idle_subscriber_kib,omitempty"`
	CPUPerMessageUs float64 `json:"cpu_per_delivered_message_us,omitempty"`
	ServerError     string  `json:"server_error,omitempty"` // why those are missing
	// Board is the all-subscribers case: every watcher on one board, every change to all of them.
	Board *phase `json:"board,omitempty"`

	local, remote []time.Duration
	calls         []time.Duration
	busy          time.Duration
}

func (p *phase) addRound(r roundResult, watchers int) {
	p.Rounds++
	p.Expected += watchers
	p.Missed += r.missed
	p.local = append(p.local, r.local...)
	p.remote = append(p.remote, r.remote...)
	p.busy += r.busy
	p.calls = append(p.calls, r.fired)
}

func (p *phase) finish(t *tracker, replicas bool) {
	p.Duplicates, p.Unexpected, p.Dropped = t.duplicates.Load(), t.unexpected.Load(), t.dropped.Load()
	if p.FirstError == "" {
		p.FirstError = t.firstErr
	}
	p.Latency = summarize(append(slices.Clone(p.local), p.remote...), p.busy)
	p.Call = summarize(p.calls, 0)
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
	Node         *phase   `json:"node,omitempty"`
	NodeSkipped  string   `json:"node_skipped,omitempty"` // why there is no Node column
	Memory       memory   `json:"server_memory"`
	Ratios       ratios   `json:"ratios"`
	StoppedEarly bool     `json:"stopped_early"`
}

// ratios are CareQueue's figures over a baseline's, 0 where either is missing.
type ratios struct {
	P50          float64 `json:"p50,omitempty"` // one queue's watchers, over raw
	P99          float64 `json:"p99,omitempty"`
	NodeP50      float64 `json:"node_p50,omitempty"` // over the Node peer
	NodeP99      float64 `json:"node_p99,omitempty"`
	BoardP50     float64 `json:"board_p50,omitempty"` // all subscribers, over raw's broadcast
	NodeBoardP50 float64 `json:"node_board_p50,omitempty"`
	RSS          float64 `json:"rss,omitempty"` // RSS per idle subscriber
	NodeRSS      float64 `json:"node_rss,omitempty"`
	CPU          float64 `json:"cpu,omitempty"` // CPU per delivered message (one queue's watchers)
	NodeCPU      float64 `json:"node_cpu,omitempty"`
}

// ratio is a over b to two decimals, 0 when either is missing.
func ratio(a, b float64) float64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	return math.Round(a/b*100) / 100
}

func p50(p *phase) float64 {
	if p == nil || p.Latency == nil {
		return 0
	}
	return p.Latency.P50Ms
}

func p99(p *phase) float64 {
	if p == nil || p.Latency == nil {
		return 0
	}
	return p.Latency.P99Ms
}

func board(p *phase) *phase {
	if p == nil {
		return nil
	}
	return p.Board
}

func (r *report) ratios() {
	g := &r.GraphQL
	x := &r.Ratios
	x.P50, x.P99 = ratio(p50(g), p50(r.Raw)), ratio(p99(g), p99(r.Raw))
	x.NodeP50, x.NodeP99 = ratio(p50(g), p50(r.Node)), ratio(p99(g), p99(r.Node))
	x.BoardP50, x.NodeBoardP50 = ratio(p50(g.Board), p50(board(r.Raw))), ratio(p50(g.Board), p50(board(r.Node)))
	for _, b := range []struct {
		base     *phase
		rss, cpu *float64
	}{{r.Raw, &x.RSS, &x.CPU}, {r.Node, &x.NodeRSS, &x.NodeCPU}} {
		if b.base != nil {
			*b.rss, *b.cpu = ratio(g.RSSPerSubKiB, b.base.RSSPerSubKiB), ratio(g.CPUPerMessageUs, b.base.CPUPerMessageUs)
		}
	}
}

func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeMarkdown prints the table docs/BENCHMARKS.md records, with the command that reproduces it:
// one column per server, the raw baseline first, CareQueue last.
func (r *report) writeMarkdown(w io.Writer, cfg config) {
	g := &r.GraphQL
	cols := []*phase{r.Raw, r.Node, g}
	fmt.Fprintf(w, "\n### carequeue-load, %s\n\n", r.Started)
	fmt.Fprintf(w, "`%s`\n\n", r.Command)
	fmt.Fprintf(w, "%d queues × %d waiting tickets, %d subscribers (one queue's watchers: %d of %d connected), %d callNext per queue, "+
		"%d changes to every board watcher, payload %d bytes, %d server URL(s), fd limit %d.",
		r.Queues, r.PerQueue, g.Subscribers, g.Subscribers/max(r.Queues, 1), g.Subscribers, r.Calls, cfg.boardCalls, r.PayloadBytes, len(r.URLs), r.FileLimit)
	if r.NodeSkipped != "" {
		fmt.Fprintf(w, " No Node column: %s.", r.NodeSkipped)
	}
	if r.StoppedEarly {
		fmt.Fprintf(w, " **Stopped early by -duration %s: partial figures.**", cfg.duration)
	}
	fmt.Fprint(w, "\n\n| measure | raw gorilla | Node graphql-ws | CareQueue | target |\n|---|---|---|---|---|\n")
	// row prints one line; cell renders a column's phase ("–" when the column has no such figure).
	// cell pads a text for a table cell; an empty one stays "| |".
	cell := func(s string) string {
		if s == "" {
			return ""
		}
		return s + " "
	}
	row := func(name string, value func(*phase) string, target string) {
		fmt.Fprintf(w, "| %s |", name)
		for _, p := range cols {
			v := "–"
			if p != nil && p.Subscribers > 0 {
				v = value(p)
			}
			fmt.Fprintf(w, " %s |", v)
		}
		fmt.Fprintf(w, " %s|\n", cell(target))
	}
	inBoard := func(cell func(*phase) string) func(*phase) string {
		return func(p *phase) string {
			if p.Board == nil || p.Board.Subscribers == 0 {
				return "–"
			}
			return cell(p.Board)
		}
	}
	conn := func(p *phase) string {
		return fmt.Sprintf("%d / %d (%.1f s)", p.Connected, p.Subscribers, p.DialSeconds)
	}
	recv := func(p *phase) string { return fmt.Sprintf("%d / %d", p.Expected-p.Missed, p.Expected) }
	faults := func(p *phase) string {
		return fmt.Sprintf("%d · %d · %d · %d", p.Missed, p.Duplicates, p.Unexpected, p.Dropped)
	}
	lat := func(f func(*latencyStats) float64) func(*phase) string {
		return func(p *phase) string {
			if p.Latency == nil {
				return "–"
			}
			return fmt.Sprintf("%.1f ms", f(p.Latency))
		}
	}
	server := func(f func(*phase) float64, format string) func(*phase) string {
		return func(p *phase) string {
			if v := f(p); v > 0 {
				return fmt.Sprintf(format, v)
			}
			if p.ServerError != "" {
				return "n/a"
			}
			return "–"
		}
	}
	row("subscribers connected (dial time)", conn, "")
	row("changes (rounds)", func(p *phase) string { return fmt.Sprint(p.Rounds) }, "")
	row("deliveries received / expected", recv, "all")
	row("missed · duplicate · out-of-round · dropped", faults, "0")
	row("latency p50", lat(func(s *latencyStats) float64 { return s.P50Ms }), "")
	row("latency p95", lat(func(s *latencyStats) float64 { return s.P95Ms }), "")
	row("latency p99", lat(func(s *latencyStats) float64 { return s.P99Ms }), "≤ 2× raw, below Node")
	row("latency max", lat(func(s *latencyStats) float64 { return s.MaxMs }), "")
	row("the change's own call: p50 / p99", func(p *phase) string {
		if p.Call == nil {
			return "–"
		}
		return fmt.Sprintf("%.1f / %.1f ms", p.Call.P50Ms, p.Call.P99Ms)
	}, "")
	row("deliveries/s while delivering", func(p *phase) string {
		if p.Latency == nil {
			return "–"
		}
		return fmt.Sprintf("%.0f", p.Latency.PerSecond)
	}, "")
	row("payload bytes (first message)", func(p *phase) string { return fmt.Sprint(p.PayloadBytes) }, "")
	row("server RSS per idle subscriber", server(func(p *phase) float64 { return p.RSSPerSubKiB }, "%.2f KiB"), "≤ 28 KiB (1.25× raw)")
	row("server CPU per delivered message", server(func(p *phase) float64 { return p.CPUPerMessageUs }, "%.1f µs"), "")
	if cfg.boardCalls > 0 || g.Board != nil {
		row("board: watchers connected", inBoard(conn), "")
		row("board: deliveries received / expected", inBoard(recv), "all")
		row("board: missed · duplicate · out-of-round · dropped", inBoard(faults), "0")
		row("board: latency p50 (all watchers)", inBoard(lat(func(s *latencyStats) float64 { return s.P50Ms })), "≤ 2× raw")
		row("board: latency p99", inBoard(lat(func(s *latencyStats) float64 { return s.P99Ms })), "")
		row("board: payload bytes", inBoard(func(p *phase) string { return fmt.Sprint(p.PayloadBytes) }), "")
		row("board: server CPU per delivered message", inBoard(server(func(p *phase) float64 { return p.CPUPerMessageUs }, "%.1f µs")), "")
	}
	if len(r.URLs) > 1 {
		rep := func(s *latencyStats) string {
			if s == nil {
				return "–"
			}
			return fmt.Sprintf("p50 %.1f · p99 %.1f ms (%d)", s.P50Ms, s.P99Ms, s.Count)
		}
		fmt.Fprintf(w, "| same replica as the mutation | | | %s | |\n", rep(g.SameReplica))
		fmt.Fprintf(w, "| other replicas (cross-replica) | | | %s | p99 ≤ 250 ms |\n", rep(g.OtherReplica))
	}
	cq := func(name, v, target string) { fmt.Fprintf(w, "| %s | | | %s | %s|\n", name, v, cell(target)) }
	if g.CalledChecked > 0 {
		cq("called ticket's watchers saw CALLED", fmt.Sprintf("%d / %d calls", g.CalledChecked-g.CalledWrong, g.CalledChecked), "all")
	}
	m := r.Memory
	if m.Error != "" {
		cq("server memory per subscriber (/metrics)", "n/a: "+m.Error, "")
	} else {
		cq("server heap+stack in use per idle subscriber", fmt.Sprintf("%.2f KiB", m.HeapStackPerSubKiB), "")
		cq("server live heap+stack per idle subscriber", fmt.Sprintf("%.2f KiB", m.LiveHeapStackPerSubKiB), "")
		cq("server goroutines per subscriber", fmt.Sprintf("%.2f", m.GoroutinesPerSub), "")
		cq("server heap objects per subscriber", fmt.Sprintf("%.0f", m.HeapObjectsPerSub), "")
	}
	r.writeRatios(w)
	for _, e := range []struct {
		name string
		p    *phase
	}{{"CareQueue", g}, {"CareQueue board", g.Board}, {"raw baseline", r.Raw}, {"raw board", board(r.Raw)}, {"Node peer", r.Node}, {"Node board", board(r.Node)}} {
		if e.p == nil {
			continue
		}
		if e.p.FirstError != "" {
			fmt.Fprintf(w, "\n%s first error: %s\n", e.name, strings.TrimSpace(e.p.FirstError))
		}
		if e.p.ServerError != "" {
			fmt.Fprintf(w, "\n%s server figures: %s\n", e.name, strings.TrimSpace(e.p.ServerError))
		}
	}
}

// writeRatios prints CareQueue's figures over each baseline's, the targets beside them.
func (r *report) writeRatios(w io.Writer) {
	x := r.Ratios
	f := func(v float64) string {
		if v == 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f×", v)
	}
	fmt.Fprint(w, "\n| CareQueue over | raw gorilla | Node graphql-ws | target |\n|---|---|---|---|\n")
	for _, l := range []struct {
		name          string
		vsRaw, vsNode float64
		target        string
	}{
		{"latency p50", x.P50, x.NodeP50, "below Node"},
		{"latency p99", x.P99, x.NodeP99, "≤ 2× raw, below Node"},
		{"board latency p50", x.BoardP50, x.NodeBoardP50, "≤ 2× raw"},
		{"RSS per idle subscriber", x.RSS, x.NodeRSS, "≤ 1.25× raw"},
		{"CPU per delivered message", x.CPU, x.NodeCPU, ""},
	} {
		if l.target != "" {
			l.target += " "
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s|\n", l.name, f(l.vsRaw), f(l.vsNode), l.target)
	}
}
