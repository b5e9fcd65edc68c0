package realtime_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/carequeue/carequeue/internal/inmem"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/realtime"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// TestLateEventStillLinksItsDelivery: a change the version check delivered before its event arrived
// (the event slow on its way through the broker) still shows, in the commit's trace, that it reached
// the watchers: a "realtime deliver" span linked to the commit, marked as read earlier. Without it the
// event was dropped as already read and the trace ended at the publish (seen as a flake of
// TestTracesReachTheCollector on a loaded machine).
func TestLateEventStillLinksItsDelivery(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			h := newHospital(t, d, 2)
			spans := tracetest.NewSpanRecorder()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
			defer func() { _ = tp.Shutdown(context.Background()) }()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			broker := inmem.NewBroker(64)
			live := newReplicaWith(t, ctx, h.db, broker, realtime.Options{ResyncEvery: 30 * time.Millisecond, Tracer: tp}).live

			watch, stop := context.WithCancel(h.clinician)
			defer stop()
			ch, err := live.QueueChanged(watch, h.q.ID)
			require.NoError(t, err)
			first := await(t, ch, func(*queue.Snapshot) bool { return true })

			// The commit publishes nothing: only the version check can deliver it.
			silent := queue.NewService(h.db, queue.Options{})
			_, err = silent.CallNext(h.clinician, queue.NoKey, h.q.ID, h.room.ID)
			require.NoError(t, err)
			got := await(t, ch, func(s *queue.Snapshot) bool { return s.Version > first.Version })

			// Its event arrives now, carrying the commit's trace.
			commit, span := tp.Tracer("test").Start(context.Background(), "commit")
			span.End()
			realtime.Publisher{Broker: broker}.Publish(commit, queue.Event{QueueID: h.q.ID, DepartmentID: h.q.DepartmentID, Version: got.Version})

			want := span.SpanContext().TraceID()
			require.Eventually(t, func() bool {
				for _, s := range spans.Ended() {
					if s.Name() != "realtime deliver" {
						continue
					}
					for _, l := range s.Links() {
						if l.SpanContext.TraceID() == want {
							attrs := attribute.NewSet(s.Attributes()...)
							earlier, _ := attrs.Value("carequeue.topic.read_earlier")
							watchers, _ := attrs.Value("carequeue.topic.watchers")
							return earlier.AsBool() && watchers.AsInt64() == 1
						}
					}
				}
				return false
			}, 10*time.Second, 10*time.Millisecond, "no delivery span linked to the late event's commit")
			select {
			case s := <-ch:
				t.Fatalf("the late event sent version %d again", s.Version)
			case <-time.After(100 * time.Millisecond):
			}
		})
	}
}
