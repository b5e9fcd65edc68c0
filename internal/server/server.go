// Package server owns CareQueue's HTTP surface: the routes of the one binary (GraphQL over HTTP and
// WebSocket, GraphiQL, health and readiness probes, the app-link association files under /.well-known,
// and any extra handlers the caller mounts), the middleware every request passes through (request id,
// client address, access log, security headers, body cap, bearer-token authentication), the GraphQL
// handler's limits (depth, complexity and page sizes, parser tokens, response size), the per-request introspection decision, the
// gorilla/websocket adapter for gqlgen, and the error presenter — the one place that turns errors into
// extensions.code and keeps SQL, driver text and stack traces away from clients.
//
// GraphiQL is served to everyone because the page holds no data; what it could reveal, the schema,
// is guarded per request instead: introspection runs only in development or for an ADMIN viewer.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/trace"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/document"
	"github.com/carequeue/carequeue/internal/server/graphiql"
	"github.com/carequeue/carequeue/internal/telemetry"
)

// Config holds the HTTP server's settings; zero numbers take the defaults below.
type Config struct {
	// Development (APP_ENV=development) turns introspection on for everyone and field suggestions on.
	Development bool
	// AllowedOrigins lists the origins (e.g. "https://queue.example.org") whose pages may call
	// /graphql and /oauth/token from a browser (CORS, cors.go) and open a WebSocket; a page served
	// from the request's own host is always allowed. "*" allows any.
	AllowedOrigins []string
	// PublicURL is where users reach the server; when it is https every answer carries
	// Strict-Transport-Security.
	PublicURL string
	// TrustProxy makes the client address come from X-Forwarded-For (the entry our own proxy appended)
	// instead of the TCP peer. Set it only behind a proxy that overwrites or appends that header.
	TrustProxy bool
	// WebErrorReports is where the web app reports its errors (written into its pages); zero: nowhere.
	WebErrorReports WebErrorReports
	// MetricsPublic serves /metrics to any peer; by default only a local, unproxied scraper gets it.
	MetricsPublic bool
	// MetricsToken, when set, lets a scraper anywhere read /metrics with "Authorization: Bearer <token>",
	// and is required on the metrics listener too (MetricsListener).
	MetricsToken string
	// MaxBodyBytes caps request bodies (default 1 MiB).
	MaxBodyBytes int64
	// MaxDepth caps how deeply a GraphQL operation nests fields (default 12).
	MaxDepth int
	// MaxComplexity caps an operation's computed complexity: one point per field, lists multiplying
	// what they select by their size (default 10000; see Bounds).
	MaxComplexity int
	// MaxPageSize caps a connection's first/last (default 100): more is BAD_USER_INPUT, not a clamp.
	MaxPageSize int
	// MaxNodeIDs caps the ids of one nodes(ids:) (default 100).
	MaxNodeIDs int
	// MaxResponseBytes caps the encoded data and errors of one response or subscription event
	// (default 4 MiB).
	MaxResponseBytes int
	// MaxParserTokens caps how many tokens the GraphQL parser reads (default 15000).
	MaxParserTokens int
	// MaxSocketsPerUser caps one account's open WebSockets (default 20): on all replicas together
	// with Deps.SharedSockets, else on this replica.
	MaxSocketsPerUser int
	// MaxSocketsPerAddress caps one client address's open WebSockets on this replica, anonymous
	// boards included (default 1000: wards and mobile carriers put many clients behind one address).
	MaxSocketsPerAddress int
	// AppLinks are the apps published in /.well-known for the ticket links; empty publishes nothing.
	AppLinks AppLinks
	// RequestTimeout bounds each HTTP request behind authentication and each query or mutation over a
	// WebSocket (default DefaultRequestTimeout); past it, database calls are cancelled and the answer
	// is UNAVAILABLE.
	RequestTimeout time.Duration
	// Documents says who must send trusted documents' hashes instead of free-form queries
	// (GRAPHQL_DOCUMENTS; zero: persisted-preferred). See documents.go.
	Documents document.Policy
}

// Defaults for Config's zero values.
const (
	DefaultMaxBodyBytes     = 1 << 20
	DefaultMaxDepth         = 12
	DefaultMaxComplexity    = 10000
	DefaultMaxPageSize      = 100
	DefaultMaxNodeIDs       = 100
	DefaultMaxResponseBytes = 4 << 20
	DefaultMaxParserTokens  = 15000
)

