package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
	"go.opentelemetry.io/otel/trace"

	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

const queryCacheSize = 1000

// graphqlHandler fronts gqlgen with the checks gqlgen leaves to us: the WebSocket Origin (before any
// upgrade), the HTTP methods, and a 413 for bodies over the cap.
type graphqlHandler struct {
	srv     *handler.Server
	origins originPolicy
	maxBody int64
	// sockets per client address and per account on this replica (see wslimits.go)
	addresses, users *socketCounts
	sockets          *Sockets
	admission        *Admission
	metrics          *graphqlMetrics
	log              *slog.Logger
}

func newGraphQL(cfg Config, schema graphql.ExecutableSchema, viewer tokenChecker, sockets *Sockets, admission *Admission, shared SocketCounter, lists map[string]ListSize, exts []graphql.HandlerExtension, fan *fanout, tracer trace.Tracer, metrics *graphqlMetrics, log *slog.Logger) http.Handler {
	origins := newOriginPolicy(cfg.AllowedOrigins)
	users := newSocketCounts(cfg.MaxSocketsPerUser, shared, log)
	readLimit := int64(wsReadLimit)

	srv := handler.New(schema)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	gorilla, initFunc := newGorillaWebsocket(origins), wsInit(viewer, users, sockets, log)
	// graphql-transport-ws on the lean transport (wstransport.go); gqlgen's serves the legacy graphql-ws.
	lean := *gorilla
	// Its own small read buffer: the connection outlives the request, so net/http's 4 KiB one goes.
	lean.upgrader.ReadBufferSize = leanReadBufferSize
	srv.AddTransport(leanWebsocket{ws: &lean, init: initFunc, log: log})
	srv.AddTransport(transport.Websocket{
		Implementation: gorilla,
		InitFunc:       gqlgenInit(initFunc),
		InitTimeout:    wsInitTimeout,
		// graphql-transport-ws liveness is WebSocket pings from the adapter (see gorillaConn.keepAlive);
		// the legacy protocol still gets its "ka" messages.
		KeepAlivePingInterval: wsPingInterval,
		PayloadReadLimit:      &readLimit,
		ErrorFunc: func(ctx context.Context, err error) {
			log.DebugContext(ctx, "websocket error", "error", err)
		},
	})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](queryCacheSize))
	srv.SetParserTokenLimit(cfg.MaxParserTokens)
	srv.SetDisableSuggestion(!cfg.Development)
	if !cfg.Development {
		srv.SetValidationRulesFn(rulesWithoutSuggestions)
	}
	srv.SetErrorPresenter(NewErrorPresenter(log))
	srv.SetRecoverFunc(NewRecoverFunc(log))
	if tracer != nil {
		srv.Use(operationTracing{tracer: tracer}) // first: the other interceptors' work is inside its span
	}
	// Next, so an operation's time covers every other extension's.
	srv.Use(metrics)
	// Cheapest first: depth is a walk, bounds also read arguments and variables.
	srv.Use(DepthLimit{Max: cfg.MaxDepth})
	srv.Use(Bounds{MaxComplexity: cfg.MaxComplexity, MaxPageSize: cfg.MaxPageSize, MaxIDs: cfg.MaxNodeIDs, Lists: lists})
	srv.Use(ResponseCeiling{Max: cfg.MaxResponseBytes, Log: log})
	srv.Use(IntrospectionGate{Development: cfg.Development})
	for _, e := range exts {
		srv.Use(e)
	}
	srv.Use(SubscriptionLimit{}) // after every other mutator (see its doc)
	srv.Use(fan)                 // the last operation interceptor (see fanout)
	srv.Use(operationDeadline{timeout: cfg.RequestTimeout})
	srv.Use(unavailableStatus{})

	return &graphqlHandler{srv: srv, origins: origins, maxBody: cfg.MaxBodyBytes,
		addresses: newSocketCounts(cfg.MaxSocketsPerAddress, nil, log), users: users, sockets: sockets, admission: admission, metrics: metrics, log: log}
}

