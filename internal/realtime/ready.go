package realtime

import (
	"context"
	"sync"
)

// Ready lets whoever runs a subscription's resolver learn when its channel holds a value, instead of
// holding a goroutine blocked on it: the server's shared subscriptions read their stream only when told
// (a distinct subscription then costs no goroutine while idle). Put one in the resolver's context with
// WithReady; the subscription's watcher calls wake after each value it sends and when it closes, and
// Pending reports whether a read would return at once.
type Ready struct {
	wake func()

	mu      sync.Mutex
	pending func() bool
	watched int // watchers registered: Pending is known for exactly one
}

type readyKey struct{}

// WithReady returns ctx carrying a new Ready whose watcher calls wake (not under any lock of its own).
func WithReady(ctx context.Context, wake func()) (context.Context, *Ready) {
	r := &Ready{wake: wake}
	return context.WithValue(ctx, readyKey{}, r), r
}

func readyFrom(ctx context.Context) *Ready {
	r, _ := ctx.Value(readyKey{}).(*Ready)
	return r
}

func (r *Ready) register(pending func() bool) func() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.watched++
	r.pending = pending
	return r.wake
}

// Known reports whether the resolver's stream is one watcher's channel, so that Pending tells.
func (r *Ready) Known() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.watched == 1
}

// Pending reports whether the channel holds a value or is closed (a read returns at once).
func (r *Ready) Pending() bool {
	r.mu.Lock()
	pending := r.pending
	r.mu.Unlock()
	return pending != nil && pending()
}
