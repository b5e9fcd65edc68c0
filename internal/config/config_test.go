package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// env turns a map into an injected getenv.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

const goodSecret = "0123456789abcdef0123456789abcdef-long-enough"

// Two SHA-256 certificate fingerprints in keytool's form (an upload key and the Play app signing key).
const (
	fingerprintA = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5"
	fingerprintB = "FA:C6:17:45:DC:09:03:78:6F:B9:ED:E6:2A:96:2B:39:9F:73:48:F0:BB:6F:89:9B:83:32:66:75:91:03:3B:9C"
)

func TestLoad(t *testing.T) {
	t.Parallel()

	t.Run("DefaultsToProductionAndRequiresSecret", func(t *testing.T) {
		t.Parallel()
		_, err := Load(env(nil), "")
		require.EqualError(t, err, "JWT_SECRET: required in production (at least 32 random bytes, e.g. `openssl rand -base64 48`; or set APP_ENV=development)")
		var cerr *Error
		require.ErrorAs(t, err, &cerr)
		require.Equal(t, "JWT_SECRET", cerr.Var)
	})

	t.Run("AppliesProductionDefaults", func(t *testing.T) {
		t.Parallel()
		c, err := Load(env(map[string]string{"JWT_SECRET": goodSecret}), "")
		require.NoError(t, err)
		require.Equal(t, Production, c.Env)
		require.Equal(t, 8080, c.Port)
		require.Equal(t, "0.0.0.0", c.Host)
		require.Equal(t, "http://localhost:8080", c.PublicURL)
		require.Empty(t, c.DatabaseURL)
		require.Equal(t, "carequeue.db", c.SQLitePath)
		require.Empty(t, c.RedisURL)
		require.Equal(t, goodSecret, c.JWTSecret.Reveal())
		require.False(t, c.JWTSecretGenerated)
		require.Equal(t, "carequeue", c.JWTIssuer)
		require.Equal(t, "carequeue-api", c.JWTAudience)
		require.Equal(t, 15*time.Minute, c.AccessTokenTTL)
		require.Equal(t, 720*time.Hour, c.RefreshTokenTTL)
		require.Equal(t, 15*time.Minute, c.StaffIdleTimeout)
		require.Equal(t, 12*time.Hour, c.StaffSessionLifetime)
		require.Equal(t, 14*24*time.Hour, c.PatientIdleTimeout)
		require.Equal(t, 90*24*time.Hour, c.PatientSessionLifetime)
		require.Equal(t, time.Minute, c.EscalationInterval)
		require.Equal(t, []string{"http://localhost:8080"}, c.AllowedOrigins)
		require.Equal(t, slog.LevelInfo, c.LogLevel)
		require.Equal(t, LogJSON, c.LogFormat)
		require.False(t, c.MigrateOnStart)
		require.Equal(t, 5, c.LoginRateLimit)
		require.Equal(t, 12, c.GraphQLMaxDepth)
		require.Equal(t, 10000, c.GraphQLMaxComplexity)
		require.Equal(t, 100, c.GraphQLMaxPageSize)
		require.Equal(t, 100, c.GraphQLMaxNodeIDs)
		require.Equal(t, int64(4<<20), c.GraphQLMaxResponseBytes)
		require.Equal(t, int64(1<<20), c.MaxBodyBytes)
		require.Equal(t, time.Minute, c.WSSocketTTL)
		require.Zero(t, c.MaxConnections, "derived from the descriptor limit by the caller")
		require.Equal(t, 25*time.Second, c.ShutdownTimeout)
		require.Equal(t, 5*time.Second, c.ShutdownDrainDelay, "load balancers get time to notice")
		require.Equal(t, "UTC", c.DefaultTimezone.String())
		require.Equal(t, "https://api.twilio.com", c.Twilio.APIURL)
		require.Equal(t, AppLinks{AndroidPackage: "org.carequeue.patient"}, c.AppLinks)
		require.Equal(t, Sentry{Environment: "production"}, c.Sentry, "no reports; events say APP_ENV")
		require.Equal(t, []string{"PUBLIC_URL is not set: links in messages and the app-link files use http://localhost:8080; set it to the address patients' phones open"}, c.Warnings)
	})

	t.Run("ProductionSMSNeedsPublicURL", func(t *testing.T) {
		t.Parallel()
		twilio := map[string]string{"JWT_SECRET": goodSecret, "TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef", "TWILIO_AUTH_TOKEN": "t", "TWILIO_FROM": "+15005550006"}
		_, err := Load(env(twilio), "")
		require.ErrorContains(t, err, "PUBLIC_URL: required in production when SMS is configured")
		twilio["PUBLIC_URL"] = "https://queue.example-hospital.org"
		c, err := Load(env(twilio), "")
		require.NoError(t, err)
		require.Empty(t, c.Warnings)
		delete(twilio, "PUBLIC_URL")
		twilio["APP_ENV"] = "development"
		_, err = Load(env(twilio), "")
		require.NoError(t, err, "outside production localhost links are fine")
	})

	t.Run("TwilioAPIURLMayBePlainHTTPOutsideProduction", func(t *testing.T) {
		t.Parallel()
		for _, env := range []string{"development", "test"} {
			c, err := Load(func(k string) string {
				return map[string]string{"APP_ENV": env, "TWILIO_API_URL": "http://127.0.0.1:4010"}[k]
			}, "")
			require.NoError(t, err, env)
			require.Equal(t, "http://127.0.0.1:4010", c.Twilio.APIURL, env)
		}
	})

	t.Run("WarnsWhenAccessOutlivesStaffIdle", func(t *testing.T) {
		t.Parallel()
		c, err := Load(env(map[string]string{"JWT_SECRET": goodSecret, "ACCESS_TOKEN_TTL": "30m", "PUBLIC_URL": "https://q.example.org"}), "")
		require.NoError(t, err)
		require.Len(t, c.Warnings, 1)
		require.Contains(t, c.Warnings[0], "STAFF_IDLE_TIMEOUT")
	})

	t.Run("GeneratesSecretInDevelopmentWithWarning", func(t *testing.T) {
		t.Parallel()
		c, err := Load(env(map[string]string{"APP_ENV": "development"}), "")
		require.NoError(t, err)
		require.True(t, c.JWTSecretGenerated)
		require.GreaterOrEqual(t, len(c.JWTSecret.Reveal()), 32)
		require.Len(t, c.Warnings, 1)
		require.Contains(t, c.Warnings[0], "JWT_SECRET")
		require.Equal(t, LogText, c.LogFormat)
	})

	t.Run("ReadsEveryVariable", func(t *testing.T) {
		t.Parallel()
		c, err := Load(env(map[string]string{
			"APP_ENV": "test", "PORT": "9090", "HOST": "127.0.0.1", "PUBLIC_URL": "https://q.example.org/",
			"DATABASE_URL": "postgres://cq:pw@db:5432/cq?sslmode=disable", "REDIS_URL": "redis://:pw@r:6379/0",
			"JWT_SECRET": goodSecret, "JWT_ISSUER": "iss", "JWT_AUDIENCE": "aud",
			"ACCESS_TOKEN_TTL": "5m", "REFRESH_TOKEN_TTL": "24h",
			"STAFF_IDLE_TIMEOUT": "10m", "STAFF_SESSION_LIFETIME": "8h", "PATIENT_IDLE_TIMEOUT": "72h", "PATIENT_SESSION_LIFETIME": "720h",
			"ALLOWED_ORIGINS": "https://a.example.org, http://localhost:5173", "LOG_LEVEL": "debug", "LOG_FORMAT": "json",
			"MIGRATE_ON_START": "true", "LOGIN_RATE_LIMIT": "10", "GRAPHQL_MAX_DEPTH": "8",
			"GRAPHQL_MAX_COMPLEXITY": "500", "MAX_BODY_BYTES": "2MiB",
			"GRAPHQL_MAX_PAGE_SIZE": "50", "GRAPHQL_MAX_NODE_IDS": "20", "GRAPHQL_MAX_RESPONSE_BYTES": "512KiB",
			"WS_MAX_SOCKETS_PER_USER": "5", "WS_MAX_SOCKETS_PER_ADDRESS": "300", "WS_SOCKET_TTL": "90s", "REQUEST_TIMEOUT": "4s",
			"MAX_CONNECTIONS": "5000", "SHUTDOWN_TIMEOUT": "40s", "SHUTDOWN_DRAIN_DELAY": "10s", "ESCALATION_INTERVAL": "15s",
			"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "tok", "TWILIO_FROM": "+15550100", "TWILIO_API_URL": "https://api.dublin.ie1.twilio.com/",
			"FIREBASE_CREDENTIALS_FILE": "/run/fb.json", "FIREBASE_PROJECT_ID": "cq", "DEFAULT_TIMEZONE": "Europe/Berlin",
			"APP_LINKS_ANDROID_PACKAGE": "org.example.queue", "APP_LINKS_ANDROID_SHA256": fingerprintA,
			"APP_LINKS_IOS_APP_IDS": "ABCDE12345.org.example.queue", "SENTRY_ENVIRONMENT": "staging", "SENTRY_RELEASE": "carequeue@2.1.0",
			"SENTRY_DSN": "https://k3y@o1.ingest.sentry.example.org/42", "SENTRY_WEB_DSN": "https://w3b@o1.ingest.sentry.example.org/43",
		}), "")
		require.NoError(t, err)
		require.Equal(t, Test, c.Env)
		require.Equal(t, 9090, c.Port)
		require.Equal(t, "127.0.0.1", c.Host)
		require.Equal(t, "https://q.example.org", c.PublicURL)
		require.Equal(t, "postgres://cq:pw@db:5432/cq?sslmode=disable", c.DatabaseURL.Reveal())
		require.Equal(t, "redis://:pw@r:6379/0", c.RedisURL.Reveal())
		require.Equal(t, "iss", c.JWTIssuer)
		require.Equal(t, "aud", c.JWTAudience)
		require.Equal(t, 5*time.Minute, c.AccessTokenTTL)
		require.Equal(t, 24*time.Hour, c.RefreshTokenTTL)
		require.Equal(t, 10*time.Minute, c.StaffIdleTimeout)
		require.Equal(t, 8*time.Hour, c.StaffSessionLifetime)
		require.Equal(t, 72*time.Hour, c.PatientIdleTimeout)
		require.Equal(t, 720*time.Hour, c.PatientSessionLifetime)
		require.Equal(t, 15*time.Second, c.EscalationInterval)
		require.Equal(t, []string{"https://a.example.org", "http://localhost:5173"}, c.AllowedOrigins)
		require.Equal(t, slog.LevelDebug, c.LogLevel)
		require.Equal(t, LogJSON, c.LogFormat)
		require.True(t, c.MigrateOnStart)
		require.Equal(t, 10, c.LoginRateLimit)
		require.Equal(t, 5, c.WSMaxPerUser)
		require.Equal(t, 300, c.WSMaxPerAddress)
		require.Equal(t, 90*time.Second, c.WSSocketTTL)
		require.Equal(t, 4*time.Second, c.RequestTimeout)
		require.Equal(t, 5000, c.MaxConnections)
		require.Equal(t, 40*time.Second, c.ShutdownTimeout)
		require.Equal(t, 10*time.Second, c.ShutdownDrainDelay)
		require.Equal(t, 8, c.GraphQLMaxDepth)
		require.Equal(t, 500, c.GraphQLMaxComplexity)
		require.Equal(t, 50, c.GraphQLMaxPageSize)
		require.Equal(t, 20, c.GraphQLMaxNodeIDs)
		require.Equal(t, int64(512<<10), c.GraphQLMaxResponseBytes)
		require.Equal(t, int64(2<<20), c.MaxBodyBytes)
		require.Equal(t, Twilio{AccountSID: "AC1", AuthToken: "tok", From: "+15550100", APIURL: "https://api.dublin.ie1.twilio.com"}, c.Twilio)
		require.Equal(t, Firebase{CredentialsFile: "/run/fb.json", ProjectID: "cq"}, c.Firebase)
		require.Equal(t, "Europe/Berlin", c.DefaultTimezone.String())
		require.Equal(t, AppLinks{AndroidPackage: "org.example.queue", AndroidSHA256: []string{fingerprintA},
			IOSAppIDs: []string{"ABCDE12345.org.example.queue"}}, c.AppLinks)
		require.Equal(t, Sentry{DSN: "https://k3y@o1.ingest.sentry.example.org/42", Environment: "staging", Release: "carequeue@2.1.0",
			WebDSN: "https://w3b@o1.ingest.sentry.example.org/43"}, c.Sentry)
	})

	t.Run("NormalisesSQLiteURLsToPath", func(t *testing.T) {
		t.Parallel()
		for in, want := range map[string]string{
			"sqlite:///var/lib/cq.db": "/var/lib/cq.db",
			"sqlite://data/cq.db":     "data/cq.db",
			"sqlite:cq.db":            "cq.db",
			"file:/tmp/x.db":          "/tmp/x.db",
		} {
			c, err := Load(env(map[string]string{"APP_ENV": "test", "DATABASE_URL": in}), "")
			require.NoError(t, err, in)
			require.Empty(t, c.DatabaseURL, in)
			require.Equal(t, want, c.SQLitePath, in)
		}
	})

	t.Run("DotenvFillsOnlyUnsetVariables", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), ".env")
		require.NoError(t, os.WriteFile(path, []byte("APP_ENV=development\nPORT=7000\nHOST=10.0.0.1\n# comment\n"), 0o600))
		c, err := Load(env(map[string]string{"PORT": "7001"}), path)
		require.NoError(t, err)
		require.Equal(t, Development, c.Env)
		require.Equal(t, 7001, c.Port)
		require.Equal(t, "10.0.0.1", c.Host)
	})

	t.Run("MissingDotenvIsFine", func(t *testing.T) {
		t.Parallel()
		_, err := Load(env(map[string]string{"APP_ENV": "test"}), filepath.Join(t.TempDir(), "absent.env"))
		require.NoError(t, err)
	})

	t.Run("EnvExampleIsValid", func(t *testing.T) {
		t.Parallel()
		c, err := Load(env(nil), filepath.Join("..", "..", ".env.example"))
		require.NoError(t, err)
		require.Equal(t, Development, c.Env)
		require.Equal(t, []string{"http://localhost:8080", "http://localhost:5173"}, c.AllowedOrigins)
	})

	// .env.example is what operators copy: it must show the defaults (a stale GRAPHQL_MAX_COMPLEXITY=1000
	// there once cut the limit to a tenth) but for the two lines it changes on purpose.
	t.Run("EnvExampleShowsTheDefaults", func(t *testing.T) {
		t.Parallel()
		example, err := Load(env(nil), filepath.Join("..", "..", ".env.example"))
		require.NoError(t, err)
		defaults, err := Load(env(map[string]string{"APP_ENV": "development"}), "")
		require.NoError(t, err)
		defaults.AllowedOrigins = example.AllowedOrigins // adds the Vite dev server
		defaults.MigrateOnStart = example.MigrateOnStart // a new checkout migrates itself
		defaults.JWTSecret = example.JWTSecret           // random in both: JWT_SECRET is empty there
		require.Equal(t, defaults, example)
	})

	// Every variable Load reads is documented where operators look: .env.example and the README.
	t.Run("EveryVariableIsDocumented", func(t *testing.T) {
		t.Parallel()
		read := map[string]bool{}
		_, err := Load(func(k string) string {
			read[k] = true
			return map[string]string{"APP_ENV": "development"}[k]
		}, "")
		require.NoError(t, err)
		example, err := os.ReadFile(filepath.Join("..", "..", ".env.example"))
		require.NoError(t, err)
		readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
		require.NoError(t, err)
		var missing []string
		for k := range read {
			if !regexp.MustCompile(`(?m)^#? ?` + k + `=`).Match(example) {
				missing = append(missing, k+" (.env.example)")
			}
			if !bytes.Contains(readme, []byte("`"+k+"`")) {
				missing = append(missing, k+" (README)")
			}
		}
		sort.Strings(missing)
		require.Empty(t, missing, "variables Load reads that are not documented")
	})

	t.Run("UnreadableDotenvFails", func(t *testing.T) {
		t.Parallel()
		_, err := Load(env(nil), t.TempDir()) // a directory
		require.ErrorContains(t, err, "reading ")
	})
}

