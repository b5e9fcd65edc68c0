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
}
