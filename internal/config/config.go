// Package config owns CareQueue's runtime configuration: the one typed Config, read from the process
// environment with an optional .env file filling gaps, defaulted and validated in one place so a bad
// value stops the server at start-up with a single line naming the variable. It never reads the
// environment itself (getenv is injected) and never prints a secret: see Config.LogValue.
package config

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/joho/godotenv"
)

// Env is the deployment environment named by APP_ENV.
type Env string

// The environments. Production is the default: a hospital server that forgot to say what it is gets
// the strict checks (required JWT secret, JSON logs), not the convenient ones.
const (
	Production  Env = "production"
	Development Env = "development"
	Test        Env = "test"
)

// Config is everything the server reads from its environment. Secret fields have type Secret so that
// printing a Config with fmt or slog never reveals them.
type Config struct {
	Env  Env
	Host string
	Port int
	// PublicURL is the externally reachable base URL (no trailing slash), used for links in SMS and
	// to rebuild webhook URLs for signature checks.
	PublicURL string
	// FHIRMRNSystem is the FHIR identifier system of patients' MRNs; "{facility}" in it stands for the
	// patient's facility id.
	FHIRMRNSystem string

	// DatabaseURL is a postgres:// URL, or empty for the embedded SQLite database at SQLitePath.
	// A sqlite:// or file: DATABASE_URL is normalised into SQLitePath.
	DatabaseURL Secret
	SQLitePath  string
	// RedisURL is empty for the in-process pub/sub and rate limiter.
	RedisURL Secret
	// RedisPrefix namespaces every Redis key and channel CareQueue uses, so that several deployments
	// (or test runs) can share one Redis.
	RedisPrefix string

	JWTSecret Secret
	// JWTSecretGenerated is true when JWTSecret was made up at start-up (development and test only):
	// tokens then die with the process.
	JWTSecretGenerated bool
	JWTIssuer          string
	JWTAudience        string
	AccessTokenTTL     time.Duration
	RefreshTokenTTL    time.Duration
	// StaffIdleTimeout and StaffSessionLifetime bound staff sessions (refresh refused after that long
	// without activity, or after that long at all); PatientIdleTimeout and PatientSessionLifetime
	// patients'. Kiosks have neither (session.Limits).
	StaffIdleTimeout       time.Duration
	StaffSessionLifetime   time.Duration
	PatientIdleTimeout     time.Duration
	PatientSessionLifetime time.Duration

	// AllowedOrigins are exact origins (scheme://host[:port]) allowed for CORS and WebSocket upgrades.
	AllowedOrigins []string

	LogLevel  slog.Level
	LogFormat LogFormat

	MigrateOnStart bool
	// TrustProxy takes the client address from X-Forwarded-For (set it only behind your own proxy).
	TrustProxy bool
	// LoginRateLimit is the number of login or code requests allowed per minute per account, and of
	// code requests per address.
	LoginRateLimit int
	// LoginAddressFailureLimit is the number of failed sign-ins allowed per minute per address.
	LoginAddressFailureLimit int
	GraphQLMaxDepth          int
	GraphQLMaxComplexity     int
	// GraphQLMaxPageSize caps a connection's first/last; GraphQLMaxNodeIDs the ids of nodes(ids:);
	// GraphQLMaxResponseBytes one response or subscription event.
	GraphQLMaxPageSize      int
	GraphQLMaxNodeIDs       int
	GraphQLMaxResponseBytes int64
	MaxBodyBytes            int64
	// WSMaxPerUser and WSMaxPerAddress cap a replica's open WebSockets per account and per client address.
	WSMaxPerUser    int
	WSMaxPerAddress int
	// WSSocketTTL is how long an account's socket keeps counting towards WSMaxPerUser across replicas
	// after its replica last vouched for it (refreshed three times a TTL): a crashed replica's sockets
	// stop counting within it (internal/redis.Sockets).
	WSSocketTTL time.Duration
	// RequestTimeout bounds each HTTP request and each query or mutation over a WebSocket.
	RequestTimeout time.Duration
	// GraphQLDocuments is how strictly callers are held to trusted (persisted) documents:
	// open, persisted-preferred (the default) or allow-list (internal/document.Mode).
	GraphQLDocuments string
	// TrustedDocumentsFiles are operator-provided manifests (JSON: SHA-256 hash → document) trusted
	// besides the apps' own, e.g. an integrator's.
	TrustedDocumentsFiles []string
	// TrustedDocumentsClients are the API client ids (AK...) that allow-list mode holds to trusted
	// documents, or ["*"] for every client.
	TrustedDocumentsClients []string
	// MaxConnections caps the WebSockets one process holds open (MAX_CONNECTIONS); 0 means
	// DefaultMaxConnections of the descriptor limit, which cmd/carequeue reads.
	MaxConnections int
	// ShutdownTimeout bounds a graceful stop (SIGTERM) from the signal to the last in-flight request
	// and job; ShutdownDrainDelay is the part of it spent reporting "draining" on /readyz, still serving,
	// so that load balancers stop sending before the listener closes.
	ShutdownTimeout    time.Duration
	ShutdownDrainDelay time.Duration
	// EscalationInterval is how often waiting patients are checked against their queue's maximum wait
	// (ESCALATION_INTERVAL): one is escalated, and the nurse in charge told, within this long of passing it.
	EscalationInterval time.Duration
	// MetricsAddr, when set, is a listener of its own serving only /metrics (host:port, e.g. ":9090"),
	// off the public port, for a Prometheus elsewhere on the private network.
	MetricsAddr string
	// MetricsToken, when set, lets a scraper read /metrics with it as a bearer token, on the public port
	// from anywhere, and is required on MetricsAddr.
	MetricsToken Secret
	// Tracing and Sentry say where traces and error reports go (observability.go); empty: nowhere.
	Tracing Tracing
	Sentry  Sentry

	Twilio   Twilio
	Firebase Firebase

	// DefaultTimezone is the facility time zone used when none is configured on the facility.
	DefaultTimezone *time.Location

	// AppLinks are the patient apps this server vouches for, so that phones open its ticket links in them.
	AppLinks AppLinks

	// Warnings are things the operator should hear about that do not stop the server; the caller logs them.
	Warnings []string
}

