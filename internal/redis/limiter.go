package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/carequeue/carequeue/internal/auth"
)

var _ auth.Limiter = (*Limiter)(nil)

// slidingWindow is a sliding-window log in one sorted set per key (score = event time in ms),
// run as one script so concurrent replicas cannot both take the last slot. It reads the clock
// from Redis, so replicas with skewed clocks still agree. Refused events are not recorded.
//
// Times are whole milliseconds: Lua numbers are doubles and older Redis versions pass them to
// commands with 14 significant digits, too few for microseconds since 1970.
//
// KEYS[1] the key; ARGV[1] limit; ARGV[2] window in ms; ARGV[3] a unique member for this event, or
// "" to check without recording (Check). Returns {1, 0} when allowed, {0, retry-after in ms} when refused.
var slidingWindow = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  if ARGV[3] ~= '' then
    redis.call('ZADD', KEYS[1], now, ARGV[3])
    redis.call('PEXPIRE', KEYS[1], window)
  end
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local retry = tonumber(oldest[2]) + window - now
if retry < 1 then retry = 1 end
return {0, retry}
`)

// Limiter is an auth.Limiter shared by every replica using the same Redis: at most limit allowed
// events per key in any window-long interval, exactly as inmem.Limiter does in one process.
type Limiter struct {
	client *goredis.Client
	prefix string
	limit  int
	window time.Duration
}

// NewLimiter returns a Limiter storing its state under "<prefix>:<key>" (e.g. prefix
// "carequeue:limit:login"); each key expires one window after its last allowed event. It panics on
// a nil client or a non-positive limit or window, which are programming errors.
func NewLimiter(client *goredis.Client, prefix string, limit int, window time.Duration) *Limiter {
	if client == nil || limit <= 0 || window < time.Millisecond {
		panic(fmt.Sprintf("redis.NewLimiter: need a client, a positive limit and a window of at least 1ms, got %d and %s", limit, window))
	}
	return &Limiter{client: client, prefix: prefix, limit: limit, window: window}
}

// Allow implements auth.Limiter. err is a Redis failure, wrapped.
func (l *Limiter) Allow(ctx context.Context, key string) (bool, time.Duration, error) {
	member := make([]byte, 8)
	_, _ = rand.Read(member) // crypto/rand.Read never fails
	return l.run(ctx, key, hex.EncodeToString(member))
}

// Check implements auth.Limiter. err is a Redis failure, wrapped.
func (l *Limiter) Check(ctx context.Context, key string) (bool, time.Duration, error) {
	return l.run(ctx, key, "")
}

func (l *Limiter) run(ctx context.Context, key, member string) (bool, time.Duration, error) {
	res, err := slidingWindow.Run(ctx, l.client, []string{l.prefix + ":" + key},
		l.limit, l.window.Milliseconds(), member).Int64Slice()
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", l.prefix, err)
	}
	if len(res) != 2 {
		return false, 0, fmt.Errorf("rate limit %s: unexpected script reply %v", l.prefix, res)
	}
	if res[0] == 1 {
		return true, 0, nil
	}
	return false, time.Duration(res[1]) * time.Millisecond, nil
}
