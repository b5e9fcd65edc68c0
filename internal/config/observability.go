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

// Sentry is where the server reports its panics and INTERNAL errors; an empty DSN reports nothing.
type Sentry struct {
	// DSN is SENTRY_DSN (https://<public key>@<host>/<project id>). Its key only lets a sender submit
	// events, but it is still kept out of logs and error messages.
	DSN Secret
	// Environment is SENTRY_ENVIRONMENT, the environment of every event (default: APP_ENV).
	Environment string
	// Release is SENTRY_RELEASE, the release of every event; empty means the build version (cmd/carequeue).
	Release string
	// WebDSN is SENTRY_WEB_DSN, the DSN the web app reports its errors to. It is public (every browser
	// that loads the app reads it), so it is handed to the app at run time, not built in.
	WebDSN string
}

func (p parser) sentry(env Env) (Sentry, error) {
	s := Sentry{DSN: Secret(strings.TrimSpace(p.get("SENTRY_DSN"))), Environment: p.str("SENTRY_ENVIRONMENT", string(env)),
		Release: p.str("SENTRY_RELEASE", "")}
	s.WebDSN = strings.TrimSpace(p.get("SENTRY_WEB_DSN"))
	for _, v := range [][2]string{{"SENTRY_DSN", s.DSN.Reveal()}, {"SENTRY_WEB_DSN", s.WebDSN}} {
		if name, dsn := v[0], v[1]; dsn != "" && !isDSN(dsn) {
			// The value is not repeated: it is a credential.
			return s, errf(name, "is not a Sentry DSN (https://<public key>@<host>/<project id>, from the project's Client Keys page)")
		}
	}
	return s, nil
}

// isDSN reports whether dsn has a Sentry DSN's shape: http(s), a public key, a host and a project.
func isDSN(dsn string) bool {
	u, err := url.Parse(dsn)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User.Username() != "" &&
		strings.Trim(u.Path, "/") != ""
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
