package redis

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/realtime"
)

// Broker is the realtime.Broker shared by replicas through Redis pub/sub. Each replica holds one
// subscription connection for all its topics; Redis pub/sub is at-most-once, so every (re)established
// subscription is reported to the replica, which then re-reads the topic's state.
type Broker struct {
	client *goredis.Client
	prefix string
	ps     *goredis.PubSub
	log    *slog.Logger
}

var _ realtime.Broker = (*Broker)(nil)

// NewBroker returns a broker on client; prefix namespaces its channels ("cq:rt:").
func NewBroker(client *goredis.Client, prefix string, log *slog.Logger) *Broker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// A PubSub without channels opens its connection at the first Subscribe.
	return &Broker{client: client, prefix: prefix, ps: client.Subscribe(context.Background()), log: log}
}

// Publish implements realtime.Broker: one PUBLISH per topic, pipelined.
func (b *Broker) Publish(ctx context.Context, e queue.Event) error {
	payload, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = b.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		p.Publish(ctx, b.prefix+realtime.QueueTopic(e.QueueID), payload)
		p.Publish(ctx, b.prefix+realtime.DepartmentTopic(e.DepartmentID), payload)
		return nil
	})
	return err
}

func (b *Broker) channels(topics []string) []string {
	out := make([]string, len(topics))
	for i, t := range topics {
		out[i] = b.prefix + t
	}
	return out
}

// Subscribe implements realtime.Broker.
func (b *Broker) Subscribe(ctx context.Context, topics ...string) error {
	return b.ps.Subscribe(ctx, b.channels(topics)...)
}

// Unsubscribe implements realtime.Broker.
func (b *Broker) Unsubscribe(ctx context.Context, topics ...string) error {
	return b.ps.Unsubscribe(ctx, b.channels(topics)...)
}

// Run implements realtime.Broker. go-redis reconnects a broken subscription connection and
// resubscribes its channels; Redis confirms each channel again, and each confirmation is reported as
// a sync, since messages published while the connection was down are lost.
func (b *Broker) Run(ctx context.Context, onEvent func(string, queue.Event), onSync func(string)) error {
	return receive(ctx, b.ps, b.log, "queue", func(msg any) {
		switch m := msg.(type) {
		case *goredis.Subscription:
			if m.Kind == "subscribe" {
				onSync(strings.TrimPrefix(m.Channel, b.prefix))
			}
		case *goredis.Message:
			var e queue.Event
			if err := json.Unmarshal([]byte(m.Payload), &e); err != nil {
				b.log.Warn("ignoring malformed queue event", "channel", m.Channel, "err", err)
				return
			}
			onEvent(strings.TrimPrefix(m.Channel, b.prefix), e)
		}
	})
}

// receive hands every message and subscription confirmation of ps to handle until ctx ends (then it
// returns nil) or ps is closed. what names the subscription in logs.
func receive(ctx context.Context, ps *goredis.PubSub, log *slog.Logger, what string, handle func(msg any)) error {
	// Closing the subscription is what interrupts a blocked Receive when ctx ends.
	stop := context.AfterFunc(ctx, func() { _ = ps.Close() })
	defer stop()
	defer ps.Close()
	const idle = 30 * time.Second
	backoff := 50 * time.Millisecond
	for {
		msg, err := ps.ReceiveTimeout(ctx, idle)
		var ne net.Error
		if ctx.Err() != nil {
			return nil
		}
		if errors.As(err, &ne) && ne.Timeout() {
			// Quiet for a while: ping, so that a silently dead connection fails and is replaced.
			if err := ps.Ping(ctx); err != nil && ctx.Err() == nil {
				log.Warn("redis subscription ping failed", "subscription", what, "err", err)
			}
			continue
		}
		if err != nil {
			if errors.Is(err, goredis.ErrClosed) {
				return err
			}
			log.Warn("redis subscription interrupted; reconnecting", "subscription", what, "err", err)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 2*time.Second)
			continue
		}
		backoff = 50 * time.Millisecond
		handle(msg)
	}
}
