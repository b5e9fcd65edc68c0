package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// CORS: which pages on other origins may call the API from a browser. Config.AllowedOrigins
// (ALLOWED_ORIGINS) is the list; the same originPolicy decides WebSocket upgrades (ws.go).
const (
	// corsMethods are the API's methods: GraphQL queries over GET, everything over POST.
	corsMethods = "GET, POST, OPTIONS"
	// corsHeaders are the request headers a page may send: the bearer token, JSON or form bodies,
	// and the headers the first-party apps and integrators set (idempotency and request ids).
	corsHeaders = "Authorization, Content-Type, Accept, Idempotency-Key, X-Request-Id"
	// corsExposed lets a page read the request id, to quote it in a support ticket.
	corsExposed = RequestIDHeader
	// corsMaxAge is how long (seconds) a browser may reuse a preflight: ten minutes, so a removed
	// origin stops working soon without a preflight before every request.
	corsMaxAge = 600
)

// cors answers preflights and labels answers for allowed origins. It never sends
// Access-Control-Allow-Credentials: the API authenticates with bearer tokens, not cookies, so a
// foreign page has no ambient credential to borrow. A refused origin gets no CORS header at all (its
// page cannot read the answer) and its preflight a coded 403. Vary: Origin goes on every answer so a
// shared cache never hands one origin's answer to another.
func cors(origins originPolicy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if origin == "" {
			next.ServeHTTP(w, r) // not a browser's cross-origin call: nothing to say
			return
		}
		if !origins.allows(r) {
			if preflight {
				writeError(w, http.StatusForbidden, cqerr.Forbidden, "this origin may not call the API")
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		if preflight {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			h.Set("Access-Control-Allow-Methods", corsMethods)
			h.Set("Access-Control-Allow-Headers", corsHeaders)
			h.Set("Access-Control-Max-Age", strconv.Itoa(corsMaxAge))
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.Set("Access-Control-Expose-Headers", corsExposed)
		next.ServeHTTP(w, r)
	})
}

// hstsValue tells browsers to use https only for two years. No includeSubDomains: a hospital's
// other hosts under the same domain are not ours to force onto https.
const hstsValue = "max-age=63072000"

// strictTransport adds Strict-Transport-Security when the public URL is https (browsers ignore it
// over http anyway, and sending it from a plain-http development server would be a lie).
func strictTransport(on bool, next http.Handler) http.Handler {
	if !on {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", hstsValue)
		next.ServeHTTP(w, r)
	})
}

// isHTTPS reports whether a public URL is served over https.
func isHTTPS(publicURL string) bool {
	return strings.HasPrefix(strings.ToLower(publicURL), "https://")
}
