package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
)

// settle is how long the subscribers sit idle before the server's memory is read.
const settle = 2 * time.Second

// measure runs the whole benchmark: setup, the GraphQL subscribers and calls, then the baseline.
func measure(ctx context.Context, cfg config, out *printer) (*report, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * checkInWorkers}}
	defer client.CloseIdleConnections()
	rep := &report{
		Command: "carequeue-load " + strings.Join(cfg.args, " "), Started: time.Now().UTC().Format(time.RFC3339),
		URLs: cfg.urls, Queues: cfg.queues, PerQueue: cfg.perQueue, Calls: cfg.calls,
	}
	caller, err := login(ctx, client, cfg.urls[0], cfg.email, cfg.password, out)
	if err != nil {
		return nil, err
	}
	if cfg.setup {
		admin, err := login(ctx, client, cfg.urls[0], cfg.adminEmail, cfg.adminPassword, out)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		if err := setup(ctx, admin, caller.facility, cfg.queues, cfg.perQueue, out); err != nil {
			return nil, fmt.Errorf("setup: %w", err)
		}
		out.Printf("setup: done in %s", time.Since(start).Round(time.Millisecond))
	}
	p, err := discover(ctx, caller, cfg.queues, cfg.perQueue)
	if err != nil {
		return nil, err
	}
	tokens := make([]string, len(cfg.urls)) // per replica: each may sign with its own key
	for i, u := range cfg.urls {
		a, err := login(ctx, client, u, cfg.subEmail, cfg.subPassword, out)
		if err != nil {
			return nil, err
		}
		tokens[i] = a.token
	}

	procs := serverProcs(cfg.pid, cfg.urls)
	if procs.err != nil {
		out.Printf("graphql: no CPU or RSS figures from /proc: %v", procs.err)
	}
	cq := &target{name: "graphql", urls: cfg.urls, tokens: tokens, procs: procs,
		metrics: func(ctx context.Context) (serverMetrics, error) { return scrapeAll(ctx, client, cfg.urls) },
		call: func(ctx context.Context, qi int) (string, error) {
			called, err := caller.callNext(ctx, p.queues[qi].id, p.servicePoint)
			if err == nil && called == "" {
				err = fmt.Errorf("queue %s has nobody waiting", p.queues[qi].name)
			}
			return called, err
		}}

	mctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	// Past -duration the run stops and reports what it measured; any other failure is an error.
	stopped := func(err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && mctx.Err() == nil {
			return err
		}
		return nil
	}
	rounds, err := runTickets(mctx, cfg, cq, p, &rep.GraphQL, rep, out)
	if err := stopped(err); err != nil {
		return nil, err
	}
	rep.PayloadBytes = rep.GraphQL.PayloadBytes
	if cfg.boardCalls > 0 && mctx.Err() == nil {
		if err := stopped(runBoard(mctx, cfg, cq, p.department, &rep.GraphQL, out)); err != nil {
			return nil, err
		}
	}
	if cfg.raw && mctx.Err() == nil {
		if err := stopped(runRaw(mctx, cfg, rounds, rep, out)); err != nil {
			return nil, err
		}
	}
	if cfg.node && mctx.Err() == nil {
		if err := stopped(runNode(mctx, cfg, rep, out)); err != nil {
			return nil, err
		}
	}
	rep.StoppedEarly = mctx.Err() != nil
	rep.ratios()
	return rep, nil
}

// target is a server a phase measures: CareQueue, or the Node peer.
type target struct {
	name         string // in progress lines
	urls, tokens []string
	procs        *procWatch
	metrics      func(context.Context) (serverMetrics, error) // nil: the server has no /metrics
	call         func(ctx context.Context, queue int) (string, error)
}

// spread assigns subscriber i a ticket so that every queue gets the same share and every ticket of a
// queue is watched before any is watched twice. It returns the ticket and its queue.
func spread(p *plan, i int) (string, int) {
	n := len(p.queues)
	k := i % (n * len(p.queues[0].tickets))
	return p.queues[k%n].tickets[k/n], k % n
}

