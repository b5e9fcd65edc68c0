package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/server"
)

type deniedRequest struct {
	viewer       string
	method, path string
	status       int
}

// TestHTTPRefusalsAreRecorded: every 401 and 403 the HTTP layer answers reaches Deps.DeniedRequest,
// with the viewer when one was signed in, and the path without its query string; nothing else does.
func TestHTTPRefusalsAreRecorded(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []deniedRequest
	f := newFixture(t, server.Config{AllowedOrigins: []string{"https://app.example"}}, func(d *server.Deps) {
		d.DeniedRequest = func(ctx context.Context, method, path string, status int) {
			v, _ := auth.FromContext(ctx)
			mu.Lock()
			defer mu.Unlock()
			got = append(got, deniedRequest{string(v.UserID), method, path, status})
		}
		d.Extra = map[string]http.Handler{"/admin.csv": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if v, _ := auth.FromContext(r.Context()); v.Role != auth.RoleAdmin {
				http.Error(w, "admins only", http.StatusForbidden)
			}
		})}
	})
	send := func(r *http.Request) int {
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, r)
		return rec.Code
	}
	require.Equal(t, http.StatusUnauthorized, send(graphqlPost("{ whoami }", "Authorization", "Basic c2VjcmV0")))
	require.Equal(t, http.StatusUnauthorized, send(graphqlPost("{ whoami }", "Authorization", "Bearer forged-secret")))
	staff := httptest.NewRequest(http.MethodGet, "/admin.csv?token=leaked-secret", nil)
	staff.Header.Set("Authorization", "Bearer staff-token")
	require.Equal(t, http.StatusForbidden, send(staff))
	ws := httptest.NewRequest(http.MethodGet, "/graphql", nil)
	for k, v := range map[string]string{"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
		"Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": "https://evil.example"} {
		ws.Header.Set(k, v)
	}
	require.Equal(t, http.StatusForbidden, send(ws))
	// Not refusals: an anonymous query, an admin's report.
	require.Equal(t, http.StatusOK, send(graphqlPost("{ whoami }")))
	admin := httptest.NewRequest(http.MethodGet, "/admin.csv", nil)
	admin.Header.Set("Authorization", "Bearer admin-token")
	require.Equal(t, http.StatusOK, send(admin))

	require.Equal(t, []deniedRequest{
		{"", http.MethodPost, "/graphql", http.StatusUnauthorized},
		{"", http.MethodPost, "/graphql", http.StatusUnauthorized},
		{"US02", http.MethodGet, "/admin.csv", http.StatusForbidden},
		{"", http.MethodGet, "/graphql", http.StatusForbidden},
	}, got)
}
