package webhook

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Bounds on a receiver's Retry-After: a busy receiver is given the time it asks for, but not less than
// a second (an answer of 0 must not turn the retries into a loop) and not more than an hour (a far date
// must not park the delivery for days; if it is still busy it can ask again).
const (
	minRetryAfter = time.Second
	maxRetryAfter = time.Hour
)

// RetryAfter reads the Retry-After of a 429 or 503 answer, in seconds or as an HTTP date, as the delay
// from now until the next attempt, within [1s, 1h]. ok is false for other statuses and for a missing or
// unreadable header: River's backoff applies then.
func RetryAfter(status int, header string, now time.Time) (delay time.Duration, ok bool) {
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return 0, false
	}
	header = strings.TrimSpace(header)
	secs, err := strconv.ParseUint(header, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) || err == nil && secs > uint64(maxRetryAfter/time.Second):
		return maxRetryAfter, true
	case err == nil:
		delay = time.Duration(secs) * time.Second
	default:
		at, err := http.ParseTime(header)
		if err != nil {
			return 0, false
		}
		delay = at.Sub(now)
	}
	return min(max(delay, minRetryAfter), maxRetryAfter), true
}
