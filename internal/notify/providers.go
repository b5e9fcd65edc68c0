package notify

import (
	"context"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// Providers says which channels really leave the server (GraphQL MessagingStatus): a channel without a
// provider goes to the LogSender, and its messages are recorded LOGGED. Admins see it at a glance
// rather than learning it from a patient who never got a text.
type Providers struct {
	SMSConfigured  bool
	PushConfigured bool
}

// Status returns p to an admin; anyone else is FORBIDDEN (it describes the deployment), and a caller
// not signed in UNAUTHENTICATED.
func (p Providers) Status(ctx context.Context) (*Providers, error) {
	if v, ok := auth.FromContext(ctx); !ok {
		return nil, cqerr.E(cqerr.Unauthenticated, "sign in required")
	} else if v.Role != auth.RoleAdmin {
		return nil, cqerr.E(cqerr.Forbidden, "only admins see how messages are sent")
	}
	return &p, nil
}