// LogFormat is how log lines are written.
type LogFormat string

// The log formats.
const (
	LogJSON LogFormat = "json"
	LogText LogFormat = "text"
)

// Twilio holds the SMS provider credentials; all empty means SMS go to the log sender.
type Twilio struct {
	AccountSID string
	AuthToken  Secret
	From       string
	// APIURL is the scheme and host the Messages API is reached at (DefaultTwilioAPIURL, a regional
	// edge, or a local fake in tests); https in production.
	APIURL string
}

// DefaultTwilioAPIURL is Twilio's global REST API.
const DefaultTwilioAPIURL = "https://api.twilio.com"

// Firebase holds the push provider settings; all empty means push goes to the log sender.
type Firebase struct {
	CredentialsFile string
	ProjectID       string
}

// AppLinks names the patient apps that may open this server's ticket links (https://<server>/t/<token>)
// as Android App Links and iOS universal links. An empty list means that platform's association file is
// not published.
type AppLinks struct {
	// AndroidPackage is the Android application id (APP_LINKS_ANDROID_PACKAGE).
	AndroidPackage string
	// AndroidSHA256 are the SHA-256 fingerprints of the app's signing certificates in keytool's form,
	// 32 upper-case hex bytes separated by colons (APP_LINKS_ANDROID_SHA256).
	AndroidSHA256 []string
	// IOSAppIDs are app identifiers, TEAMID.bundle.id (APP_LINKS_IOS_APP_IDS).
	IOSAppIDs []string
}

// DefaultAndroidPackage is the patient app's Android application id (mobile/app.config.ts).
const DefaultAndroidPackage = "org.carequeue.patient"

// Error is a configuration error. Its text is one line starting with the variable's name.
type Error struct {
	Var string
	Msg string
}

func (e *Error) Error() string { return e.Var + ": " + e.Msg }

func errf(name, format string, args ...any) error {
	return &Error{Var: name, Msg: fmt.Sprintf(format, args...)}
}

