package config

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
)

// Secret is a string that does not print: fmt, slog and encoding/json see "[redacted]" (or "" when
// unset). Call Reveal where the value is really needed.
type Secret string

const redacted = "[redacted]"

// Reveal returns the secret value.
func (s Secret) Reveal() string { return string(s) }

func (s Secret) mask() string {
	if s == "" {
		return ""
	}
	return redacted
}

// String implements fmt.Stringer.
func (s Secret) String() string { return s.mask() }

// GoString implements fmt.GoStringer, so %#v does not leak either.
func (s Secret) GoString() string { return fmt.Sprintf("config.Secret(%q)", s.mask()) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.mask()) }

// MarshalText implements encoding.TextMarshaler.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.mask()), nil }

// RedactURL returns u with any password (in the user info or a password= query parameter) replaced,
// for logs and error messages. A value that does not parse is masked after its scheme.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return redactRaw(raw)
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// redactRaw masks user info in a string that url.Parse rejected: everything between "//" and the last "@".
func redactRaw(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return s
	}
	start := strings.Index(s, "//")
	if start < 0 || start > at {
		start = -2
	}
	return s[:start+2] + "xxxxx" + s[at:]
}

// LogValue implements slog.LogValuer: the whole configuration with secrets hidden and passwords
// removed from URLs, for the start-up log line.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("env", string(c.Env)),
		slog.String("host", c.Host),
		slog.Int("port", c.Port),
		slog.String("public_url", c.PublicURL),
		slog.String("database", c.databaseDescription()),
		slog.String("redis_url", RedactURL(c.RedisURL.Reveal())),
		slog.Any("jwt_secret", c.JWTSecret),
		slog.Bool("jwt_secret_generated", c.JWTSecretGenerated),
		slog.String("jwt_issuer", c.JWTIssuer),
		slog.String("jwt_audience", c.JWTAudience),
		slog.Duration("access_token_ttl", c.AccessTokenTTL),
		slog.Duration("refresh_token_ttl", c.RefreshTokenTTL),
		slog.Duration("staff_idle_timeout", c.StaffIdleTimeout),
		slog.Duration("staff_session_lifetime", c.StaffSessionLifetime),
		slog.Duration("patient_idle_timeout", c.PatientIdleTimeout),
		slog.Duration("patient_session_lifetime", c.PatientSessionLifetime),
		slog.Duration("escalation_interval", c.EscalationInterval),
		slog.Any("allowed_origins", c.AllowedOrigins),
		slog.String("metrics_addr", c.MetricsAddr),
		slog.Any("metrics_token", c.MetricsToken),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("log_format", string(c.LogFormat)),
		slog.Bool("migrate_on_start", c.MigrateOnStart),
		slog.Int("login_rate_limit", c.LoginRateLimit),
		slog.Int("login_address_failure_limit", c.LoginAddressFailureLimit),
		slog.Int("graphql_max_depth", c.GraphQLMaxDepth),
		slog.Int("graphql_max_complexity", c.GraphQLMaxComplexity),
		slog.Int("graphql_max_page_size", c.GraphQLMaxPageSize),
		slog.Int("graphql_max_node_ids", c.GraphQLMaxNodeIDs),
		slog.Int64("graphql_max_response_bytes", c.GraphQLMaxResponseBytes),
		slog.Int64("max_body_bytes", c.MaxBodyBytes),
		slog.String("twilio_account_sid", c.Twilio.AccountSID),
		slog.Any("twilio_auth_token", c.Twilio.AuthToken),
		slog.String("twilio_from", c.Twilio.From),
		slog.String("twilio_api_url", c.Twilio.APIURL),
		slog.String("firebase_credentials_file", c.Firebase.CredentialsFile),
		slog.String("firebase_project_id", c.Firebase.ProjectID),
		slog.String("default_timezone", c.timezoneName()),
		slog.String("app_links_android_package", c.AppLinks.AndroidPackage),
		slog.Any("app_links_android_sha256", c.AppLinks.AndroidSHA256),
		slog.Any("app_links_ios_app_ids", c.AppLinks.IOSAppIDs),
	)
}

// Redacted renders the configuration as one line of key=value pairs, safe to print.
func (c Config) Redacted() string {
	var b strings.Builder
	for i, a := range c.LogValue().Group() {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%v", a.Key, a.Value.Resolve())
	}
	return b.String()
}

func (c Config) databaseDescription() string {
	if c.DatabaseURL != "" {
		return RedactURL(c.DatabaseURL.Reveal())
	}
	return "sqlite:" + c.SQLitePath
}

func (c Config) timezoneName() string {
	if c.DefaultTimezone == nil {
		return ""
	}
	return c.DefaultTimezone.String()
}
