package main

import (
	"context"
	"fmt"
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
	rounds, err := runGraphQL(mctx, cfg, client, caller, p, tokens, rep, out)
	if err := stopped(err); err != nil {
		return nil, err
	}
	if cfg.raw && mctx.Err() == nil {
		if err := stopped(runRaw(mctx, cfg, rounds, rep, out)); err != nil {
			return nil, err
		}
	}
	rep.StoppedEarly = mctx.Err() != nil
	rep.ratios()
	return rep, nil
}

// spread assigns subscriber i a ticket so that every queue gets the same share and every ticket of a
// queue is watched before any is watched twice. It returns the ticket and its queue.
func spread(p *plan, i int) (string, int) {
	n := len(p.queues)
	k := i % (n * len(p.queues[0].tickets))
	return p.queues[k%n].tickets[k/n], k % n
}

// runGraphQL subscribes, reads the server's memory, calls each queue cfg.calls times and closes. It
// returns the (queue, call) rounds it completed, for the baseline to repeat.
func runGraphQL(ctx context.Context, cfg config, client *http.Client, caller *api, p *plan, tokens []string, rep *report, out *printer) ([]int, error) {
	before, memErr := scrapeAll(ctx, client, cfg.urls)
	t := newTracker(len(p.queues))
	ws := make([]*watcher, cfg.subscribers)
	for i := range ws {
		ticket, q := spread(p, i)
		ws[i] = &watcher{id: i, group: q, replica: i % len(cfg.urls), ticket: ticket}
	}
	out.Printf("graphql: opening %d subscribers over %d URL(s), %d handshakes at a time", len(ws), len(cfg.urls), cfg.dialConcurrency)
	d := newDialer()
	dr := dialAll(ctx, t, ws, cfg.dialConcurrency, func(ctx context.Context, w *watcher) (int, error) {
		return subscribe(ctx, d, cfg.urls[w.replica], tokens[w.replica], w)
	}, t.readTickets)
	defer t.closeAll()
	g := &rep.GraphQL
	g.Subscribers, g.Connected, g.Failed, g.FirstError = len(ws), dr.connected, dr.failed, dr.firstErr
	g.DialSeconds = dr.took.Seconds()
	out.Printf("graphql: %d connected, %d failed in %s", dr.connected, dr.failed, dr.took.Round(time.Millisecond))
	if dr.connected == 0 {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("no subscriber could connect: %s", dr.firstErr)
	}
	if len(dr.sizes) > 0 {
		slices.Sort(dr.sizes)
		rep.PayloadBytes = dr.sizes[len(dr.sizes)/2]
	}

	select {
	case <-time.After(settle):
	case <-ctx.Done():
	}
	if memErr == nil {
		var after serverMetrics
		if after, memErr = scrapeAll(ctx, client, cfg.urls); memErr == nil {
			rep.Memory = newMemory(before, after, dr.connected)
		}
	}
	if memErr != nil {
		rep.Memory.Error = memErr.Error()
	}
	m := rep.Memory
	out.Printf("graphql: server per idle subscriber: %.2f KiB heap+stack in use, %.2f goroutines", m.HeapStackPerSubKiB, m.GoroutinesPerSub)

	// A queue's next version follows the newest state any of its watchers was given.
	watchersOf := map[string][]*watcher{}
	for _, grp := range t.groups {
		for _, w := range grp.watchers {
			p.queues[w.group].version = max(p.queues[w.group].version, w.last.Load())
			watchersOf[w.ticket] = append(watchersOf[w.ticket], w)
		}
	}
	var done []int
	defer func() { g.finish(t, len(cfg.urls) > 1) }()
	for c := range cfg.calls {
		for qi, q := range p.queues {
			var called string
			res, err := t.runRound(ctx, qi, q.version+1, cfg.roundTimeout, func() error {
				var err error
				called, err = caller.callNext(ctx, q.id, p.servicePoint)
				if err == nil && called == "" {
					err = fmt.Errorf("queue %s has nobody waiting", q.name)
				}
				return err
			})
			if ctx.Err() != nil {
				return done, ctx.Err() // a round cut short by -duration says nothing about delivery
			}
			g.addRound(res, len(t.groups[qi].watchers))
			if err != nil {
				return done, fmt.Errorf("calling %s: %w", q.name, err)
			}
			q.version++
			done = append(done, qi)
			if ws := watchersOf[called]; len(ws) > 0 {
				g.CalledChecked++
				for _, w := range ws {
					if s := w.status.Load(); s == nil || *s != "CALLED" {
						g.CalledWrong++
						break
					}
				}
			}
		}
		out.Printf("graphql: call round %d/%d: %d deliveries, %d missed so far", c+1, cfg.calls, len(g.local)+len(g.remote), g.Missed)
	}
	return done, nil
}

// runRaw repeats the GraphQL rounds on the baseline: same connections, group sizes and payload bytes.
func runRaw(ctx context.Context, cfg config, rounds []int, rep *report, out *printer) error {
	b, err := startBaseline()
	if err != nil {
		return err
	}
	defer b.close()
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
	defer func() { raw.finish(t, false) }()
	out.Printf("raw: %d connected, %d failed in %s", dr.connected, dr.failed, dr.took.Round(time.Millisecond))
	// The baseline registers a connection just after its handshake: wait until it holds them all.
	for deadline := time.Now().Add(10 * time.Second); b.count() < dr.connected; {
		if time.Now().After(deadline) {
			raw.FirstError = "the baseline did not register every connection in time"
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	size := max(rep.PayloadBytes, 64)
	versions := make([]int64, cfg.queues)
	for _, g := range rounds {
		versions[g]++
		res, err := t.runRound(ctx, g, versions[g], cfg.roundTimeout, func() error {
			return b.send(g, versions[g], size)
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		raw.addRound(res, len(t.groups[g].watchers))
		if err != nil && raw.FirstError == "" {
			raw.FirstError = err.Error() // a failed write is a miss to report, not a reason to stop
		}
	}
	out.Printf("raw: %d rounds, %d deliveries, %d missed", raw.Rounds, len(raw.local), raw.Missed)
	return nil
}