// Load builds the Config from getenv, falling back to the variables of the .env file at dotenvPath for
// any variable getenv returns empty (an empty value counts as unset). A missing .env file, or an empty
// dotenvPath, is fine. The first invalid value ends loading with an *Error.
func Load(getenv func(string) string, dotenvPath string) (Config, error) {
	dotenv := map[string]string{}
	if dotenvPath != "" {
		m, err := godotenv.Read(dotenvPath)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return Config{}, fmt.Errorf("reading %s: %w", dotenvPath, err)
		default:
			dotenv = m
		}
	}
	lookup := func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return dotenv[name]
	}
	get, err := WithSecretFiles(lookup, nil)
	if err != nil {
		return Config{}, err
	}
	return build(get, rand.Text)
}

// build applies defaults and validation. randomSecret is injected so tests need not depend on it.
func build(get func(string) string, randomSecret func() string) (Config, error) {
	var c Config
	var err error
	p := parser{get: get}

	c.Env = Env(p.str("APP_ENV", string(Production)))
	switch c.Env {
	case Production, Development, Test:
	default:
		return c, errf("APP_ENV", "%q is not one of development, production, test", string(c.Env))
	}
	if c.Port, err = p.port("PORT", 8080); err != nil {
		return c, err
	}
	c.Host = p.str("HOST", "0.0.0.0")
	if c.PublicURL, err = p.publicURL("PUBLIC_URL", fmt.Sprintf("http://localhost:%d", c.Port)); err != nil {
		return c, err
	}
	c.FHIRMRNSystem = p.str("FHIR_MRN_SYSTEM", c.PublicURL+"/fhir/sid/mrn/{facility}")
	if u, err := url.Parse(c.FHIRMRNSystem); err != nil || u.Scheme == "" || strings.ContainsAny(c.FHIRMRNSystem, " \t\r\n|") {
		return c, errf("FHIR_MRN_SYSTEM", "%q is not an absolute URI without spaces or | (e.g. urn:oid:1.2.3.4 or https://hospital.example/mrn/{facility})", c.FHIRMRNSystem)
	}

	c.SQLitePath = p.str("SQLITE_PATH", "carequeue.db")
	dbURL, sqlitePath, err := parseDatabaseURL(get("DATABASE_URL"))
	if err != nil {
		return c, err
	}
	c.DatabaseURL = Secret(dbURL)
	if sqlitePath != "" {
		c.SQLitePath = sqlitePath
	}
	redisURL, err := parseRedisURL(get("REDIS_URL"))
	if err != nil {
		return c, err
	}
	c.RedisURL = Secret(redisURL)
	c.RedisPrefix = p.str("REDIS_PREFIX", "cq:")
	if strings.ContainsAny(c.RedisPrefix, " \t\r\n*?[]") {
		return c, errf("REDIS_PREFIX", "%q must not contain spaces or glob characters", c.RedisPrefix)
	}

	if err = c.loadAuth(&p, randomSecret); err != nil {
		return c, err
	}

	if c.AllowedOrigins, err = p.origins("ALLOWED_ORIGINS", c.PublicURL, c.Env); err != nil {
		return c, err
	}
	if c.LogLevel, err = p.logLevel("LOG_LEVEL"); err != nil {
		return c, err
	}
	defFormat := LogText
	if c.Env == Production {
		defFormat = LogJSON
	}
	switch f := LogFormat(p.str("LOG_FORMAT", string(defFormat))); f {
	case LogJSON, LogText:
		c.LogFormat = f
	default:
		return c, errf("LOG_FORMAT", "%q is not one of json, text", string(f))
	}
	if c.MigrateOnStart, err = p.boolean("MIGRATE_ON_START", false); err != nil {
		return c, err
	}
	if c.TrustProxy, err = p.boolean("TRUST_PROXY", false); err != nil {
		return c, err
	}
	if c.LoginRateLimit, err = p.positiveInt("LOGIN_RATE_LIMIT", 5, "requests per minute"); err != nil {
		return c, err
	}
	if c.LoginAddressFailureLimit, err = p.positiveInt("LOGIN_ADDRESS_FAILURE_LIMIT", 20, "failed sign-ins per minute"); err != nil {
		return c, err
	}
	if c.GraphQLMaxDepth, err = p.positiveInt("GRAPHQL_MAX_DEPTH", 12, "levels"); err != nil {
		return c, err
	}
	if c.GraphQLMaxComplexity, err = p.positiveInt("GRAPHQL_MAX_COMPLEXITY", 10000, "points"); err != nil {
		return c, err
	}
	if c.GraphQLMaxPageSize, err = p.positiveInt("GRAPHQL_MAX_PAGE_SIZE", 100, "items"); err != nil {
		return c, err
	}
	if c.GraphQLMaxNodeIDs, err = p.positiveInt("GRAPHQL_MAX_NODE_IDS", 100, "ids"); err != nil {
		return c, err
	}
	if c.GraphQLMaxResponseBytes, err = p.byteSize("GRAPHQL_MAX_RESPONSE_BYTES", 4<<20); err != nil {
		return c, err
	}
	if c.MaxBodyBytes, err = p.byteSize("MAX_BODY_BYTES", 1<<20); err != nil {
		return c, err
	}
	if c.WSMaxPerUser, err = p.positiveInt("WS_MAX_SOCKETS_PER_USER", 20, "sockets"); err != nil {
		return c, err
	}
	if c.WSMaxPerAddress, err = p.positiveInt("WS_MAX_SOCKETS_PER_ADDRESS", 1000, "sockets"); err != nil {
		return c, err
	}
	if c.WSSocketTTL, err = p.durationIn("WS_SOCKET_TTL", DefaultWSSocketTTL, minWSSocketTTL, maxWSSocketTTL); err != nil {
		return c, err
	}
	if c.MaxConnections, err = p.nonNegativeInt("MAX_CONNECTIONS", 0, "connections"); err != nil {
		return c, err
	}
	if c.ShutdownTimeout, err = p.duration("SHUTDOWN_TIMEOUT", DefaultShutdownTimeout); err != nil {
		return c, err
	}
	drain := time.Duration(0) // nothing balances a development or test server's traffic
	if c.Env == Production {
		drain = DefaultShutdownDrainDelay
	}
	if c.ShutdownDrainDelay, err = p.durationOrZero("SHUTDOWN_DRAIN_DELAY", drain); err != nil {
		return c, err
	}
	if c.ShutdownDrainDelay >= c.ShutdownTimeout {
		return c, errf("SHUTDOWN_DRAIN_DELAY", "%s leaves nothing of SHUTDOWN_TIMEOUT (%s) for requests and jobs to finish", c.ShutdownDrainDelay, c.ShutdownTimeout)
	}
	if c.EscalationInterval, err = p.durationIn("ESCALATION_INTERVAL", DefaultEscalationInterval, minEscalationInterval, maxEscalationInterval); err != nil {
		return c, err
	}
	if c.MetricsAddr, err = p.listenAddr("METRICS_ADDR"); err != nil {
		return c, err
	}
	if c.MetricsToken = Secret(get("METRICS_TOKEN")); c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return c, errf("METRICS_TOKEN", "is too short to be a secret (at least 16 characters: openssl rand -hex 24)")
	}
	if c.Tracing, err = p.tracing(); err != nil {
		return c, err
	}
	if c.Sentry, err = p.sentry(c.Env); err != nil {
		return c, err
	}
	if c.RequestTimeout, err = p.duration("REQUEST_TIMEOUT", 10*time.Second); err != nil {
		return c, err
	}
	if c.RequestTimeout < time.Second {
		return c, errf("REQUEST_TIMEOUT", "%s is too short for a database call (at least 1s)", c.RequestTimeout)
	}
	if err = c.loadDocuments(&p); err != nil {
		return c, err
	}
	c.Twilio = Twilio{
		AccountSID: get("TWILIO_ACCOUNT_SID"),
		AuthToken:  Secret(get("TWILIO_AUTH_TOKEN")),
		From:       get("TWILIO_FROM"),
	}
	if c.Twilio.APIURL, err = p.baseURL("TWILIO_API_URL", DefaultTwilioAPIURL, c.Env); err != nil {
		return c, err
	}
	c.Firebase = Firebase{CredentialsFile: get("FIREBASE_CREDENTIALS_FILE"), ProjectID: get("FIREBASE_PROJECT_ID")}
	// Every SMS carries a status link built on PUBLIC_URL: in production a default of localhost would
	// send patients a link their phone cannot open.
	if c.Env == Production && strings.TrimSpace(get("PUBLIC_URL")) == "" {
		if c.Twilio.AccountSID != "" {
			return c, errf("PUBLIC_URL", "required in production when SMS is configured: the address patients' phones open from SMS links (e.g. https://queue.example-hospital.org)")
		}
		c.Warnings = append(c.Warnings, fmt.Sprintf("PUBLIC_URL is not set: links in messages and the app-link files use %s; set it to the address patients' phones open", c.PublicURL))
	}
	if c.DefaultTimezone, err = p.timezone("DEFAULT_TIMEZONE", "UTC"); err != nil {
		return c, err
	}
	if c.AppLinks, err = p.appLinks(); err != nil {
		return c, err
	}
	return c, nil
}