// open dials every watcher of a phase to sub and records how that went in ph.
func open(ctx context.Context, cfg config, tgt *target, t *tracker, ws []*watcher, sub subscription, ph *phase, out *printer) error {
	out.Printf("%s: opening %d subscribers over %d URL(s), %d handshakes at a time", tgt.name, len(ws), len(tgt.urls), cfg.dialConcurrency)
	d := newDialer()
	dr := dialAll(ctx, t, ws, cfg.dialConcurrency, func(ctx context.Context, w *watcher) (int, error) {
		return subscribe(ctx, d, tgt.urls[w.replica], tgt.tokens[w.replica], sub, w)
	}, t.reader(sub))
	ph.Subscribers, ph.Connected, ph.Failed, ph.FirstError = len(ws), dr.connected, dr.failed, dr.firstErr
	ph.DialSeconds = dr.took.Seconds()
	out.Printf("%s: %d connected, %d failed in %s", tgt.name, dr.connected, dr.failed, dr.took.Round(time.Millisecond))
	if dr.connected == 0 {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("no %s subscriber could connect: %s", tgt.name, dr.firstErr)
	}
	slices.Sort(dr.sizes)
	ph.PayloadBytes = dr.sizes[len(dr.sizes)/2]
	return nil
}

// idle waits for the subscribers to settle.
func idle(ctx context.Context) {
	select {
	case <-time.After(settle):
	case <-ctx.Done():
	}
}

// cpuSince sets ph's CPU per delivered message from a reading taken before its rounds.
func cpuSince(ph *phase, procs *procWatch, before procSample, beforeErr error) {
	after, err := procs.read()
	if err = errors.Join(beforeErr, err); err != nil {
		ph.ServerError = err.Error()
		return
	}
	ph.CPUPerMessageUs = perMessageMicros(before, after, ph.Expected-ph.Missed)
}

// runTickets subscribes every watcher to a ticket, reads the server's memory, calls each queue
// cfg.calls times and closes. It returns the (queue, call) rounds it completed, for the baseline to
// repeat. rep.Memory takes the server's /metrics figures, when it has them.
func runTickets(ctx context.Context, cfg config, tgt *target, p *plan, ph *phase, rep *report, out *printer) ([]int, error) {
	var before serverMetrics
	var memErr error
	if tgt.metrics != nil {
		before, memErr = tgt.metrics(ctx)
	}
	procBefore, procErr := tgt.procs.read()
	t := newTracker(len(p.queues))
	ws := make([]*watcher, cfg.subscribers)
	for i := range ws {
		ticket, q := spread(p, i)
		ws[i] = &watcher{id: i, group: q, replica: i % len(tgt.urls), ticket: ticket}
	}
	defer t.closeAll()
	if err := open(ctx, cfg, tgt, t, ws, ticketSub, ph, out); err != nil {
		return nil, err
	}
	idle(ctx)
	if tgt.metrics != nil {
		if memErr == nil {
			var after serverMetrics
			if after, memErr = tgt.metrics(ctx); memErr == nil {
				rep.Memory = newMemory(before, after, ph.Connected)
			}
		}
		if memErr != nil {
			rep.Memory.Error = memErr.Error()
		}
		m := rep.Memory
		out.Printf("%s: server per idle subscriber: %.2f KiB heap+stack in use, %.2f goroutines", tgt.name, m.HeapStackPerSubKiB, m.GoroutinesPerSub)
	}
	procIdle, idleErr := tgt.procs.read()
	if idleErr = errors.Join(procErr, idleErr); idleErr != nil {
		ph.ServerError = idleErr.Error()
	} else {
		ph.RSSPerSubKiB = perSubKiB(procBefore, procIdle, ph.Connected)
		out.Printf("%s: server RSS per idle subscriber: %.2f KiB", tgt.name, ph.RSSPerSubKiB)
	}

	// A queue's next version follows the newest state any of its watchers was given.
	watchersOf := map[string][]*watcher{}
	for _, grp := range t.groups {
		for _, w := range grp.watchers {
			p.queues[w.group].version = max(p.queues[w.group].version, w.last.Load())
			watchersOf[w.ticket] = append(watchersOf[w.ticket], w)
		}
	}
	var done []int
	defer func() {
		cpuSince(ph, tgt.procs, procIdle, idleErr)
		ph.finish(t, len(tgt.urls) > 1)
	}()
	for c := range cfg.calls {
		for qi, q := range p.queues {
			var called string
			res, err := t.runRound(ctx, qi, q.version+1, cfg.roundTimeout, func() error {
				var err error
				called, err = tgt.call(ctx, qi)
				return err
			})
			if ctx.Err() != nil {
				return done, ctx.Err() // a round cut short by -duration says nothing about delivery
			}
			ph.addRound(res, len(t.groups[qi].watchers))
			if err != nil {
				return done, fmt.Errorf("calling %s: %w", q.name, err)
			}
			q.version++
			done = append(done, qi)
			if ws := watchersOf[called]; len(ws) > 0 {
				ph.CalledChecked++
				for _, w := range ws {
					if s := w.status.Load(); s == nil || *s != "CALLED" {
						ph.CalledWrong++
						break
					}
				}
			}
		}
		out.Printf("%s: call round %d/%d: %d deliveries, %d missed so far", tgt.name, c+1, cfg.calls, len(ph.local)+len(ph.remote), ph.Missed)
	}
	return done, nil
}

