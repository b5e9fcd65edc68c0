package telemetry_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/carequeue/carequeue/internal/telemetry"
)

func TestProvider(t *testing.T) {
	t.Parallel()
	t.Run("OffWithoutEndpoint", func(t *testing.T) {
		t.Parallel()
		p, err := telemetry.New(t.Context(), telemetry.Config{Version: "v1", Environment: "production"})
		require.NoError(t, err)
		require.False(t, p.Enabled())
		require.Nil(t, telemetry.Tracer(p, "x"), "adapters skip instrumentation when nothing is exported")
		require.Nil(t, telemetry.Tracer(nil, "x"))
		require.NoError(t, p.Shutdown(t.Context()))
	})
	t.Run("OnWithEndpoint", func(t *testing.T) {
		t.Parallel()
		p, err := telemetry.New(t.Context(), telemetry.Config{Endpoint: "http://127.0.0.1:1"})
		require.NoError(t, err)
		require.True(t, p.Enabled())
		require.NotNil(t, telemetry.Tracer(p, "x"))
		ctx, cancel := context.WithCancel(t.Context())
		cancel() // nothing was recorded; a shutdown that cannot reach the collector does not hang
		_ = p.Shutdown(ctx)
	})
}

func TestPropagation(t *testing.T) {
	t.Parallel()
	tp := sdktrace.NewTracerProvider()
	ctx, span := tp.Tracer("t").Start(t.Context(), "publish")
	defer span.End()
	for _, tc := range []struct {
		name, traceparent string
		ok                bool
	}{
		{"RoundTrip", telemetry.Inject(ctx), true},
		{"Empty", telemetry.Inject(t.Context()), false},
		{"Malformed", "00-zz-yy-01", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, ok := telemetry.Link(tc.traceparent)
			require.Equal(t, tc.ok, ok)
			if ok {
				require.Equal(t, span.SpanContext().TraceID(), l.SpanContext.TraceID())
				require.Equal(t, span.SpanContext().SpanID(), l.SpanContext.SpanID())
			}
		})
	}
}

func TestLogHandlerAddsTraceIDs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(telemetry.LogHandler(slog.NewTextHandler(&buf, nil))).With("request_id", "r1")
	log.InfoContext(t.Context(), "outside")
	require.NotContains(t, buf.String(), "trace_id")
	ctx, span := sdktrace.NewTracerProvider().Tracer("t").Start(t.Context(), "op")
	defer span.End()
	log.InfoContext(ctx, "inside")
	require.Contains(t, buf.String(), "trace_id="+span.SpanContext().TraceID().String())
	require.Contains(t, buf.String(), "span_id="+span.SpanContext().SpanID().String())
	require.Contains(t, buf.String(), "request_id=r1")
}
