package session

import (
	"fmt"
	"time"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// Reasons a refresh is refused for the session's age, sent as extensions.reason so that a client can
// say why the person was signed out.
const (
	ReasonIdle    = "SESSION_IDLE"
	ReasonExpired = "SESSION_EXPIRED"
)

// Limits bound a session. Idle is the longest the session may go without activity; Lifetime the
// longest it may last from sign-in however active it is. Zero means unbounded.
//
// Activity, as the server sees it, is a refresh: every token carries the time it was issued, and a
// refresh that presents a token older than Idle is refused. Nothing is written per request. A
// client that refreshes on a timer would thus keep a session alive forever, so the web app refreshes
// only after the person touched the page (web/src/app/idle.ts); the server's check is what holds
// when a tab was closed, a laptop slept or a token was copied and used later.
type Limits struct {
	Idle     time.Duration
	Lifetime time.Duration
}

// limitsFor returns the limits of role's sessions. Kiosks and integrations are machines that must not
// be signed out mid-day: only the refresh token's own expiry bounds them.
func (o *Options) limitsFor(role auth.Role) Limits {
	switch role {
	case auth.RoleAdmin, auth.RoleReceptionist, auth.RoleClinician:
		return o.Staff
	case auth.RolePatient:
		return o.Patient
	default:
		return Limits{}
	}
}

// check returns the UNAUTHENTICATED error of a session started at started whose presented token was
// issued at issued, when at now it has outlived its lifetime (checked first: no activity extends it)
// or sat idle too long; nil while it is within both.
func (l Limits) check(now, started, issued time.Time) error {
	switch {
	case l.Lifetime > 0 && !now.Before(started.Add(l.Lifetime)):
		return reasoned(ReasonExpired, fmt.Sprintf("session ended after %s, sign in again", human(l.Lifetime)))
	case l.Idle > 0 && now.Sub(issued) > l.Idle:
		return reasoned(ReasonIdle, fmt.Sprintf("signed out after %s of inactivity, sign in again", human(l.Idle)))
	}
	return nil
}

// end is when a token issued at now, in a session started at started, stops being good for access:
// the sooner of the idle deadline and the end of the lifetime; zero when neither bounds it.
func (l Limits) end(now, started time.Time) time.Time {
	var end time.Time
	if l.Idle > 0 {
		end = now.Add(l.Idle)
	}
	if l.Lifetime > 0 && (end.IsZero() || started.Add(l.Lifetime).Before(end)) {
		end = started.Add(l.Lifetime)
	}
	return end
}

func reasoned(reason, msg string) error {
	return cqerr.E(cqerr.Unauthenticated, msg).WithReason(reason)
}

// human writes d the way the sign-in page repeats it: "15 minutes", "12 hours", "90 seconds".
func human(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	switch {
	case d%(24*time.Hour) == 0:
		return unit(int64(d/(24*time.Hour)), "day")
	case d%time.Hour == 0:
		return unit(int64(d/time.Hour), "hour")
	case d%time.Minute == 0:
		return unit(int64(d/time.Minute), "minute")
	default:
		return unit(int64(d.Round(time.Second)/time.Second), "second")
	}
}
