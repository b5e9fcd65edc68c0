package redis

import (
	"context"
	"errors"
	"net"
	"strings"

	goredis "github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/carequeue/carequeue/internal/telemetry"
)

// Trace makes client's commands spans, named for the command ("redis publish") and never carrying
// keys or arguments (keys hold ids and addresses, published payloads hold ids). Only commands inside a
// trace get a span: the socket counters' and revocations' background refreshes would otherwise each
// start a trace of their own. A provider that exports nothing leaves client untouched.
func Trace(client *goredis.Client, tp trace.TracerProvider) {
	if t := telemetry.Tracer(tp, "github.com/carequeue/carequeue/internal/redis"); t != nil {
		client.AddHook(traceHook{tracer: t})
	}
}

type traceHook struct{ tracer trace.Tracer }

var _ goredis.Hook = traceHook{}

func (traceHook) DialHook(next goredis.DialHook) goredis.DialHook { return next }

func (h traceHook) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error {
		if !trace.SpanContextFromContext(ctx).IsValid() {
			return next(ctx, cmd)
		}
		ctx, span := h.start(ctx, cmd.Name(), 1)
		err := next(ctx, cmd)
		end(span, err)
		return err
	}
}

func (h traceHook) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error {
		if !trace.SpanContextFromContext(ctx).IsValid() {
			return next(ctx, cmds)
		}
		names := make([]string, 0, len(cmds))
		for _, c := range cmds {
			if n := c.Name(); len(names) == 0 || names[len(names)-1] != n {
				names = append(names, n)
			}
		}
		ctx, span := h.start(ctx, strings.Join(names, ","), len(cmds))
		err := next(ctx, cmds)
		end(span, err)
		return err
	}
}

func (h traceHook) start(ctx context.Context, op string, n int) (context.Context, trace.Span) {
	attrs := []attribute.KeyValue{attribute.String("db.system.name", "redis"), attribute.String("db.operation.name", op)}
	if n > 1 {
		attrs = append(attrs, attribute.Int("db.operation.batch.size", n))
	}
	return h.tracer.Start(ctx, "redis "+op, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
}

func end(span trace.Span, err error) {
	if err != nil && !errors.Is(err, goredis.Nil) {
		var ne net.Error
		msg := "command failed"
		if errors.As(err, &ne) {
			msg = "network error"
		}
		span.SetStatus(codes.Error, msg)
	}
	span.End()
}