// Deps are the collaborators New wires in. Schema, Viewer and Ready are required.
type Deps struct {
	// Schema is the generated executable schema (generated.NewExecutableSchema).
	Schema graphql.ExecutableSchema
	// Viewer maps an access token to its viewer (session.Service.ViewerFromToken). A *cqerr.Error
	// with code UNAUTHENTICATED means the token is bad, expired or revoked (wrapping
	// auth.ErrAccountChanged when its account was disabled or changed).
	Viewer func(ctx context.Context, accessToken string) (auth.Viewer, error)
	// TokenRejected, when set, hears of every access token refused for any reason but expiry (a bad
	// signature, a forged or malformed token, a revoked session), over HTTP and WebSocket alike, to
	// record it in the audit log. Expired tokens are routine and only counted
	// (carequeue_access_tokens_rejected_total).
	TokenRejected func(ctx context.Context, token string, err error)
	// Sockets registers the signed-in WebSockets so that a revocation closes them (revoke.go); nil
	// makes a registry nobody re-checks.
	Sockets *Sockets
	// DeniedRequest, when set, records every 401 and 403 answered over HTTP on the protected routes
	// and OwnAuth's (session.Service.RecordDeniedRequest: access.denied, rate-limited per address),
	// with the viewer, if any, in ctx. GraphQL's own refusals are graph.ReadTrail's.
	DeniedRequest func(ctx context.Context, method, path string, status int)
	// Admission caps this process's open WebSockets and drains them on shutdown (NewAdmission); nil
	// admits every socket and never drains.
	Admission *Admission
	// SharedSockets counts each account's sockets across replicas (internal/redis.Sockets), so that
	// MaxSocketsPerUser holds for the deployment; nil counts them per replica.
	SharedSockets SocketCounter
	// Ready reports whether the process can serve traffic (store.DB.Ping).
	Ready func(ctx context.Context) error
	// Logger receives access logs, internal errors and panics; nil discards them.
	Logger *slog.Logger
	// Lists sizes every plain list field of Schema, keyed "Type.field" (see Bounds); New panics when a
	// list field of Schema has none.
	Lists map[string]ListSize
	// Unshared names the subscription fields whose messages are changes rather than a whole state
	// (graph.ChangeSubscriptions): fanout never groups them, since a subscriber joining a running group
	// would get its latest change instead of its own first message, and a slow one would skip changes.
	Unshared map[string]bool
	// Extensions are added to the GraphQL handler after the built-in limits; each must be a
	// graphql.HandlerExtension (typed any so callers need not import gqlgen; New panics otherwise).
	Extensions []any
	// Extra maps ServeMux patterns (e.g. "/webhooks/twilio/status") to handlers; they run behind the
	// same middleware, so the viewer is in their request context.
	Extra map[string]http.Handler
	// OwnAuth maps ServeMux patterns to handlers that authenticate requests themselves (the job
	// monitor, behind AdminBasicAuth): they run behind the body cap but not the bearer-token check,
	// which would refuse their Authorization header.
	OwnAuth map[string]http.Handler
	// OAuthToken, when set, is the OAuth 2.0 token endpoint mounted at /oauth/token: behind CORS
	// and the body cap but not the bearer-token check (it authenticates API clients itself).
	OAuthToken http.Handler
	// TrustedDocuments are the documents callers may name by hash (the apps' generated manifests and
	// the operator's); nil trusts none. Each must validate against Schema, or New panics.
	TrustedDocuments *document.Store
	// Metrics are Prometheus collectors served on /metrics besides the runtime and process ones.
	Metrics []prometheus.Collector
	// Tracer, when it exports (internal/telemetry), gives every request and every GraphQL operation
	// a span; nil traces nothing.
	Tracer trace.TracerProvider
	// Reporter, when set, hears of panics and INTERNAL errors (internal/sentry); nil reports nothing.
	Reporter ErrorReporter
}

