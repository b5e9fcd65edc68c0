// Package session owns sign-in: staff passwords, patient one-time codes, access tokens and rotating
// refresh tokens with reuse detection.
package session

import (
	"time"

	"github.com/carequeue/carequeue/ent"
)

// Session is what a successful sign-in or refresh returns (GraphQL AuthPayload).
type Session struct {
	AccessToken  string
	RefreshToken string
	ExpiresAt    time.Time
	User         *ent.User
	// IdleTimeoutSeconds is the session's idle timeout (Limits.Idle), nil when it has none: the web
	// app signs out after that long without a touch.
	IdleTimeoutSeconds *int
	// SessionExpiresAt is the end of the session's lifetime, nil when it has none.
	SessionExpiresAt *time.Time
}

func newSession(access, refresh string, exp time.Time, u *ent.User, l Limits, started time.Time) *Session {
	s := &Session{AccessToken: access, RefreshToken: refresh, ExpiresAt: exp, User: u}
	if l.Idle > 0 {
		secs := int(l.Idle / time.Second)
		s.IdleTimeoutSeconds = &secs
	}
	if l.Lifetime > 0 {
		end := started.Add(l.Lifetime).UTC()
		s.SessionExpiresAt = &end
	}
	return s
}
