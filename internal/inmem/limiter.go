package inmem

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/carequeue/carequeue/internal/auth"
)

var _ auth.Limiter = (*Limiter)(nil)

// Limiter is a sliding-window-log rate limiter: a key may have at most limit allowed events in
// any window-long interval. It keeps up to limit timestamps per key, so it is exact and, for the
// small limits used on logins, small. Refused events are not recorded, so a caller who keeps
// retrying is let in again one window after its oldest allowed event.
type Limiter struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu        sync.Mutex
	events    map[string][]time.Time // allowed events per key, oldest first
	lastSweep time.Time
}

// NewLimiter returns a Limiter allowing limit events per window per key. now is the clock (nil
// means time.Now); tests pass a fake one. It panics on a non-positive limit or window, which are
// programming errors.
func NewLimiter(limit int, window time.Duration, now func() time.Time) *Limiter {
	if limit <= 0 || window <= 0 {
		panic(fmt.Sprintf("inmem.NewLimiter: limit and window must be positive, got %d and %s", limit, window))
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{limit: limit, window: window, now: now, events: make(map[string][]time.Time)}
}

// Allow implements auth.Limiter. It never returns an error.
func (l *Limiter) Allow(_ context.Context, key string) (bool, time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)

	ev := dropExpired(l.events[key], now.Add(-l.window))
	if len(ev) >= l.limit {
		l.events[key] = ev
		return false, ev[0].Add(l.window).Sub(now), nil
	}
	l.events[key] = append(ev, now)
	return true, 0, nil
}

// Check implements auth.Limiter. It never returns an error.
func (l *Limiter) Check(_ context.Context, key string) (bool, time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	ev := dropExpired(l.events[key], now.Add(-l.window))
	if len(ev) == 0 { // sweep expects every key held to have an event: a check adds no key
		delete(l.events, key)
		return true, 0, nil
	}
	l.events[key] = ev
	if len(ev) >= l.limit {
		return false, ev[0].Add(l.window).Sub(now), nil
	}
	return true, 0, nil
}

// sweep deletes keys with no event inside the window, at most once per window, so memory tracks
// the keys active in the last two windows and the cost is amortised over many calls.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < l.window {
		return
	}
	l.lastSweep = now
	cutoff := now.Add(-l.window)
	for key, ev := range l.events {
		if !ev[len(ev)-1].After(cutoff) {
			delete(l.events, key)
		}
	}
}

// dropExpired removes events at or before cutoff, reusing the slice.
func dropExpired(ev []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(ev) && !ev[i].After(cutoff) {
		i++
	}
	if i == 0 {
		return ev
	}
	return append(ev[:0], ev[i:]...)
}

// Len returns the number of keys held, to check that memory stays bounded.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.events)
}