// New returns the HTTP handler of the CareQueue binary. It panics when a required dependency is
// missing: that is a wiring mistake, found at startup.
func New(cfg Config, deps Deps) http.Handler {
	if deps.Schema == nil || deps.Viewer == nil || deps.Ready == nil {
		panic("server: Deps.Schema, Deps.Viewer and Deps.Ready are required")
	}
	cfg = withDefaults(cfg)
	exts := make([]graphql.HandlerExtension, 0, len(deps.Extensions))
	for _, e := range deps.Extensions {
		ext, ok := e.(graphql.HandlerExtension)
		if !ok {
			panic(fmt.Sprintf("server: Deps.Extensions: %T is not a graphql.HandlerExtension", e))
		}
		exts = append(exts, ext)
	}
	log := deps.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}

	tracer := telemetry.Tracer(deps.Tracer, tracerName)
	rejected := newRejectedTokens()
	docs := newTrustedDocuments(deps.TrustedDocuments, cfg.Documents, log)
	// Before the limits: they read the document a hash stands for.
	exts = append([]graphql.HandlerExtension{docs}, exts...)
	sockets := deps.Sockets
	if sockets == nil {
		sockets = NewSockets()
	}
	// A re-check of an open socket is not a client presenting a token: it is not counted or audited.
	sockets.viewer, sockets.log = deps.Viewer, log

	admission := deps.Admission
	if admission == nil {
		admission = NewAdmission(0)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", healthz)
	mux.Handle("/readyz", readyz(deps.Ready, admission, log))
	httpm := newHTTPMetrics(mux)
	gqlm := newGraphQLMetrics()
	fan := newFanout(deps.Unshared)
	own := slices.Concat([]prometheus.Collector{rejected, docs.untrusted, newReadyGauge(deps.Ready)}, httpm.collectors(), admission.collectors(), gqlm.collectors(), fan.collectors())
	mux.Handle("/metrics", newMetrics(cfg, append(own, deps.Metrics...)...))
	mux.Handle("/debug/pprof/", newPprof())
	// The association files (applinks.go): public, so no auth; registered even when empty, so a
	// missing file is a plain 404 rather than whatever the web app would answer.
	for pattern, h := range appLinkRoutes(cfg.AppLinks) {
		mux.Handle(pattern, h)
	}
	// The web app (spa.go): every path no other pattern claims; public files, so no auth.
	mux.Handle("/", webApp(cfg.WebErrorReports))

	// Everything else is behind the body cap and authentication; the probes stay outside so a
	// load balancer never sees a 401.
	gated := http.NewServeMux()
	check := checkTokens(deps.Viewer, deps.TokenRejected, rejected)
	gated.Handle("/graphql", newGraphQL(cfg, deps.Schema, check, sockets, admission, deps.SharedSockets, deps.Lists, exts, fan, tracer, gqlm, log))
	page := graphiql.Handler(graphiql.Options{Endpoint: "/graphql", SubscriptionEndpoint: "/graphql"})
	gated.Handle("/graphiql", page)
	gated.Handle("/graphiql/", page)
	for pattern, h := range deps.Extra {
		gated.Handle(pattern, h)
	}
	// The deadline starts before the token check, which reads the database (revocation.go): a pool
	// starved by a held lock must cost a request its deadline, not an unbounded wait for a connection.
	// CORS sits outside authentication (a preflight carries no token, and a 401 must be readable by
	// the page that caused it) but inside auditDenied, so a foreign origin's refused preflight is
	// recorded like a refused WebSocket Origin.
	origins := newOriginPolicy(cfg.AllowedOrigins)
	authed := limitBody(cfg.MaxBodyBytes, requestDeadline(cfg.RequestTimeout, authenticate(check, cfg.RequestTimeout, log, gated)))
	protected := auditDenied(deps.DeniedRequest, authed)
	mux.Handle("/graphql", auditDenied(deps.DeniedRequest, cors(origins, authed)))
	if deps.OAuthToken != nil {
		mux.Handle("/oauth/token", auditDenied(deps.DeniedRequest, cors(origins,
			limitBody(cfg.MaxBodyBytes, requestDeadline(cfg.RequestTimeout, deps.OAuthToken)))))
	}
	mux.Handle("/graphiql", protected)
	mux.Handle("/graphiql/", protected)
	for pattern := range deps.Extra {
		mux.Handle(pattern, protected)
	}

	for pattern, h := range deps.OwnAuth {
		mux.Handle(pattern, auditDenied(deps.DeniedRequest, limitBody(cfg.MaxBodyBytes, h)))
	}

	var h http.Handler = mux
	h = securityHeaders(h)
	h = strictTransport(isHTTPS(cfg.PublicURL), h)
	h = accessLog(log, httpm, deps.Reporter, h)
	h = traceRequests(tracer, mux, h) // outside the access log, so its line carries the trace id
	h = clientAddress(cfg.TrustProxy, h)
	h = requestID(h)
	return h
}

func withDefaults(cfg Config) Config {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxDepth <= 0 {
		cfg.MaxDepth = DefaultMaxDepth
	}
	if cfg.MaxComplexity <= 0 {
		cfg.MaxComplexity = DefaultMaxComplexity
	}
	if cfg.MaxPageSize <= 0 {
		cfg.MaxPageSize = DefaultMaxPageSize
	}
	if cfg.MaxNodeIDs <= 0 {
		cfg.MaxNodeIDs = DefaultMaxNodeIDs
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.MaxParserTokens <= 0 {
		cfg.MaxParserTokens = DefaultMaxParserTokens
	}
	if cfg.MaxSocketsPerUser <= 0 {
		cfg.MaxSocketsPerUser = DefaultMaxSocketsPerUser
	}
	if cfg.MaxSocketsPerAddress <= 0 {
		cfg.MaxSocketsPerAddress = DefaultMaxSocketsPerAddress
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	return cfg
}
