package auth

import (
	"context"

	"entgo.io/ent/privacy"
)

// SystemContext returns ctx with every privacy rule bypassed. It is for internal work that must act
// beyond any viewer: checking a password, rotating refresh tokens, background jobs. Each use is a
// deliberate decision; keep them few and grep-able.
func SystemContext(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}