// loadDocuments reads the trusted-documents settings; the files are read and checked by the caller.
func (c *Config) loadDocuments(p *parser) error {
	switch c.GraphQLDocuments = p.str("GRAPHQL_DOCUMENTS", "persisted-preferred"); c.GraphQLDocuments {
	case "open", "persisted-preferred", "allow-list":
	default:
		return errf("GRAPHQL_DOCUMENTS", "%q is not one of open, persisted-preferred, allow-list", c.GraphQLDocuments)
	}
	var err error
	if c.TrustedDocumentsFiles, err = p.list("TRUSTED_DOCUMENTS_FILES", anyPath, "file path", "comma-separated paths of JSON manifests"); err != nil {
		return err
	}
	if c.TrustedDocumentsClients, err = p.list("TRUSTED_DOCUMENTS_CLIENTS", clientIDOrStar, "API client id", "AK... as createAPIClient returned it, or *"); err != nil {
		return err
	}
	return nil
}

var (
	anyPath        = regexp.MustCompile(`^[^\x00]+$`)
	clientIDOrStar = regexp.MustCompile(`^(\*|AK[0-9A-Za-z]{1,40})$`)
)

// Shutdown defaults: the whole stop stays under Kubernetes' 30 s terminationGracePeriodSeconds, and the
// drain delay covers a few readiness probes (every 1-2 s) or a load balancer's health checks.
const (
	DefaultShutdownTimeout    = 25 * time.Second
	DefaultShutdownDrainDelay = 5 * time.Second
)

