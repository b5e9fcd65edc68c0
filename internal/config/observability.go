package config

import (
	"net/url"
	"strings"
)

// Tracing is where OpenTelemetry traces go (OTLP over HTTP); both empty: no tracing, at no cost.
type Tracing struct {
	// Endpoint is OTEL_EXPORTER_OTLP_ENDPOINT, the collector's base URL (traces go to its /v1/traces).
	Endpoint string
	// TracesEndpoint is OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, the full URL for traces; it wins.
	TracesEndpoint string
}

func (p parser) tracing() (Tracing, error) {
	var t Tracing
	var err error
	if t.Endpoint, err = p.optionalURL("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4318"); err != nil {
		return t, err
	}
	if t.TracesEndpoint, err = p.optionalURL("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://otel-collector:4318/v1/traces"); err != nil {
		return t, err
	}
	return t, nil
}

// optionalURL parses an absolute http(s) URL, or nothing.
func (p parser) optionalURL(name, example string) (string, error) {
	v := strings.TrimSpace(p.get(name))
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err == nil && u.User != nil {
		// Collector credentials go in OTEL_EXPORTER_OTLP_HEADERS; the value is not repeated.
		return "", errf(name, "must not carry credentials (set them in OTEL_EXPORTER_OTLP_HEADERS)")
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errf(name, "%q is not an absolute http(s) URL (e.g. %s)", v, example)
	}
	return v, nil
}
