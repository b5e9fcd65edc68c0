package server

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// RequestIDHeader carries the request id in both directions.
const RequestIDHeader = "X-Request-Id"

const maxRequestIDLen = 64

// requestID keeps a caller's id when it is safe to log and echo (so a proxy's id ties its logs to
// ours), and mints one otherwise.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !validRequestID(id) {
			id = rand.Text()
		}
		w.Header().Set(RequestIDHeader, id)
		req := audit.RequestFrom(r.Context())
		req.ID = id
		next.ServeHTTP(w, r.WithContext(audit.WithRequest(r.Context(), req)))
	})
}

func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

// clientAddress records who is calling, for the audit log.
func clientAddress(trustProxy bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := audit.RequestFrom(r.Context())
		req.Address = remoteAddress(r, trustProxy)
		next.ServeHTTP(w, r.WithContext(audit.WithRequest(r.Context(), req)))
	})
}

func remoteAddress(r *http.Request, trustProxy bool) string {
	if trustProxy {
		// Only the last entry was written by our proxy; everything before it is whatever the
		// client chose to send.
		if values := r.Header.Values("X-Forwarded-For"); len(values) > 0 {
			entries := strings.Split(values[len(values)-1], ",")
			if addr, err := netip.ParseAddr(strings.TrimSpace(entries[len(entries)-1])); err == nil {
				return addr.Unmap().String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// accessLog writes one line per request. It logs the path only: query strings and bodies can carry
// patient data and tokens. It also turns a handler's panic into a logged and reported 500, and hands rep
// to the handlers' context, for the errors they answer INTERNAL (reportInternal).
func accessLog(log *slog.Logger, metrics *httpMetrics, rep ErrorReporter, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		id := audit.RequestFrom(r.Context()).ID
		defer func() {
			if p := recover(); p != nil {
				if err, ok := p.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(p)
				}
				log.ErrorContext(r.Context(), "panic serving request", "request_id", id,
					"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if rep != nil {
					rep.ReportPanic(r.Context(), p)
				}
				if rec.status == 0 {
					writeError(rec, http.StatusInternalServerError, cqerr.Internal, "internal error")
				}
			}
			level := slog.LevelInfo
			if rec.status >= 500 {
				level = slog.LevelWarn
			}
			took := time.Since(start)
			log.Log(r.Context(), level, "http request", "method", r.Method, "path", r.URL.Path,
				"status", rec.statusOrOK(), "duration", took, "request_id", id)
			if metrics != nil {
				metrics.observe(r, rec.statusOrOK(), took)
			}
		}()
		next.ServeHTTP(rec, r.WithContext(withReporter(r.Context(), rep)))
	})
}

// statusRecorder remembers the status code; it passes Hijack and Flush through so WebSocket upgrades
// and streaming still work behind it.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(s.ResponseWriter).Hijack()
	if err == nil && s.status == 0 {
		s.status = http.StatusSwitchingProtocols
	}
	return conn, rw, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusRecorder) statusOrOK() int {
	if s.status == 0 {
		return http.StatusOK
	}
	return s.status
}

// securityHeaders sets safe defaults; handlers that need others (GraphiQL's CSP) set their own.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses a declared oversized body at once and caps the rest while they are read; the
// GraphQL handler reads its body up front so an undeclared (chunked) overflow is a 413 as well.
func limitBody(maxBytes int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxBytes {
			writeBodyTooLarge(w, maxBytes)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, maxBytes)
		}
		next.ServeHTTP(w, r)
	})
}

func writeBodyTooLarge(w http.ResponseWriter, maxBytes int64) {
	writeError(w, http.StatusRequestEntityTooLarge, cqerr.BadUserInput,
		fmt.Sprintf("request body is larger than %d bytes", maxBytes))
}

// authenticate puts the bearer token's viewer in the context. No header means anonymous; a header
// that does not check out is a 401 rather than anonymous, so clients know to refresh the token. The
// check reads the database, so it gives up after timeout even where no request deadline is set (a
// WebSocket upgrade): UNAVAILABLE, not a wait as long as the database's.
func authenticate(viewer tokenChecker, timeout time.Duration, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" {
			next.ServeHTTP(w, r)
			return
		}
		token, problem := bearerToken(header, true)
		if problem != "" {
			unauthorized(w, problem)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		v, err := viewer(ctx, token)
		cancel()
		if err != nil {
			writeCodedError(w, r, log, err, 0)
			return
		}
		noteViewer(r.Context(), v)
		next.ServeHTTP(w, r.WithContext(auth.NewContext(r.Context(), v)))
	})
}

// bearerToken takes the access token out of an Authorization value. HTTP requires the "Bearer" scheme;
// a graphql-ws connection_init may carry the bare token too (schemeOptional). An empty token gets a
// message of its own (short enough for a WebSocket close reason, at most 123 bytes): a tool that
// pre-fills "Bearer " is the usual cause, and "must be Bearer" would not tell the person what to change.
func bearerToken(value string, schemeRequired bool) (token, problem string) {
	value = strings.TrimSpace(value)
	scheme, rest, hasScheme := strings.Cut(value, " ")
	switch {
	case strings.EqualFold(value, "Bearer") || hasScheme && strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(rest) == "":
		return "", `"Bearer" with no token: send "Bearer <access token>", or no Authorization to call signed out`
	case hasScheme && strings.EqualFold(scheme, "Bearer"):
		return strings.TrimSpace(rest), ""
	case schemeRequired || hasScheme:
		return "", `the Authorization header must be "Bearer <access token>"`
	}
	return value, ""
}

func unauthorized(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	writeError(w, http.StatusUnauthorized, cqerr.Unauthenticated, msg)
}

// writeError answers with a GraphQL-shaped error body, so clients parse every failure one way.
func writeError(w http.ResponseWriter, status int, code cqerr.Code, msg string) {
	writeFieldError(w, status, code, msg, "")
}

// writeFieldError is writeError naming the input field at fault (extensions.field) when there is one.
func writeFieldError(w http.ResponseWriter, status int, code cqerr.Code, msg, field string) {
	type gqlErr struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
	ext := map[string]any{"code": string(code)}
	if field != "" {
		ext["field"] = field
	}
	body, _ := json.Marshal(struct {
		Errors []gqlErr `json:"errors"`
	}{[]gqlErr{{Message: msg, Extensions: ext}}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// isBodyTooLarge reports whether err came from http.MaxBytesReader.
func isBodyTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}