func (h *graphqlHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Upgrade") != "" {
		if !websocket.IsWebSocketUpgrade(r) {
			writeError(w, http.StatusBadRequest, cqerr.BadUserInput, "only WebSocket upgrades are supported")
			return
		}
		if !h.origins.allows(r) {
			writeError(w, http.StatusForbidden, cqerr.Forbidden, "this origin may not open a WebSocket")
			return
		}
		h.serveWebSocket(w, r)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodOptions, http.MethodHead:
	case http.MethodPost:
		// gqlgen reads the whole body anyway; reading it here lets an overflow be a 413 instead
		// of a 200 carrying a read error.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			if isBodyTooLarge(err) {
				writeBodyTooLarge(w, h.maxBody)
			} else {
				writeError(w, http.StatusBadRequest, cqerr.BadUserInput, "could not read the request body")
			}
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		writeError(w, http.StatusMethodNotAllowed, cqerr.BadUserInput, "use GET for queries or POST")
		return
	}
	w, r = withUnavailableStatus(w, r)
	h.srv.ServeHTTP(w, r) // under the request deadline (requestDeadline in New)
}

// serveWebSocket runs one WebSocket connection (gqlgen returns when it ends) within the process's
// connection cap (Admission, checked first and cheaply: it is what protects the probes) and the
// per-address and per-account socket caps.
func (h *graphqlHandler) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	c := newWSConn()
	if reason := h.admission.admit(c); reason != "" {
		h.log.DebugContext(r.Context(), "websocket refused", "reason", reason, "max", h.admission.Max())
		refuseUpgrade(w, reason)
		return
	}
	addr := audit.RequestFrom(r.Context()).Address
	unaddr, ok := h.addresses.acquire(r.Context(), addr)
	if !ok {
		h.admission.leave(c)
		h.admission.countRefusal(RefusedPerAddress)
		h.log.WarnContext(r.Context(), "websocket refused: too many sockets from one address", "address", addr, "max", h.addresses.max)
		writeError(w, http.StatusTooManyRequests, cqerr.RateLimited, "too many connections from this address")
		return
	}
	c.end = func() {
		if c.expire != nil {
			c.expire()
		}
		if c.sock != nil {
			c.sock.finish()
		}
		if c.user != "" {
			h.sockets.remove(c)
			c.unuser()
		}
		unaddr()
		// Last: Admission.Wait returns only once the counts above are released.
		h.admission.leave(c)
	}
	defer func() {
		if !c.detached { // else the connection's own goroutine ends it (leanWebsocket)
			c.end()
		}
	}()
	h.srv.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), wsConnKey{}, c)))
}

// IntrospectionGate turns introspection on per operation: in development for everyone, otherwise
// only for an ADMIN viewer. The schema is not a secret in an open-source project, but a production
// API that maps itself for anonymous callers hands attackers a free inventory.
type IntrospectionGate struct {
	Development bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = IntrospectionGate{}

func (IntrospectionGate) ExtensionName() string                   { return "CareQueueIntrospectionGate" }
func (IntrospectionGate) Validate(graphql.ExecutableSchema) error { return nil }

func (g IntrospectionGate) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	v, ok := auth.FromContext(ctx)
	rc.DisableIntrospection = !g.Development && (!ok || v.Role != auth.RoleAdmin)
	return nil
}

// rulesWithoutSuggestions is gqlparser's default validation with every rule that answers a mistake with
// "Did you mean …" swapped for its silent twin. gqlgen's SetDisableSuggestion silences only field
// names; argument names, enum values, input fields and type names would still spell out, one guess at a
// time, the schema that introspection hides outside development.
func rulesWithoutSuggestions() *rules.Rules {
	r := rules.NewDefaultRules()
	for _, silent := range []core.Rule{
		rules.KnownArgumentNamesRuleWithoutSuggestions,
		rules.KnownTypeNamesRuleWithoutSuggestions,
		rules.ValuesOfCorrectTypeRuleWithoutSuggestions,
	} {
		r.ReplaceRule(strings.TrimSuffix(silent.Name, "WithoutSuggestions"), silent.RuleFunc)
	}
	return r
}
