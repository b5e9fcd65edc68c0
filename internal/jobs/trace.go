package jobs

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/carequeue/carequeue/internal/telemetry"
)

// traceMetadataKey holds, in a job's metadata, the traceparent of the work that inserted it.
const traceMetadataKey = "traceparent"

// traceJobs is the River middleware that stamps each inserted job with its inserter's trace and gives
// each attempt a span named for the job's kind, linked to that trace: the notification a check-in
// caused is found from the check-in's trace. Args are never recorded (they hold ids only, but the rule
// is kept at one place: the kind, queue, attempt and job id say which job it was).
type traceJobs struct {
	river.MiddlewareDefaults
	tracer trace.Tracer
}

var (
	_ rivertype.JobInsertMiddleware = (*traceJobs)(nil)
	_ rivertype.WorkerMiddleware    = (*traceJobs)(nil)
)

func (t *traceJobs) InsertMany(ctx context.Context, many []*rivertype.JobInsertParams, doInner func(context.Context) ([]*rivertype.JobInsertResult, error)) ([]*rivertype.JobInsertResult, error) {
	if tp := telemetry.Inject(ctx); tp != "" {
		for _, p := range many {
			p.Metadata = withMetadata(p.Metadata, traceMetadataKey, tp)
		}
	}
	return doInner(ctx)
}

func (t *traceJobs) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(
		attribute.String("messaging.system", "river"),
		attribute.String("carequeue.job.kind", job.Kind),
		attribute.String("carequeue.job.queue", job.Queue),
		attribute.Int("carequeue.job.attempt", job.Attempt),
		attribute.String("carequeue.job.id", strconv.FormatInt(job.ID, 10)),
	)}
	var meta map[string]any
	if json.Unmarshal(job.Metadata, &meta) == nil {
		if tp, _ := meta[traceMetadataKey].(string); tp != "" {
			if l, ok := telemetry.Link(tp); ok {
				opts = append(opts, trace.WithLinks(l))
			}
		}
	}
	ctx, span := t.tracer.Start(ctx, "job "+job.Kind, opts...)
	defer span.End()
	err := doInner(ctx)
	if err != nil {
		span.SetStatus(codes.Error, "job attempt failed")
	}
	return err
}

// withMetadata sets key in a job's JSON metadata, keeping what is there; metadata that is not a JSON
// object is left as it is.
func withMetadata(metadata []byte, key, value string) []byte {
	m := map[string]any{}
	if len(metadata) > 0 && json.Unmarshal(metadata, &m) != nil {
		return metadata
	}
	m[key] = value
	out, err := json.Marshal(m)
	if err != nil {
		return metadata
	}
	return out
}
