package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// watcher is one subscriber connection, in one group (a queue, or a baseline broadcast group).
type watcher struct {
	id          int // index among all watchers of the phase
	group, slot int // slot: its index among the group's watchers
	replica     int // which -url/-replicas entry it is connected to
	ticket      string
	conn        *websocket.Conn
	last        atomic.Int64 // newest version received
	status      atomic.Pointer[string]
}

type group struct {
	watchers []*watcher
	cur      atomic.Pointer[round]
}

// round is one change fanned out to one group: every watcher should receive version expected once.
type round struct {
	expected int64
	t0       time.Time
	arrived  []atomic.Int64 // 1 + nanoseconds after t0; 0 while missing
	got      atomic.Int64
	done     chan struct{}
}

// tracker matches what the watchers receive against the round in flight.
type tracker struct {
	groups     []*group
	closing    atomic.Bool
	duplicates atomic.Int64 // a version a watcher had already seen
	unexpected atomic.Int64 // a new version that is not the round's (late after a timeout, or ahead)
	dropped    atomic.Int64 // connections or subscriptions the server ended during the run
	readers    sync.WaitGroup

	errMu    sync.Mutex
	firstErr string
}

func newTracker(groups int) *tracker {
	t := &tracker{groups: make([]*group, groups)}
	for i := range t.groups {
		t.groups[i] = &group{}
	}
	return t
}

func (t *tracker) add(w *watcher) {
	g := t.groups[w.group]
	w.slot = len(g.watchers)
	g.watchers = append(g.watchers, w)
}

func (t *tracker) noteErr(err string) {
	t.errMu.Lock()
	defer t.errMu.Unlock()
	if t.firstErr == "" {
		t.firstErr = err
	}
}

// deliver records that w received version at the given instant.
func (t *tracker) deliver(w *watcher, version int64, at time.Time) {
	if prev := w.last.Swap(version); version <= prev {
		t.duplicates.Add(1)
		return
	}
	r := t.groups[w.group].cur.Load()
	if r == nil || version != r.expected {
		t.unexpected.Add(1)
		return
	}
	if r.arrived[w.slot].CompareAndSwap(0, int64(at.Sub(r.t0))+1) && r.got.Add(1) == int64(len(r.arrived)) {
		close(r.done)
	}
}

// roundResult is what one round measured.
type roundResult struct {
	local, remote []time.Duration // watchers on the replica that took the mutation, and on others
	missed        int
	busy          time.Duration // t0 to the last delivery
	fired         time.Duration // t0 to fire's return: for CareQueue the mutation's own round trip
}

// runRound starts a round on group g, fires the change, and waits up to timeout for every delivery.
// Watchers with nothing by then count as missed; fire's error (or ctx's) is returned with the result.
func (t *tracker) runRound(ctx context.Context, g int, expected int64, timeout time.Duration, fire func() error) (roundResult, error) {
	return t.runRoundOn(ctx, []int{g}, expected, timeout, fire)
}

// runRoundOn is runRound over several groups at once, one change that all of them should receive
// (a broadcast): every group's watchers are expected to get the same version, timed from one instant.
func (t *tracker) runRoundOn(ctx context.Context, gs []int, expected int64, timeout time.Duration, fire func() error) (roundResult, error) {
	rounds := make([]*round, len(gs))
	t0 := time.Now()
	for i, g := range gs {
		r := &round{expected: expected, t0: t0, arrived: make([]atomic.Int64, len(t.groups[g].watchers)), done: make(chan struct{})}
		if len(r.arrived) == 0 {
			close(r.done)
		}
		rounds[i] = r
		t.groups[g].cur.Store(r)
	}
	stop := func() {
		for _, g := range gs {
			t.groups[g].cur.Store(nil)
		}
	}
	defer stop()
	err := fire()
	fired := time.Since(t0)
	if err == nil {
		timer := time.NewTimer(timeout)
		defer timer.Stop()
	wait:
		for _, r := range rounds {
			select {
			case <-r.done:
			case <-timer.C:
				break wait
			case <-ctx.Done():
				err = ctx.Err()
				break wait
			}
		}
	}
	stop()
	res := roundResult{fired: fired}
	for i, g := range gs {
		for j, w := range t.groups[g].watchers {
			a := rounds[i].arrived[j].Load()
			if a == 0 {
				res.missed++
				continue
			}
			d := time.Duration(a - 1)
			res.busy = max(res.busy, d)
			if w.replica == 0 {
				res.local = append(res.local, d)
			} else {
				res.remote = append(res.remote, d)
			}
		}
	}
	return res, err
}

// closeAll says goodbye on every connection and waits (bounded) for the readers to stop.
func (t *tracker) closeAll() {
	t.closing.Store(true)
	bye := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	deadline := time.Now().Add(5 * time.Second) // one budget for all: a stuck peer cannot stall the rest
	for _, g := range t.groups {
		for _, w := range g.watchers {
			_ = w.conn.WriteControl(websocket.CloseMessage, bye, deadline)
		}
	}
	done := make(chan struct{})
	go func() { t.readers.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	for _, g := range t.groups {
		for _, w := range g.watchers {
			w.conn.Close()
		}
	}
	t.readers.Wait()
}