func TestLoadRejectsBadValues(t *testing.T) {
	t.Parallel()
	prod := map[string]string{"JWT_SECRET": goodSecret}
	badFingerprint := func(v string) string {
		return `APP_LINKS_ANDROID_SHA256: "` + v + `" is not a valid SHA-256 certificate fingerprint (32 upper-case hex bytes separated by colons, as ` + "`keytool -list -v`" + ` prints it)`
	}
	badAppID := func(v string) string {
		return `APP_LINKS_IOS_APP_IDS: "` + v + `" is not a valid app ID (TEAMID.bundle.id, the Team ID being 10 upper-case letters or digits)`
	}
	tests := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"UnknownEnv", map[string]string{"APP_ENV": "staging"}, `APP_ENV: "staging" is not one of development, production, test`},
		{"PortNotNumber", map[string]string{"PORT": "abc"}, `PORT: "abc" is not a port number (0-65535)`},
		{"PortNegative", map[string]string{"PORT": "-1"}, `PORT: "-1" is not a port number (0-65535)`},
		{"PortTooHigh", map[string]string{"PORT": "70000"}, `PORT: "70000" is not a port number (0-65535)`},
		{"PublicURLRelative", map[string]string{"PUBLIC_URL": "queue.example.org"}, `PUBLIC_URL: "queue.example.org" is not an absolute http(s) URL (e.g. https://queue.example-hospital.org)`},
		{"PublicURLWithQuery", map[string]string{"PUBLIC_URL": "https://q.example.org/?a=1"}, `PUBLIC_URL: "https://q.example.org/?a=1" must not carry credentials, a query or a fragment`},
		{"DatabaseURLNoScheme", map[string]string{"DATABASE_URL": "postgres//x"}, `DATABASE_URL: cannot parse "postgres//x": missing scheme (expected postgres://user@host:5432/db or sqlite path)`},
		{"DatabaseURLNoSchemeHidesPassword", map[string]string{"DATABASE_URL": "postgres//u:hunter2@x/db"}, `DATABASE_URL: cannot parse "postgres//xxxxx@x/db": missing scheme (expected postgres://user@host:5432/db or sqlite path)`},
		{"DatabaseURLBadEscape", map[string]string{"DATABASE_URL": "postgres://u:p%zz@h/db"}, `DATABASE_URL: cannot parse "postgres://xxxxx@h/db": invalid URL escape "%zz" (expected postgres://user@host:5432/db or sqlite path)`},
		{"DatabaseURLNoHost", map[string]string{"DATABASE_URL": "postgres:///db"}, `DATABASE_URL: cannot parse "postgres:///db": missing host (expected postgres://user@host:5432/db or sqlite path)`},
		{"DatabaseURLNoDatabase", map[string]string{"DATABASE_URL": "postgres://u:secret@h:5432"}, `DATABASE_URL: cannot parse "postgres://u:xxxxx@h:5432": missing database name (expected postgres://user@host:5432/db or sqlite path)`},
		{"DatabaseURLMySQL", map[string]string{"DATABASE_URL": "mysql://h/db"}, `DATABASE_URL: cannot parse "mysql://h/db": missing scheme (expected postgres://user@host:5432/db or sqlite path)`},
		{"SQLiteWithOptions", map[string]string{"DATABASE_URL": "file:cq.db?cache=shared"}, `DATABASE_URL: cannot use "file:cq.db?cache=shared": SQLite options are set by CareQueue, remove "?cache=shared"`},
		{"SQLiteInMemory", map[string]string{"DATABASE_URL": "sqlite::memory:"}, `DATABASE_URL: cannot use "sqlite::memory:": a SQLite database needs a file path`},
		{"RedisURLWrongScheme", map[string]string{"REDIS_URL": "http://u:pw@r:6379"}, `REDIS_URL: cannot parse "http://xxxxx@r:6379" (expected redis://[:password@]host:6379/0 or rediss://...)`},
		{"ShortSecretInProduction", map[string]string{"JWT_SECRET": "short"}, `JWT_SECRET: must be at least 32 bytes in production (got 5)`},
		{"AccessTTLNotDuration", map[string]string{"ACCESS_TOKEN_TTL": "15"}, `ACCESS_TOKEN_TTL: "15" is not a positive duration (e.g. 15m, 720h)`},
		{"RefreshTTLNegative", map[string]string{"REFRESH_TOKEN_TTL": "-1h"}, `REFRESH_TOKEN_TTL: "-1h" is not a positive duration (e.g. 15m, 720h)`},
		{"RefreshNotLongerThanAccess", map[string]string{"ACCESS_TOKEN_TTL": "2h", "REFRESH_TOKEN_TTL": "1h"}, `REFRESH_TOKEN_TTL: 1h0m0s must be longer than ACCESS_TOKEN_TTL (2h0m0s)`},
		{"StaffIdleNotDuration", map[string]string{"STAFF_IDLE_TIMEOUT": "15"}, `STAFF_IDLE_TIMEOUT: "15" is not a positive duration (e.g. 15m, 720h)`},
		{"StaffIdleZero", map[string]string{"STAFF_IDLE_TIMEOUT": "0s"}, `STAFF_IDLE_TIMEOUT: "0s" is not a positive duration (e.g. 15m, 720h)`},
		{"StaffIdleTooShort", map[string]string{"STAFF_IDLE_TIMEOUT": "5s"}, `STAFF_IDLE_TIMEOUT: 5s is too short (at least 10s)`},
		{"StaffIdleLongerThanLifetime", map[string]string{"STAFF_IDLE_TIMEOUT": "13h"}, `STAFF_IDLE_TIMEOUT: 13h0m0s must not be longer than STAFF_SESSION_LIFETIME (12h0m0s)`},
		{"EscalationNotDuration", map[string]string{"ESCALATION_INTERVAL": "60"}, `ESCALATION_INTERVAL: "60" is not a positive duration (e.g. 15m, 720h)`},
		{"EscalationTooOften", map[string]string{"ESCALATION_INTERVAL": "1s"}, `ESCALATION_INTERVAL: 1s is out of range (5s to 10m0s)`},
		{"EscalationTooRare", map[string]string{"ESCALATION_INTERVAL": "1h"}, `ESCALATION_INTERVAL: 1h0m0s is out of range (5s to 10m0s)`},
		{"PatientLifetimeNegative", map[string]string{"PATIENT_SESSION_LIFETIME": "-90d"}, `PATIENT_SESSION_LIFETIME: "-90d" is not a positive duration (e.g. 15m, 720h)`},
		{"PatientIdleLongerThanLifetime", map[string]string{"PATIENT_SESSION_LIFETIME": "24h"}, `PATIENT_IDLE_TIMEOUT: 336h0m0s must not be longer than PATIENT_SESSION_LIFETIME (24h0m0s)`},
		{"OriginWithPath", map[string]string{"ALLOWED_ORIGINS": "https://a.org/app"}, `ALLOWED_ORIGINS: "https://a.org/app" is not an origin (scheme://host[:port], no path)`},
		{"OriginWildcardInProduction", map[string]string{"ALLOWED_ORIGINS": "*"}, `ALLOWED_ORIGINS: "*" is not allowed in production: list the origins of the web app`},
		{"OriginsEmptyList", map[string]string{"ALLOWED_ORIGINS": " , "}, `ALLOWED_ORIGINS: "," lists no origin`},
		{"LogLevelUnknown", map[string]string{"LOG_LEVEL": "verbose"}, `LOG_LEVEL: "verbose" is not one of debug, info, warn, error`},
		{"LogFormatUnknown", map[string]string{"LOG_FORMAT": "xml"}, `LOG_FORMAT: "xml" is not one of json, text`},
		{"MigrateOnStartNotBool", map[string]string{"MIGRATE_ON_START": "maybe"}, `MIGRATE_ON_START: "maybe" is not a boolean (true or false)`},
		{"LoginRateLimitZero", map[string]string{"LOGIN_RATE_LIMIT": "0"}, `LOGIN_RATE_LIMIT: "0" is not a positive whole number of requests per minute`},
		{"MaxDepthNotNumber", map[string]string{"GRAPHQL_MAX_DEPTH": "deep"}, `GRAPHQL_MAX_DEPTH: "deep" is not a positive whole number of levels`},
		{"MaxComplexityNegative", map[string]string{"GRAPHQL_MAX_COMPLEXITY": "-5"}, `GRAPHQL_MAX_COMPLEXITY: "-5" is not a positive whole number of points`},
		{"MaxPageSizeZero", map[string]string{"GRAPHQL_MAX_PAGE_SIZE": "0"}, `GRAPHQL_MAX_PAGE_SIZE: "0" is not a positive whole number of items`},
		{"MaxNodeIDsNotNumber", map[string]string{"GRAPHQL_MAX_NODE_IDS": "all"}, `GRAPHQL_MAX_NODE_IDS: "all" is not a positive whole number of ids`},
		{"MaxResponseBytesUnit", map[string]string{"GRAPHQL_MAX_RESPONSE_BYTES": "4GB"}, `GRAPHQL_MAX_RESPONSE_BYTES: "4GB" is not a positive size in bytes (e.g. 1048576 or 1MiB)`},
		{"SocketsPerUserZero", map[string]string{"WS_MAX_SOCKETS_PER_USER": "0"}, `WS_MAX_SOCKETS_PER_USER: "0" is not a positive whole number of sockets`},
		{"SocketTTLTooShort", map[string]string{"WS_SOCKET_TTL": "1s"}, `WS_SOCKET_TTL: 1s is out of range (5s to 15m0s)`},
		{"SocketTTLTooLong", map[string]string{"WS_SOCKET_TTL": "1h"}, `WS_SOCKET_TTL: 1h0m0s is out of range (5s to 15m0s)`},
		{"SocketTTLWithoutUnit", map[string]string{"WS_SOCKET_TTL": "60"}, `WS_SOCKET_TTL: "60" is not a positive duration (e.g. 15m, 720h)`},
		{"SocketTTLNegative", map[string]string{"WS_SOCKET_TTL": "-1m"}, `WS_SOCKET_TTL: "-1m" is not a positive duration (e.g. 15m, 720h)`},
		{"MetricsAddrNoPort", map[string]string{"METRICS_ADDR": "9090"}, `METRICS_ADDR: "9090" is not host:port (e.g. :9090 or 10.0.0.5:9090)`},
		{"MetricsAddrBadPort", map[string]string{"METRICS_ADDR": ":99999"}, `METRICS_ADDR: ":99999" is not host:port (e.g. :9090 or 10.0.0.5:9090)`},
		{"MetricsAddrURL", map[string]string{"METRICS_ADDR": "http://0.0.0.0:9090"}, `METRICS_ADDR: "http://0.0.0.0:9090" is not host:port (e.g. :9090 or 10.0.0.5:9090)`},
		{"MetricsTokenShort", map[string]string{"METRICS_TOKEN": "letmein"}, `METRICS_TOKEN: is too short to be a secret (at least 16 characters: openssl rand -hex 24)`},
		{"OTLPEndpointRelative", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"}, `OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" is not an absolute http(s) URL (e.g. http://otel-collector:4318)`},
		{"OTLPEndpointCredentials", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://u:hunter2@c:4318/v1/traces"}, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must not carry credentials (set them in OTEL_EXPORTER_OTLP_HEADERS)`},
		{"SentryDSNWithoutKey", map[string]string{"SENTRY_DSN": "https://sentry.example.org/42"}, `SENTRY_DSN: is not a Sentry DSN (https://<public key>@<host>/<project id>, from the project's Client Keys page)`},
		{"SentryDSNWithoutProject", map[string]string{"SENTRY_DSN": "https://k3y@sentry.example.org"}, `SENTRY_DSN: is not a Sentry DSN (https://<public key>@<host>/<project id>, from the project's Client Keys page)`},
		{"SentryWebDSNNotAURL", map[string]string{"SENTRY_WEB_DSN": "k3y@sentry.example.org/43"}, `SENTRY_WEB_DSN: is not a Sentry DSN (https://<public key>@<host>/<project id>, from the project's Client Keys page)`},
		{"RequestTimeoutWithoutUnit", map[string]string{"REQUEST_TIMEOUT": "10"}, `REQUEST_TIMEOUT: "10" is not a positive duration (e.g. 15m, 720h)`},
		{"RequestTimeoutNegative", map[string]string{"REQUEST_TIMEOUT": "-1s"}, `REQUEST_TIMEOUT: "-1s" is not a positive duration (e.g. 15m, 720h)`},
		{"RequestTimeoutTooShort", map[string]string{"REQUEST_TIMEOUT": "1ms"}, `REQUEST_TIMEOUT: 1ms is too short for a database call (at least 1s)`},
		{"MaxConnectionsNegative", map[string]string{"MAX_CONNECTIONS": "-1"}, `MAX_CONNECTIONS: "-1" is not a whole number of connections (0 for the default)`},
		{"MaxConnectionsWords", map[string]string{"MAX_CONNECTIONS": "many"}, `MAX_CONNECTIONS: "many" is not a whole number of connections (0 for the default)`},
		{"ShutdownTimeoutZero", map[string]string{"SHUTDOWN_TIMEOUT": "0s"}, `SHUTDOWN_TIMEOUT: "0s" is not a positive duration (e.g. 15m, 720h)`},
		{"DrainDelayNegative", map[string]string{"SHUTDOWN_DRAIN_DELAY": "-5s"}, `SHUTDOWN_DRAIN_DELAY: "-5s" is not a duration (e.g. 5s, or 0 for none)`},
		{"DrainDelayFillsTheTimeout", map[string]string{"SHUTDOWN_DRAIN_DELAY": "30s"}, `SHUTDOWN_DRAIN_DELAY: 30s leaves nothing of SHUTDOWN_TIMEOUT (25s) for requests and jobs to finish`},
		{"SocketsPerAddressWords", map[string]string{"WS_MAX_SOCKETS_PER_ADDRESS": "lots"}, `WS_MAX_SOCKETS_PER_ADDRESS: "lots" is not a positive whole number of sockets`},
		{"MaxBodyBytesUnit", map[string]string{"MAX_BODY_BYTES": "1MB"}, `MAX_BODY_BYTES: "1MB" is not a positive size in bytes (e.g. 1048576 or 1MiB)`},
		{"MaxBodyBytesZero", map[string]string{"MAX_BODY_BYTES": "0"}, `MAX_BODY_BYTES: "0" is not a positive size in bytes (e.g. 1048576 or 1MiB)`},
		{"TwilioAPIURLRelative", map[string]string{"TWILIO_API_URL": "api.twilio.com"}, `TWILIO_API_URL: "api.twilio.com" is not an absolute http(s) URL (e.g. https://api.twilio.com)`},
		{"TwilioAPIURLOtherScheme", map[string]string{"TWILIO_API_URL": "ftp://api.twilio.com"}, `TWILIO_API_URL: "ftp://api.twilio.com" is not an absolute http(s) URL (e.g. https://api.twilio.com)`},
		{"TwilioAPIURLWithPath", map[string]string{"TWILIO_API_URL": "https://api.twilio.com/2010-04-01"}, `TWILIO_API_URL: "https://api.twilio.com/2010-04-01" must be scheme://host[:port] only (no path, credentials, query or fragment)`},
		{"TwilioAPIURLWithCredentials", map[string]string{"TWILIO_API_URL": "https://AC1:tok@api.twilio.com"}, `TWILIO_API_URL: "https://AC1:xxxxx@api.twilio.com" must be scheme://host[:port] only (no path, credentials, query or fragment)`},
		{"TwilioAPIURLPlainHTTPInProduction", map[string]string{"TWILIO_API_URL": "http://127.0.0.1:4010"}, `TWILIO_API_URL: "http://127.0.0.1:4010" must use https in production`},
		{"TimezoneUnknown", map[string]string{"DEFAULT_TIMEZONE": "Mars/Olympus"}, `DEFAULT_TIMEZONE: "Mars/Olympus" is not an IANA time zone name (e.g. Europe/Berlin, UTC)`},
		{"TimezoneLocal", map[string]string{"DEFAULT_TIMEZONE": "Local"}, `DEFAULT_TIMEZONE: "Local" is not an IANA time zone name (e.g. Europe/Berlin, UTC)`},
		{"AndroidPackageOneName", map[string]string{"APP_LINKS_ANDROID_PACKAGE": "carequeue"}, `APP_LINKS_ANDROID_PACKAGE: "carequeue" is not an Android application id (e.g. org.carequeue.patient)`},
		{"AndroidPackageNameStartsWithDigit", map[string]string{"APP_LINKS_ANDROID_PACKAGE": "org.1queue"}, `APP_LINKS_ANDROID_PACKAGE: "org.1queue" is not an Android application id (e.g. org.carequeue.patient)`},
		{"FingerprintLowerCase", map[string]string{"APP_LINKS_ANDROID_SHA256": strings.ToLower(fingerprintA)}, badFingerprint(strings.ToLower(fingerprintA))},
		{"FingerprintWithoutColons", map[string]string{"APP_LINKS_ANDROID_SHA256": strings.ReplaceAll(fingerprintA, ":", "")}, badFingerprint(strings.ReplaceAll(fingerprintA, ":", ""))},
		{"FingerprintSHA1", map[string]string{"APP_LINKS_ANDROID_SHA256": fingerprintA[:59]}, badFingerprint(fingerprintA[:59])},
		{"FingerprintOneByteShort", map[string]string{"APP_LINKS_ANDROID_SHA256": fingerprintA[:92]}, badFingerprint(fingerprintA[:92])},
		{"FingerprintOneByteLong", map[string]string{"APP_LINKS_ANDROID_SHA256": fingerprintA + ":00"}, badFingerprint(fingerprintA + ":00")},
		{"FingerprintNotHex", map[string]string{"APP_LINKS_ANDROID_SHA256": "G4" + fingerprintA[2:]}, badFingerprint("G4" + fingerprintA[2:])},
		{"FingerprintKeytoolLabel", map[string]string{"APP_LINKS_ANDROID_SHA256": "SHA256: " + fingerprintA}, badFingerprint("SHA256: " + fingerprintA)},
		{"FingerprintSecondBad", map[string]string{"APP_LINKS_ANDROID_SHA256": fingerprintA + ",AB:CD"}, badFingerprint("AB:CD")},
		{"FingerprintsEmptyList", map[string]string{"APP_LINKS_ANDROID_SHA256": " , "}, `APP_LINKS_ANDROID_SHA256: "," lists no SHA-256 certificate fingerprint`},
		{"AppIDWithoutTeam", map[string]string{"APP_LINKS_IOS_APP_IDS": "org.carequeue.patient"}, badAppID("org.carequeue.patient")},
		{"AppIDTeamTooShort", map[string]string{"APP_LINKS_IOS_APP_IDS": "ABCDE1234.org.carequeue.patient"}, badAppID("ABCDE1234.org.carequeue.patient")},
		{"AppIDTeamLowerCase", map[string]string{"APP_LINKS_IOS_APP_IDS": "abcde12345.org.carequeue.patient"}, badAppID("abcde12345.org.carequeue.patient")},
		{"AppIDTeamOnly", map[string]string{"APP_LINKS_IOS_APP_IDS": "ABCDE12345"}, badAppID("ABCDE12345")},
		{"AppIDEmptyBundleSegment", map[string]string{"APP_LINKS_IOS_APP_IDS": "ABCDE12345.org..patient"}, badAppID("ABCDE12345.org..patient")},
		{"AppIDBundleUnderscore", map[string]string{"APP_LINKS_IOS_APP_IDS": "ABCDE12345.org.care_queue"}, badAppID("ABCDE12345.org.care_queue")},
		{"AppIDsSpaceSeparated", map[string]string{"APP_LINKS_IOS_APP_IDS": "ABCDE12345.org.a ABCDE12345.org.b"}, badAppID("ABCDE12345.org.a ABCDE12345.org.b")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{}
			for k, v := range prod {
				vars[k] = v
			}
			for k, v := range tt.vars {
				vars[k] = v
			}
			_, err := Load(env(vars), "")
			require.EqualError(t, err, tt.want)
			require.NotContains(t, err.Error(), "\n")
			var cerr *Error
			require.ErrorAs(t, err, &cerr)
			require.True(t, strings.HasPrefix(tt.want, cerr.Var+": "))
		})
	}
}

