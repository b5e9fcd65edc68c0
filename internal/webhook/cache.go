package webhook

import (
	"sync"
	"time"

	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
)

// CacheTTL is how long a replica trusts its copy of a facility's enabled endpoints. It bounds how late
// another replica's change reaches this one's enqueuer: an endpoint created or enabled elsewhere gets
// the events committed here from at most CacheTTL later. A change made on this replica is seen at once.
const CacheTTL = 5 * time.Second

// target is what the enqueuer needs of an endpoint: which one, and what it subscribed to.
type target struct {
	ID     pulid.ID
	Events []enum.WebhookEvent
}

// EndpointCache keeps each facility's enabled endpoints in memory, so that a ticket event costs no
// extra query. The Service invalidates a facility on this replica after each change it commits; other
// replicas' copies expire after the TTL. Staleness can only delay a new subscription, never send to a
// removed one: the delivery worker re-reads its endpoint and skips it when it is gone or disabled.
// That is why a TTL is enough and no invalidation channel between replicas is needed (Redis pub/sub
// is at-most-once anyway, so it would still need a TTL behind it).
type EndpointCache struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[pulid.ID]cacheEntry
	// gen counts a facility's invalidations: a read that started before one must not store what it read.
	gen map[pulid.ID]uint64
}

type cacheEntry struct {
	loaded  time.Time
	targets []target
}

// NewEndpointCache returns a cache trusting entries for ttl (0: no caching, every event reads).
func NewEndpointCache(ttl time.Duration, now func() time.Time) *EndpointCache {
	if now == nil {
		now = time.Now
	}
	return &EndpointCache{ttl: ttl, now: now, entries: map[pulid.ID]cacheEntry{}, gen: map[pulid.ID]uint64{}}
}

// get returns facility's targets from the cache, or from load (stored unless invalidated meanwhile).
func (c *EndpointCache) get(facility pulid.ID, load func() ([]target, error)) ([]target, error) {
	if c == nil || c.ttl <= 0 {
		return load()
	}
	start := c.now()
	c.mu.Lock()
	e, ok := c.entries[facility]
	gen := c.gen[facility]
	c.mu.Unlock()
	if ok && start.Sub(e.loaded) < c.ttl {
		return e.targets, nil
	}
	targets, err := load()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen[facility] == gen {
		// Dated from before the read: whatever changed during it is at most one TTL late.
		c.entries[facility] = cacheEntry{loaded: start, targets: targets}
	}
	c.mu.Unlock()
	return targets, nil
}

// Invalidate drops facility's entry: the next event reads its endpoints again. Call it after the
// change commits.
func (c *EndpointCache) Invalidate(facility pulid.ID) {
	if c == nil {
		return
	}
	c.mu.Lock()
	delete(c.entries, facility)
	c.gen[facility]++
	c.mu.Unlock()
}
