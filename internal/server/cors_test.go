package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/server"
)

// TestCORS walks allowed, refused and missing origins through preflights and actual requests on
// /graphql (POST and GET) and /oauth/token.
func TestCORS(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var denied []string
	f := newFixture(t, server.Config{AllowedOrigins: []string{"https://ehr.example.org", "http://localhost:5173"}},
		func(d *server.Deps) {
			d.OAuthToken = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"access_token":"x"}`))
			})
			d.DeniedRequest = func(_ context.Context, method, path string, status int) {
				mu.Lock()
				defer mu.Unlock()
				denied = append(denied, method+" "+path)
			}
		})

	const allowed, foreign = "https://ehr.example.org", "https://evil.example.com"
	getQuery := func() *http.Request {
		return httptest.NewRequest(http.MethodGet, "/graphql?query=%7Bwhoami%7D", nil)
	}
	tokenPost := func() *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader("grant_type=client_credentials"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	preflight := func(path string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest(http.MethodOptions, path, nil)
			r.Header.Set("Access-Control-Request-Method", "POST")
			r.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
			return r
		}
	}
	for _, tc := range []struct {
		name    string
		req     func() *http.Request
		origin  string
		status  int
		allowed bool // Access-Control-Allow-Origin echoes the origin
	}{
		{"PreflightGraphQLAllowed", preflight("/graphql"), allowed, http.StatusNoContent, true},
		{"PreflightGraphQLSecondOriginAllowed", preflight("/graphql"), "http://localhost:5173", http.StatusNoContent, true},
		{"PreflightTokenAllowed", preflight("/oauth/token"), allowed, http.StatusNoContent, true},
		{"PreflightGraphQLForeign", preflight("/graphql"), foreign, http.StatusForbidden, false},
		{"PreflightTokenForeign", preflight("/oauth/token"), foreign, http.StatusForbidden, false},
		{"PreflightOriginWithOtherPortForeign", preflight("/graphql"), "https://ehr.example.org:8443", http.StatusForbidden, false},
		{"PreflightNullOriginForeign", preflight("/graphql"), "null", http.StatusForbidden, false},
		{"PreflightGarbageOriginForeign", preflight("/graphql"), "::not a url", http.StatusForbidden, false},
		{"PostAllowed", func() *http.Request { return graphqlPost("{ whoami }") }, allowed, http.StatusOK, true},
		{"GetAllowed", getQuery, allowed, http.StatusOK, true},
		{"TokenAllowed", tokenPost, allowed, http.StatusOK, true},
		{"RefusalStillReadableByAllowedOrigin", func() *http.Request {
			return graphqlPost("{ whoami }", "Authorization", "Bearer nope")
		}, allowed, http.StatusUnauthorized, true},
		// A refused origin's actual request is answered (a non-browser could send it anyway) but
		// without CORS headers, so the foreign page cannot read it.
		{"PostForeign", func() *http.Request { return graphqlPost("{ whoami }") }, foreign, http.StatusOK, false},
		{"GetForeign", getQuery, foreign, http.StatusOK, false},
		{"TokenForeign", tokenPost, foreign, http.StatusOK, false},
		{"PostNoOrigin", func() *http.Request { return graphqlPost("{ whoami }") }, "", http.StatusOK, false},
		{"TokenNoOrigin", tokenPost, "", http.StatusOK, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tc.req()
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			rec, resp := f.do(t, r)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			h := rec.Header()
			require.Contains(t, h.Values("Vary"), "Origin")
			require.Empty(t, h.Get("Access-Control-Allow-Credentials"))
			if !tc.allowed {
				for k := range h {
					require.False(t, strings.HasPrefix(k, "Access-Control-"), "refused origin got %s", k)
				}
				if tc.status == http.StatusForbidden {
					require.Equal(t, "FORBIDDEN", firstCode(t, resp))
				}
				return
			}
			require.Equal(t, tc.origin, h.Get("Access-Control-Allow-Origin"))
			if r.Method == http.MethodOptions {
				require.Empty(t, rec.Body.String())
				require.Equal(t, "GET, POST, OPTIONS", h.Get("Access-Control-Allow-Methods"))
				for _, want := range []string{"Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"} {
					require.Contains(t, h.Get("Access-Control-Allow-Headers"), want)
				}
				require.Equal(t, "600", h.Get("Access-Control-Max-Age"))
			} else {
				require.Equal(t, "X-Request-Id", h.Get("Access-Control-Expose-Headers"))
			}
		})
	}
	t.Run("ForeignPreflightIsRecorded", func(t *testing.T) {
		t.Parallel()
		r := preflight("/graphql")()
		r.Header.Set("Origin", "https://recorded.example.com")
		rec, _ := f.do(t, r)
		require.Equal(t, http.StatusForbidden, rec.Code)
		mu.Lock()
		defer mu.Unlock()
		require.Contains(t, denied, "OPTIONS /graphql")
	})
	t.Run("PlainOptionsWithoutOriginIsNotAPreflight", func(t *testing.T) {
		t.Parallel()
		rec, _ := f.do(t, httptest.NewRequest(http.MethodOptions, "/graphql", nil))
		require.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
		require.NotEqual(t, http.StatusForbidden, rec.Code)
	})
}

func TestCORSWildcardInDevelopment(t *testing.T) {
	t.Parallel()
	f := newFixture(t, server.Config{Development: true, AllowedOrigins: []string{"*"}})
	r := graphqlPost("{ whoami }")
	r.Header.Set("Origin", "http://anything.test:3000")
	rec, _ := f.do(t, r)
	require.Equal(t, http.StatusOK, rec.Code)
	// The exact origin, never "*": the answer names who may read it.
	require.Equal(t, "http://anything.test:3000", rec.Header().Get("Access-Control-Allow-Origin"))
}

func TestStrictTransportSecurity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		publicURL string
		want      string
	}{
		{"https://queue.example.org", "max-age=63072000"},
		{"HTTPS://queue.example.org", "max-age=63072000"},
		{"http://localhost:8080", ""},
		{"", ""},
	} {
		t.Run(tc.publicURL, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, server.Config{PublicURL: tc.publicURL})
			for _, r := range []*http.Request{graphqlPost("{ whoami }"), httptest.NewRequest(http.MethodGet, "/healthz", nil)} {
				rec, _ := f.do(t, r)
				require.Equal(t, tc.want, rec.Header().Get("Strict-Transport-Security"))
			}
		})
	}
}
