package inmem

import (
	"context"
	"sync"

	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/realtime"
)

// Broker is the in-process realtime.Broker of a single replica.
type Broker struct {
	mu     sync.Mutex
	topics map[string]bool
	// msgs is bounded: when it is full an event is dropped, and the watchers' version-gap check and
	// periodic version check recover, exactly as with a lossy network broker.
	msgs chan message
}

type message struct {
	topic string
	event *queue.Event // nil: the topic was (re)subscribed
}

var _ realtime.Broker = (*Broker)(nil)

// NewBroker returns a broker holding up to buffer undelivered messages.
func NewBroker(buffer int) *Broker {
	return &Broker{topics: map[string]bool{}, msgs: make(chan message, buffer)}
}

func (b *Broker) send(m message) {
	select {
	case b.msgs <- m:
	default:
	}
}

// Publish implements realtime.Broker.
func (b *Broker) Publish(_ context.Context, e queue.Event) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, t := range []string{realtime.QueueTopic(e.QueueID), realtime.DepartmentTopic(e.DepartmentID)} {
		if b.topics[t] {
			b.send(message{topic: t, event: &e})
		}
	}
	return nil
}

// Subscribe implements realtime.Broker.
func (b *Broker) Subscribe(_ context.Context, topics ...string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, t := range topics {
		b.topics[t] = true
		b.send(message{topic: t})
	}
	return nil
}

// Unsubscribe implements realtime.Broker.
func (b *Broker) Unsubscribe(_ context.Context, topics ...string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, t := range topics {
		delete(b.topics, t)
	}
	return nil
}

// Run implements realtime.Broker.
func (b *Broker) Run(ctx context.Context, onEvent func(string, queue.Event), onSync func(string)) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case m := <-b.msgs:
			if m.event == nil {
				onSync(m.topic)
			} else {
				onEvent(m.topic, *m.event)
			}
		}
	}
}