func TestLoadAppLinks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		vars map[string]string
		want AppLinks
	}{
		{"UnsetPublishesNothing", nil, AppLinks{AndroidPackage: "org.carequeue.patient"}},
		{"OneFingerprint", map[string]string{"APP_LINKS_ANDROID_SHA256": fingerprintA},
			AppLinks{AndroidPackage: "org.carequeue.patient", AndroidSHA256: []string{fingerprintA}}},
		{"FingerprintsTrimmedAndBlankItemsSkipped", map[string]string{"APP_LINKS_ANDROID_SHA256": " " + fingerprintA + " ,\t" + fingerprintB + ", "},
			AppLinks{AndroidPackage: "org.carequeue.patient", AndroidSHA256: []string{fingerprintA, fingerprintB}}},
		{"OtherPackage", map[string]string{"APP_LINKS_ANDROID_PACKAGE": "org.example.queue_app", "APP_LINKS_ANDROID_SHA256": fingerprintB},
			AppLinks{AndroidPackage: "org.example.queue_app", AndroidSHA256: []string{fingerprintB}}},
		{"OneAppID", map[string]string{"APP_LINKS_IOS_APP_IDS": "ABCDE12345.org.carequeue.patient"},
			AppLinks{AndroidPackage: "org.carequeue.patient", IOSAppIDs: []string{"ABCDE12345.org.carequeue.patient"}}},
		{"AppIDsWithDigitsAndHyphens", map[string]string{"APP_LINKS_IOS_APP_IDS": "9Z8Y7X6W5V.org.carequeue.patient, ABCDE12345.org.carequeue.patient-beta"},
			AppLinks{AndroidPackage: "org.carequeue.patient", IOSAppIDs: []string{"9Z8Y7X6W5V.org.carequeue.patient", "ABCDE12345.org.carequeue.patient-beta"}}},
		{"AppIDWithOneNameBundle", map[string]string{"APP_LINKS_IOS_APP_IDS": "ABCDE12345.CareQueue"},
			AppLinks{AndroidPackage: "org.carequeue.patient", IOSAppIDs: []string{"ABCDE12345.CareQueue"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{"JWT_SECRET": goodSecret}
			for k, v := range tt.vars {
				vars[k] = v
			}
			c, err := Load(env(vars), "")
			require.NoError(t, err)
			require.Equal(t, tt.want, c.AppLinks)
		})
	}
}

