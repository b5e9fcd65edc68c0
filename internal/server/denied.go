package server

import (
	"context"
	"net/http"

	"github.com/carequeue/carequeue/internal/auth"
)

// deniedViewer is where authenticate leaves the viewer it found, for auditDenied, which runs outside it
// and would otherwise name every refused caller anonymous.
type deniedViewer struct {
	v  auth.Viewer
	ok bool
}

type deniedViewerKey struct{}

// noteViewer tells an enclosing auditDenied who the caller is.
func noteViewer(ctx context.Context, v auth.Viewer) {
	if s, _ := ctx.Value(deniedViewerKey{}).(*deniedViewer); s != nil {
		s.v, s.ok = v, true
	}
}

// auditDenied hands every 401 and 403 that next answers to record (the audit log's access.denied),
// after the response: an HTTP-level refusal (a bad or expired token, a refused Origin, a route's own
// role check) that no GraphQL operation saw, so graph.ReadTrail could not record it. record gets the
// method and path, never the query string or headers, which may carry tokens; nil records nothing.
func auditDenied(record func(ctx context.Context, method, path string, status int), next http.Handler) http.Handler {
	if record == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen := &deniedViewer{}
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), deniedViewerKey{}, seen)))
		if rec.status != http.StatusUnauthorized && rec.status != http.StatusForbidden {
			return
		}
		ctx := r.Context()
		if seen.ok {
			ctx = auth.NewContext(ctx, seen.v)
		}
		record(ctx, r.Method, r.URL.Path, rec.status)
	})
}