// ESCALATION_INTERVAL: a minute by default. Each check is one indexed read of the overdue tickets, so a
// few seconds costs little; past 10 minutes a patient would sit unescalated too long after the maximum.
const (
	DefaultEscalationInterval = time.Minute
	minEscalationInterval     = 5 * time.Second
	maxEscalationInterval     = 10 * time.Minute
)

// DefaultMaxConnections is MAX_CONNECTIONS when unset: 90% of the process's file-descriptor limit
// (RLIMIT_NOFILE, which Go raises to the hard limit at start-up), keeping at least 100 descriptors for
// what must keep working at the cap: the probes, /metrics, plain HTTP requests, the database and Redis
// pools and the log. A tiny limit keeps half.
func DefaultMaxConnections(nofile uint64) int {
	reserve := max(nofile/10, 100)
	if nofile <= 2*reserve {
		return max(int(nofile/2), 1)
	}
	return int(nofile - reserve)
}

// WS_SOCKET_TTL bounds. Below 5s the refreshes (three a TTL, one Redis round trip per account with
// sockets on the replica) become load for a short Redis hiccup to turn into refused sockets; above 15
// minutes a crashed replica's users stay locked out of new sockets for too long.
const (
	DefaultWSSocketTTL = time.Minute
	minWSSocketTTL     = 5 * time.Second
	maxWSSocketTTL     = 15 * time.Minute
)

// minSecretBytes is the HS256 key length below which brute force becomes a concern (RFC 7518 §3.2).
const minSecretBytes = 32