func TestConfigNeverPrintsSecrets(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{
		"JWT_SECRET":        goodSecret,
		"DATABASE_URL":      "postgres://cq:dbpass@db:5432/cq?password=qpass",
		"REDIS_URL":         "redis://:redispass@r:6379/0",
		"TWILIO_AUTH_TOKEN": "twiliotoken",
	}), "")
	require.NoError(t, err)

	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "config", c)
	jsonBytes, err := json.Marshal(c)
	require.NoError(t, err)
	outputs := map[string]string{
		"Redacted": c.Redacted(),
		"Slog":     logged.String(),
		"FmtV":     fmt.Sprintf("%v", c),
		"FmtPlusV": fmt.Sprintf("%+v", c),
		"FmtHashV": fmt.Sprintf("%#v", c),
		"JSON":     string(jsonBytes),
	}
	for name, out := range outputs {
		for _, secret := range []string{goodSecret, "dbpass", "qpass", "redispass", "twiliotoken"} {
			require.NotContains(t, out, secret, name)
		}
	}
	require.Contains(t, c.Redacted(), "database=postgres://cq:xxxxx@db:5432/cq?password=xxxxx")
	require.Contains(t, c.Redacted(), "jwt_secret=[redacted]")
	require.Contains(t, c.Redacted(), "redis_url=redis://:xxxxx@r:6379/0")
}

func TestDefaultMaxConnections(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		nofile uint64
		want   int
	}{
		{"NinetyPercentOfALargeLimit", 20000, 18000},
		{"KeepsAtLeastAHundred", 512, 412},
		{"TinyLimitKeepsHalf", 150, 75},
		{"NeverZero", 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, DefaultMaxConnections(tc.nofile))
		})
	}
}
