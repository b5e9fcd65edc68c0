package redis

import (
	"context"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"
)

// Revocations carries "this user's sessions changed" between replicas on one Redis channel (the
// session.RevocationPublisher). It has its own subscription connection, apart from the queue events'
// Broker, so a burst of queue events never delays a revocation.
type Revocations struct {
	client  *goredis.Client
	channel string
	log     *slog.Logger
}

// NewRevocations returns the revocation channel prefix+"revoke" on client.
func NewRevocations(client *goredis.Client, prefix string, log *slog.Logger) *Revocations {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Revocations{client: client, channel: prefix + "revoke", log: log}
}

// PublishRevocation sends userID to every replica, this one included.
func (r *Revocations) PublishRevocation(ctx context.Context, userID string) error {
	return r.client.Publish(ctx, r.channel, userID).Err()
}

// Run delivers until ctx ends: every user id published to onUser, and onSync whenever the subscription
// was established or re-established (messages published meanwhile are lost: the receiver re-checks
// everyone). It returns nil when ctx ends.
func (r *Revocations) Run(ctx context.Context, onUser func(userID string), onSync func()) error {
	return receive(ctx, r.client.Subscribe(ctx, r.channel), r.log, "revocations", func(msg any) {
		switch m := msg.(type) {
		case *goredis.Subscription:
			if m.Kind == "subscribe" {
				onSync()
			}
		case *goredis.Message:
			if m.Payload != "" {
				onUser(m.Payload)
			}
		}
	})
}
