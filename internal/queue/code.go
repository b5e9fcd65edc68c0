package queue

import (
	"fmt"
	"sync"
	"time"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// FormatCode returns the ticket code shown on the board and read out loud: the queue prefix, a hyphen
// and the day's sequence number (starting at 1) with at least three digits ("C-012"). Past 999 it grows
// ("C-1000") rather than wrapping, so a code is never reused within a service day.
func FormatCode(prefix string, seq int) string {
	return fmt.Sprintf("%s-%03d", prefix, seq)
}

// ValidatePrefix returns BAD_USER_INPUT unless p is 1 to 3 uppercase ASCII letters: short enough to read
// out, and without digits that would blur into the sequence number.
func ValidatePrefix(p string) error {
	ok := len(p) >= 1 && len(p) <= 3
	for i := 0; ok && i < len(p); i++ {
		ok = p[i] >= 'A' && p[i] <= 'Z'
	}
	if !ok {
		return cqerr.Ef(cqerr.BadUserInput, "ticket prefix %q must be 1 to 3 capital letters A–Z, such as \"C\" or \"LAB\"", p)
	}
	return nil
}

// ServiceDay returns the facility's calendar day of instant t ("2006-01-02") in loc, the key of the
// daily ticket sequence: it restarts at local midnight, whatever the UTC date or a DST change says. A nil
// loc means UTC.
func ServiceDay(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(time.DateOnly)
}

// LoadLocation returns the time zone with IANA name name (e.g. "Europe/Berlin"), or BAD_USER_INPUT for an
// unknown name. The empty name and "Local" are refused too: a facility's day must not depend on the server's
// settings. It reads the system time-zone database, or the one embedded by importing time/tzdata, once
// per name: time.LoadLocation reads and parses the zone's file on every call, and every check-in, board
// and report asks for its facility's zone. Only names that loaded are kept, so the cache is bounded by
// the database's few hundred zones whatever a caller sends.
func LoadLocation(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, cqerr.Ef(cqerr.BadUserInput, "time zone %q is not allowed: use an IANA name such as \"Europe/Berlin\"", name)
	}
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, cqerr.Wrap(cqerr.BadUserInput, err,
			fmt.Sprintf("unknown time zone %q: use an IANA name such as \"Europe/Berlin\"", name))
	}
	got, _ := locations.LoadOrStore(name, loc)
	return got.(*time.Location), nil
}

// locations are the zones LoadLocation has loaded, by name (a *time.Location is safe to share).
var locations sync.Map