// runBoard is the all-subscribers case: as many watchers as the ticket phase, all on the department's
// board, and cfg.boardCalls calls (over the queues in turn), each of which every watcher receives.
func runBoard(ctx context.Context, cfg config, tgt *target, department string, parent *phase, out *printer) error {
	ph := &phase{}
	parent.Board = ph
	name := tgt.name + " board"
	bt := *tgt
	bt.name = name
	t := newTracker(1)
	ws := make([]*watcher, cfg.subscribers)
	for i := range ws {
		ws[i] = &watcher{id: i, replica: i % len(tgt.urls)}
	}
	defer t.closeAll()
	sub := boardSub(department)
	if err := open(ctx, cfg, &bt, t, ws, sub, ph, out); err != nil {
		return err
	}
	idle(ctx)
	var version int64 = math.MinInt64
	for _, w := range t.groups[0].watchers {
		version = max(version, w.last.Load())
	}
	before, beforeErr := tgt.procs.read()
	defer func() {
		cpuSince(ph, tgt.procs, before, beforeErr)
		ph.finish(t, len(tgt.urls) > 1)
	}()
	for c := range cfg.boardCalls {
		qi := c % cfg.queues
		res, err := t.runRound(ctx, 0, version+1, cfg.roundTimeout, func() error {
			_, err := tgt.call(ctx, qi)
			return err
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ph.addRound(res, len(t.groups[0].watchers))
		if err != nil {
			return fmt.Errorf("calling queue %d for the board: %w", qi+1, err)
		}
		version++
	}
	out.Printf("%s: %d changes to all, %d deliveries, %d missed", name, ph.Rounds, len(ph.local)+len(ph.remote), ph.Missed)
	return nil
}

// runRaw repeats the rounds on the baseline: same connections, group sizes and payload bytes; then
// the board's broadcasts, to every connection at once with the board's payload size.
func runRaw(ctx context.Context, cfg config, rounds []int, rep *report, out *printer) error {
	b, err := startBaseline()
	if err != nil {
		return err
	}
	defer b.close()
	procs := &procWatch{pids: []int{b.pid()}}
	procBefore, procErr := procs.read()
	t := newTracker(cfg.queues)
	ws := make([]*watcher, cfg.subscribers)
	for i := range ws {
		// The same groups as the GraphQL watchers, so each round reaches as many connections.
		k := i % (cfg.queues * cfg.perQueue)
		ws[i] = &watcher{id: i, group: k % cfg.queues}
	}
	out.Printf("raw: opening %d baseline connections", len(ws))
	d := newDialer()
	d.Subprotocols = nil
	dr := dialAll(ctx, t, ws, cfg.dialConcurrency, func(ctx context.Context, w *watcher) (int, error) {
		return openRaw(ctx, d, b.addr, w)
	}, t.readRaw)
	defer t.closeAll()
	raw := &phase{Subscribers: len(ws), Connected: dr.connected, Failed: dr.failed, FirstError: dr.firstErr, DialSeconds: dr.took.Seconds()}
	rep.Raw = raw
	out.Printf("raw: %d connected, %d failed in %s", dr.connected, dr.failed, dr.took.Round(time.Millisecond))
	// The baseline registers a connection just after its handshake: wait until it holds them all.
	for deadline := time.Now().Add(10 * time.Second); b.count() < dr.connected; {
		if time.Now().After(deadline) {
			raw.FirstError = "the baseline did not register every connection in time"
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	idle(ctx)
	procIdle, err := procs.read()
	if err = errors.Join(procErr, err); err != nil {
		raw.ServerError = err.Error()
	} else {
		raw.RSSPerSubKiB = perSubKiB(procBefore, procIdle, dr.connected)
	}
	raw.PayloadBytes = max(rep.PayloadBytes, 64)
	versions := make([]int64, cfg.queues)
	func() {
		defer cpuSince(raw, procs, procIdle, err)
		for _, g := range rounds {
			versions[g]++
			res, err := t.runRound(ctx, g, versions[g], cfg.roundTimeout, func() error {
				return b.send(g, versions[g], raw.PayloadBytes)
			})
			if ctx.Err() != nil {
				return
			}
			raw.addRound(res, len(t.groups[g].watchers))
			if err != nil && raw.FirstError == "" {
				raw.FirstError = err.Error() // a failed write is a miss to report, not a reason to stop
			}
		}
	}()
	if ctx.Err() != nil {
		raw.finish(t, false)
		return ctx.Err()
	}
	out.Printf("raw: %d rounds, %d deliveries, %d missed", raw.Rounds, len(raw.local), raw.Missed)
	if cfg.boardCalls > 0 && rep.GraphQL.Board != nil {
		rawBoard(ctx, cfg, b, t, procs, slices.Max(versions), rep.GraphQL.Board.PayloadBytes, raw, out)
	}
	raw.finish(t, false)
	return ctx.Err()
}

// rawBoard broadcasts cfg.boardCalls versions after last to every baseline connection.
func rawBoard(ctx context.Context, cfg config, b *baseline, t *tracker, procs *procWatch, last int64, size int, raw *phase, out *printer) {
	ph := &phase{Subscribers: raw.Subscribers, Connected: raw.Connected, PayloadBytes: max(size, 64)}
	raw.Board = ph
	all := make([]int, len(t.groups))
	for i := range all {
		all[i] = i
	}
	before, err := procs.read()
	defer cpuSince(ph, procs, before, err)
	for c := range cfg.boardCalls {
		v := last + 1 + int64(c)
		res, err := t.runRoundOn(ctx, all, v, cfg.roundTimeout, func() error { return b.send(-1, v, ph.PayloadBytes) })
		if ctx.Err() != nil {
			return
		}
		ph.addRound(res, raw.Connected)
		if err != nil && ph.FirstError == "" {
			ph.FirstError = err.Error()
		}
	}
	ph.Latency = summarize(ph.local, ph.busy) // the faults are counted with the baseline's other rounds
	out.Printf("raw board: %d broadcasts, %d deliveries, %d missed", ph.Rounds, len(ph.local), ph.Missed)
}

// runNode measures the Node peer as runTickets and runBoard measure CareQueue: same watchers, same
// rounds. Without node or npm it notes why and skips.
func runNode(ctx context.Context, cfg config, rep *report, out *printer) error {
	dir := cfg.nodeDir
	if dir == "" {
		var err error
		if dir, err = defaultNodeDir(); err != nil {
			return err
		}
	}
	if err := installNodePeer(ctx, dir, out); err != nil {
		if errors.Is(err, errNoNode) {
			rep.NodeSkipped = err.Error()
			out.Printf("node: skipped, %v", err)
			return nil
		}
		return err
	}
	n, err := startNodePeer(dir, cfg.queues, cfg.perQueue)
	if err != nil {
		return err
	}
	defer n.close()
	p := nodePlan(cfg.queues, cfg.perQueue)
	tgt := &target{name: "node", urls: []string{"http://" + n.addr}, tokens: []string{"load"},
		procs: &procWatch{pids: []int{n.pid()}},
		call: func(_ context.Context, qi int) (string, error) {
			called, err := n.call(qi)
			if err == nil && called == "" {
				err = fmt.Errorf("queue %d has nobody waiting", qi+1)
			}
			return called, err
		}}
	rep.Node = &phase{}
	if _, err := runTickets(ctx, cfg, tgt, p, rep.Node, rep, out); err != nil {
		return err
	}
	if cfg.boardCalls > 0 {
		return runBoard(ctx, cfg, tgt, "load", rep.Node, out)
	}
	return nil
}
