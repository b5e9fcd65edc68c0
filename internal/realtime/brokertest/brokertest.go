// Package brokertest is the conformance suite of realtime.Broker: every implementation (internal/inmem
// in one process, internal/redis between replicas) runs the same Run, so they keep one contract — a
// subscription is reported as a sync, an event reaches its queue's and its department's topics intact
// and in publish order, and only while they are subscribed, and Run ends with its context. Start and
// Deliveries serve the adapters' own tests too. Only tests import it.
package brokertest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/realtime"
)

// NewFunc returns a fresh broker that shares no topics or messages with any other it returned.
type NewFunc func(t *testing.T) realtime.Broker

// Delivery is one call of Run's callbacks: an event on a topic, or (Event nil) a sync of a topic.
type Delivery struct {
	Topic string
	Event *queue.Event
}

// Sync is the delivery reporting that topic's subscription was (re-)established.
func Sync(topic string) Delivery { return Delivery{Topic: topic} }

// EventOn is the delivery of e on topic.
func EventOn(topic string, e queue.Event) Delivery { return Delivery{Topic: topic, Event: &e} }

func (d Delivery) String() string {
	if d.Event == nil {
		return "sync " + d.Topic
	}
	return fmt.Sprintf("event %s %+v", d.Topic, *d.Event)
}

// Deliveries records what a running broker delivers.
type Deliveries struct{ ch chan Delivery }

// Timeout bounds every wait for a delivery.
const Timeout = 10 * time.Second

// Start runs b until the test ends, then checks that Run returned nil once its context ended.
func Start(t *testing.T, b realtime.Broker) *Deliveries {
	t.Helper()
	d := &Deliveries{ch: make(chan Delivery, 4096)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- b.Run(ctx,
			func(topic string, e queue.Event) { d.ch <- EventOn(topic, e) },
			func(topic string) { d.ch <- Sync(topic) })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			require.NoError(t, err, "Run returns nil when its context ends")
		case <-time.After(Timeout):
			t.Error("Run did not return after its context ended")
		}
	})
	return d
}

// Next returns the next delivery.
func (d *Deliveries) Next(t *testing.T) Delivery {
	t.Helper()
	select {
	case v := <-d.ch:
		return v
	case <-time.After(Timeout):
		t.Fatal("no delivery in time")
		return Delivery{}
	}
}

// Expect requires the next deliveries to be want, in any order.
func (d *Deliveries) Expect(t *testing.T, want ...Delivery) {
	t.Helper()
	got := make([]Delivery, len(want))
	for i := range want {
		got[i] = d.Next(t)
	}
	require.ElementsMatch(t, want, got)
}

// Subscribe subscribes b to topics and waits for their syncs.
func (d *Deliveries) Subscribe(t *testing.T, b realtime.Broker, topics ...string) {
	t.Helper()
	require.NoError(t, b.Subscribe(t.Context(), topics...))
	want := make([]Delivery, len(topics))
	for i, topic := range topics {
		want[i] = Sync(topic)
	}
	d.Expect(t, want...)
}

// NewEvent returns an event of a new queue and department, touching one ticket.
func NewEvent(version int) queue.Event {
	return queue.Event{QueueID: pulid.New("QU"), DepartmentID: pulid.New("DP"), Version: version,
		TicketIDs: []pulid.ID{pulid.New("TK")}}
}

// Topics are e's queue and department topics.
func Topics(e queue.Event) (queueTopic, departmentTopic string) {
	return realtime.QueueTopic(e.QueueID), realtime.DepartmentTopic(e.DepartmentID)
}

// Run runs the suite against brokers from newBroker, each subtest in parallel.
func Run(t *testing.T, newBroker NewFunc) {
	t.Helper()
	started := func(t *testing.T) (realtime.Broker, *Deliveries) {
		t.Helper()
		b := newBroker(t)
		return b, Start(t, b)
	}
	publish := func(t *testing.T, b realtime.Broker, events ...queue.Event) {
		t.Helper()
		for _, e := range events {
			require.NoError(t, b.Publish(t.Context(), e))
		}
	}

	t.Run("ReportsEachSubscriptionAsSync", func(t *testing.T) {
		t.Parallel()
		b, d := started(t)
		q, dep := Topics(NewEvent(1))
		d.Subscribe(t, b, q, dep)
	})

	t.Run("DeliversToQueueAndDepartmentTopicsIntact", func(t *testing.T) {
		t.Parallel()
		b, d := started(t)
		e := NewEvent(7)
		e.TicketIDs = append(e.TicketIDs, pulid.New("TK"))
		q, dep := Topics(e)
		d.Subscribe(t, b, q, dep)
		publish(t, b, e)
		d.Expect(t, EventOn(q, e), EventOn(dep, e))
	})

	t.Run("DeliversOnlySubscribedTopics", func(t *testing.T) {
		t.Parallel()
		b, d := started(t)
		unwatched, watched := NewEvent(1), NewEvent(1)
		_, dep := Topics(watched)
		d.Subscribe(t, b, dep)
		publish(t, b, unwatched, watched) // nobody listens to the first: not an error
		require.Equal(t, EventOn(dep, watched), d.Next(t), "only the subscribed department topic")
	})

	t.Run("StopsDeliveringAfterUnsubscribe", func(t *testing.T) {
		t.Parallel()
		b, d := started(t)
		e, marker := NewEvent(1), NewEvent(1)
		q, dep := Topics(e)
		markerQ, _ := Topics(marker)
		d.Subscribe(t, b, q, dep)
		require.NoError(t, b.Unsubscribe(t.Context(), q))
		// A subscription after the unsubscribe is confirmed after it: from then on q is off.
		d.Subscribe(t, b, markerQ)
		publish(t, b, e, marker)
		require.Equal(t, EventOn(dep, e), d.Next(t))
		require.Equal(t, EventOn(markerQ, marker), d.Next(t), "nothing on the unsubscribed topic")
	})

	t.Run("DeliversInPublishOrder", func(t *testing.T) {
		t.Parallel()
		b, d := started(t)
		e := NewEvent(0)
		q, _ := Topics(e)
		d.Subscribe(t, b, q)
		for v := 1; v <= 20; v++ {
			e.Version = v
			publish(t, b, e)
		}
		for v := 1; v <= 20; v++ {
			got := d.Next(t)
			require.Equal(t, q, got.Topic)
			require.NotNil(t, got.Event)
			require.Equal(t, v, got.Event.Version)
		}
	})

	t.Run("RunReturnsWhenContextEnds", func(t *testing.T) {
		t.Parallel()
		b := newBroker(t)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- b.Run(ctx, func(string, queue.Event) {}, func(string) {}) }()
		q, _ := Topics(NewEvent(1))
		require.NoError(t, b.Subscribe(t.Context(), q))
		cancel()
		select {
		case err := <-done:
			require.NoError(t, err)
		case <-time.After(Timeout):
			t.Fatal("Run did not return after its context ended")
		}
	})
}
