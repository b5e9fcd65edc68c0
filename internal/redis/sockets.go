package redis

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// DefaultSocketTTL is how long a socket counts after its replica last vouched for it: a crashed
// replica's sockets stop counting within it.
const DefaultSocketTTL = time.Minute

// acquireSocket counts one more socket for a key unless it has max already: one sorted set per key, a
// member per open socket, scored with the time its replica must refresh it by (Redis's clock, so
// replicas with skewed clocks agree). Lapsed members (a crashed replica's) are dropped first.
//
// KEYS[1] the key; ARGV[1] max; ARGV[2] ttl in ms; ARGV[3] the socket's member. Returns 1 or 0.
var acquireSocket = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
`)

// refreshSockets pushes the deadline of a replica's open sockets of one key forward.
//
// KEYS[1] the key; ARGV[1] ttl in ms; ARGV[2...] the members.
var refreshSockets = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], ttl)
return 0
`)

// Sockets counts open WebSockets per key (an account) across every replica sharing the Redis, for
// the server's per-account cap (server.SocketCounter). A socket counts from Acquire to Release; Run
// keeps this replica's sockets counting while they are open, and a replica that dies without
// releasing them stops counting them within the TTL.
type Sockets struct {
	client *goredis.Client
	prefix string
	ttl    time.Duration
	log    *slog.Logger

	mu   sync.Mutex
	held map[string]map[string]struct{} // key → members this replica holds
}

// NewSockets returns a counter storing its sets under "<prefix>:<key>" whose members lapse ttl after
// their last refresh (DefaultSocketTTL when zero; WS_SOCKET_TTL in cmd/carequeue).
func NewSockets(client *goredis.Client, prefix string, ttl time.Duration, log *slog.Logger) *Sockets {
	if ttl <= 0 {
		ttl = DefaultSocketTTL
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sockets{client: client, prefix: prefix, ttl: ttl, log: log, held: map[string]map[string]struct{}{}}
}

// Acquire counts socket id for key unless key has limit sockets open on all replicas together; it
// reports whether it did. err is a Redis failure, wrapped.
func (s *Sockets) Acquire(ctx context.Context, key, id string, limit int) (bool, error) {
	ok, err := acquireSocket.Run(ctx, s.client, []string{s.prefix + ":" + key}, limit, s.ttl.Milliseconds(), id).Int()
	if err != nil {
		return false, fmt.Errorf("counting sockets: %w", err)
	}
	if ok != 1 {
		return false, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held[key] == nil {
		s.held[key] = map[string]struct{}{}
	}
	s.held[key][id] = struct{}{}
	return true, nil
}

// Release stops counting socket id of key. If Redis cannot be told, the socket lapses with the TTL.
func (s *Sockets) Release(ctx context.Context, key, id string) error {
	s.mu.Lock()
	delete(s.held[key], id)
	if len(s.held[key]) == 0 {
		delete(s.held, key)
	}
	s.mu.Unlock()
	if err := s.client.ZRem(ctx, s.prefix+":"+key, id).Err(); err != nil {
		return fmt.Errorf("releasing a socket: %w", err)
	}
	return nil
}

// Run refreshes this replica's sockets three times a TTL until ctx ends; a failed refresh is logged
// and tried again at the next tick (a socket lapses only after a whole TTL without one). It returns
// nil when ctx ends.
func (s *Sockets) Run(ctx context.Context) error {
	tick := time.NewTicker(s.ttl / 3)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if err := s.refresh(ctx); err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "refreshing the shared socket counts", "err", err)
			}
		}
	}
}

func (s *Sockets) refresh(ctx context.Context) error {
	s.mu.Lock()
	batch := make(map[string][]any, len(s.held))
	for key, ids := range s.held {
		args := []any{s.ttl.Milliseconds()}
		for id := range ids {
			args = append(args, id)
		}
		batch[key] = args
	}
	s.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	pipe := s.client.Pipeline()
	for key, args := range batch {
		refreshSockets.Eval(ctx, pipe, []string{s.prefix + ":" + key}, args...)
	}
	_, err := pipe.Exec(ctx)
	return err
}
