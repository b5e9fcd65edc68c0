package realtime

import (
	"context"
	"sync"
	"time"
)

// Delivery follows one subscription's updates from the commit of a queue change to the subscriber:
// whoever carries the subscription to its client (the GraphQL transport) puts one in the subscription's
// context with WithDelivery, and after handing each update to the client asks Take since when the
// oldest change in it was committed. That is the fan-out latency: publication, the broker, this
// replica's one read of the state and the wait for the subscriber's turn.
type Delivery struct {
	mu    sync.Mutex
	since time.Time
}

type deliveryKey struct{}

// WithDelivery returns ctx carrying a new Delivery for the subscription started with it.
func WithDelivery(ctx context.Context) (context.Context, *Delivery) {
	d := &Delivery{}
	return context.WithValue(ctx, deliveryKey{}, d), d
}

func deliveryFrom(ctx context.Context) *Delivery {
	d, _ := ctx.Value(deliveryKey{}).(*Delivery)
	return d
}

// DeliveryFrom returns the Delivery of ctx's subscription, or nil.
func DeliveryFrom(ctx context.Context) *Delivery { return deliveryFrom(ctx) }

// Mark records that an update showing a change committed at t is waiting for the subscriber: for a
// carrier that hands one update to several subscribers (the server's shared subscriptions).
func (d *Delivery) Mark(t time.Time) { d.mark(t) }

// mark records that an update showing a change committed at t is waiting for the subscriber; updates
// replace each other while waiting, so the oldest change is kept.
func (d *Delivery) mark(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.since.IsZero() || t.Before(d.since) {
		d.since = t
	}
}

// Take returns the commit time of the oldest change shown by the updates handed over since the last
// Take, and forgets it; false when none showed a change (a first state, a re-read after a resync).
func (d *Delivery) Take() (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := d.since
	d.since = time.Time{}
	return t, !t.IsZero()
}
