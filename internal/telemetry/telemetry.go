// Package telemetry owns CareQueue's traces: the OpenTelemetry tracer provider (an OTLP/HTTP exporter
// when an endpoint is configured, a no-op provider costing nothing otherwise), the one propagation
// format used between processes, through Redis pub/sub messages and in job metadata (W3C Trace
// Context), and the slog handler that stamps log records with the trace and span they belong to.
//
// Spans carry routes, operation and job kinds, statement shapes and ids of records, never patient data:
// each adapter (internal/server, internal/store, internal/redis, internal/jobs, internal/realtime)
// chooses its attributes with that rule.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// ServiceName is the service.name of every span.
const ServiceName = "carequeue"

// Config says where traces go. Both endpoints empty means no tracing.
type Config struct {
	// Endpoint is OTEL_EXPORTER_OTLP_ENDPOINT, the collector's base URL ("http://otel-collector:4318");
	// traces are posted to its /v1/traces.
	Endpoint string
	// TracesEndpoint is OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, the full URL for traces; it wins.
	TracesEndpoint string
	// Version and Environment become service.version and deployment.environment.name.
	Version, Environment string
}

// Enabled reports whether traces are exported.
func (c Config) Enabled() bool { return c.Endpoint != "" || c.TracesEndpoint != "" }

// tracesURL is where the exporter posts, as the OTLP specification derives it from the two variables.
func (c Config) tracesURL() string {
	if c.TracesEndpoint != "" {
		return c.TracesEndpoint
	}
	return strings.TrimSuffix(c.Endpoint, "/") + "/v1/traces"
}

// Provider is the process's tracer provider.
type Provider struct {
	trace.TracerProvider
	sdk *sdktrace.TracerProvider // nil when tracing is off
}

// New returns the tracer provider for cfg: a no-op one when cfg is not Enabled, otherwise one that
// batches spans to the OTLP/HTTP endpoint. The exporter's other settings (OTEL_EXPORTER_OTLP_HEADERS,
// _TIMEOUT, _COMPRESSION, _CERTIFICATE) and the sampler (OTEL_TRACES_SAMPLER, _ARG) are read by the
// OpenTelemetry SDK itself from the process environment.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	if !cfg.Enabled() {
		return &Provider{TracerProvider: noop.NewTracerProvider()}, nil
	}
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(cfg.tracesURL()))
	if err != nil {
		return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_ENDPOINT: %w", err)
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		attribute.String("service.name", ServiceName),
		attribute.String("service.version", cfg.Version),
		attribute.String("deployment.environment.name", cfg.Environment),
	))
	if err != nil {
		return nil, fmt.Errorf("tracing resource: %w", err)
	}
	sdk := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	return &Provider{TracerProvider: sdk, sdk: sdk}, nil
}

// Enabled reports whether spans are recorded and exported; adapters given a disabled provider skip
// their instrumentation altogether.
func (p *Provider) Enabled() bool { return p != nil && p.sdk != nil }

// Shutdown exports the spans still buffered, within ctx. Without tracing it does nothing.
func (p *Provider) Shutdown(ctx context.Context) error {
	if !p.Enabled() {
		return nil
	}
	if err := p.sdk.Shutdown(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("flushing traces: %w", err)
	}
	return nil
}

// Propagator is the W3C Trace Context format: traceparent and tracestate headers over HTTP, and the
// same fields in pub/sub messages and job metadata.
var Propagator propagation.TextMapPropagator = propagation.TraceContext{}

// Inject returns ctx's span context as a traceparent value, or "" when ctx has no span.
func Inject(ctx context.Context) string {
	c := propagation.MapCarrier{}
	Propagator.Inject(ctx, c)
	return c["traceparent"]
}

// Link returns a link to the span a traceparent value (Inject) names; ok is false for an empty or
// malformed value, which is ignored.
func Link(traceparent string) (trace.Link, bool) {
	if traceparent == "" {
		return trace.Link{}, false
	}
	ctx := Propagator.Extract(context.Background(), propagation.MapCarrier{"traceparent": traceparent})
	sc := trace.SpanContextFromContext(ctx)
	return trace.Link{SpanContext: sc}, sc.IsValid()
}

// Tracer returns the named tracer of tp, or nil when tp is nil or exports nothing: callers test for
// nil and skip instrumentation, so tracing off costs one comparison.
func Tracer(tp trace.TracerProvider, name string) trace.Tracer {
	if tp == nil {
		return nil
	}
	if p, ok := tp.(*Provider); ok && !p.Enabled() {
		return nil
	}
	if _, ok := tp.(noop.TracerProvider); ok {
		return nil
	}
	return tp.Tracer(name)
}
