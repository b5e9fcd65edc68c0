package inmem

import (
	"context"
	"sync"
)

// Revocations is the session.RevocationPublisher of a single replica: PublishRevocation hands the user
// id to every running Run. Delivery never blocks the publisher; a full buffer drops the message, and the
// receiver's periodic re-check catches up, as with a lossy network broker.
type Revocations struct {
	mu   sync.Mutex
	runs map[chan string]struct{}
}

// NewRevocations returns a Revocations without receivers.
func NewRevocations() *Revocations { return &Revocations{runs: map[chan string]struct{}{}} }

// PublishRevocation implements session.RevocationPublisher.
func (r *Revocations) PublishRevocation(_ context.Context, userID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for ch := range r.runs {
		select {
		case ch <- userID:
		default:
		}
	}
	return nil
}

// Run delivers published user ids to onUser until ctx ends; onSync is called once, when it starts.
func (r *Revocations) Run(ctx context.Context, onUser func(userID string), onSync func()) error {
	ch := make(chan string, 256)
	r.mu.Lock()
	r.runs[ch] = struct{}{}
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.runs, ch)
		r.mu.Unlock()
	}()
	onSync()
	for {
		select {
		case <-ctx.Done():
			return nil
		case u := <-ch:
			onUser(u)
		}
	}
}