func (c *Config) loadAuth(p *parser, randomSecret func() string) error {
	var err error
	secret := p.get("JWT_SECRET")
	switch {
	case secret == "" && c.Env == Production:
		return errf("JWT_SECRET", "required in production (at least %d random bytes, e.g. `openssl rand -base64 48`; or set APP_ENV=development)", minSecretBytes)
	case len(secret) < minSecretBytes && c.Env == Production:
		return errf("JWT_SECRET", "must be at least %d bytes in production (got %d)", minSecretBytes, len(secret))
	case secret == "":
		secret = randomSecret() + randomSecret()
		c.JWTSecretGenerated = true
		c.Warnings = append(c.Warnings, "JWT_SECRET is not set: using a random secret for this process; sessions end when it stops")
	case len(secret) < minSecretBytes:
		c.Warnings = append(c.Warnings, fmt.Sprintf("JWT_SECRET is shorter than %d bytes: acceptable only outside production", minSecretBytes))
	}
	c.JWTSecret = Secret(secret)
	c.JWTIssuer = p.str("JWT_ISSUER", "carequeue")
	c.JWTAudience = p.str("JWT_AUDIENCE", "carequeue-api")
	if c.AccessTokenTTL, err = p.duration("ACCESS_TOKEN_TTL", 15*time.Minute); err != nil {
		return err
	}
	if c.RefreshTokenTTL, err = p.duration("REFRESH_TOKEN_TTL", 720*time.Hour); err != nil {
		return err
	}
	if c.RefreshTokenTTL <= c.AccessTokenTTL {
		return errf("REFRESH_TOKEN_TTL", "%s must be longer than ACCESS_TOKEN_TTL (%s)", c.RefreshTokenTTL, c.AccessTokenTTL)
	}
	return c.loadSessionLimits(p)
}

// Session limit defaults. Staff: 15 minutes idle, because ward and reception workstations are shared
// and left unattended between patients, and automatic logoff (HIPAA 45 CFR 164.312(a)(2)(iii)) is
// commonly set at 10-15 minutes for such terminals; it equals the access token's lifetime, so an
// untouched page loses its access when the refresh would be refused anyway. 12 hours absolute: one
// shift, so nobody inherits the previous shift's session. Patients sign in on their own phone with an
// SMS code: 14 days idle covers the gap between visits, 90 days absolute makes them re-verify the phone
// number each quarter.
const (
	defaultStaffIdle       = 15 * time.Minute
	defaultStaffLifetime   = 12 * time.Hour
	defaultPatientIdle     = 14 * 24 * time.Hour
	defaultPatientLifetime = 90 * 24 * time.Hour
	// minIdleTimeout leaves the web app room for its one-minute warning (tests use 20s).
	minIdleTimeout = 10 * time.Second
)

func (c *Config) loadSessionLimits(p *parser) error {
	for _, l := range []struct {
		idleKey, lifeKey string
		idle, life       *time.Duration
		defIdle, defLife time.Duration
	}{
		{"STAFF_IDLE_TIMEOUT", "STAFF_SESSION_LIFETIME", &c.StaffIdleTimeout, &c.StaffSessionLifetime, defaultStaffIdle, defaultStaffLifetime},
		{"PATIENT_IDLE_TIMEOUT", "PATIENT_SESSION_LIFETIME", &c.PatientIdleTimeout, &c.PatientSessionLifetime, defaultPatientIdle, defaultPatientLifetime},
	} {
		var err error
		if *l.idle, err = p.duration(l.idleKey, l.defIdle); err != nil {
			return err
		}
		if *l.life, err = p.duration(l.lifeKey, l.defLife); err != nil {
			return err
		}
		switch {
		case *l.idle < minIdleTimeout:
			return errf(l.idleKey, "%s is too short (at least %s)", *l.idle, minIdleTimeout)
		case *l.idle > *l.life:
			return errf(l.idleKey, "%s must not be longer than %s (%s)", *l.idle, l.lifeKey, *l.life)
		}
	}
	if c.AccessTokenTTL > c.StaffIdleTimeout {
		c.Warnings = append(c.Warnings, fmt.Sprintf(
			"ACCESS_TOKEN_TTL (%s) is longer than STAFF_IDLE_TIMEOUT (%s): access tokens are cut to the idle timeout",
			c.AccessTokenTTL, c.StaffIdleTimeout))
	}
	return nil
}
