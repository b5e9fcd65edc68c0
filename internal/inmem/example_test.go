package inmem_test

import (
	"context"
	"fmt"

	"github.com/carequeue/carequeue/internal/inmem"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/realtime"
)

// A replica subscribes to the topics its watchers need; Run reports each subscription as a sync (the
// watcher re-reads, since events before it were not seen) and then delivers every event published to
// the queue's topic and to its department's.
func ExampleBroker() {
	b := inmem.NewBroker(16)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	lab := queue.Event{QueueID: "QU_LAB", DepartmentID: "DE_ED", Version: 7}

	_ = b.Subscribe(ctx, realtime.QueueTopic(lab.QueueID))
	_ = b.Publish(ctx, lab)
	_ = b.Publish(ctx, queue.Event{QueueID: "QU_XRAY", DepartmentID: "DE_ED", Version: 3}) // nobody listens

	seen := 0
	_ = b.Run(ctx,
		func(topic string, e queue.Event) {
			fmt.Printf("event %s: queue %s is at version %d\n", topic, e.QueueID, e.Version)
			if seen++; seen == 1 {
				stop()
			}
		},
		func(topic string) { fmt.Printf("sync %s: re-read it\n", topic) })
	// Output:
	// sync q:QU_LAB: re-read it
	// event q:QU_LAB: queue QU_LAB is at version 7
}
