// Package testclock is a fake time source for tests: a Clock stands still until the test advances it,
// and is safe for concurrent use, so rate limits, expiries and caches are tested without sleeping.
package testclock

import (
	"sync"
	"time"
)

// Clock is a settable time source; pass its Now where code takes func() time.Time.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a Clock that reads start.
func New(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
