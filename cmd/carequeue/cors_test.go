package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestCORSEndToEnd: ALLOWED_ORIGINS reaches the real binary's /graphql, and an https PUBLIC_URL
// turns HSTS on.
func TestCORSEndToEnd(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, map[string]string{
			"PUBLIC_URL": "https://queue.example.org", "ALLOWED_ORIGINS": "https://ehr.example.org",
		})
		do := func(method, origin string) *http.Response {
			req, err := http.NewRequest(method, s.url+"/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Origin", origin)
			if method == http.MethodOptions {
				req.Header.Set("Access-Control-Request-Method", "POST")
				req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
			}
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			require.NoError(t, res.Body.Close())
			return res
		}

		res := do(http.MethodOptions, "https://ehr.example.org")
		require.Equal(t, http.StatusNoContent, res.StatusCode)
		require.Equal(t, "https://ehr.example.org", res.Header.Get("Access-Control-Allow-Origin"))
		require.Contains(t, res.Header.Get("Access-Control-Allow-Headers"), "Authorization")
		require.Equal(t, "max-age=63072000", res.Header.Get("Strict-Transport-Security"))

		res = do(http.MethodPost, "https://ehr.example.org")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Equal(t, "https://ehr.example.org", res.Header.Get("Access-Control-Allow-Origin"))
		require.Contains(t, res.Header.Values("Vary"), "Origin")

		res = do(http.MethodOptions, "https://evil.example.com")
		require.Equal(t, http.StatusForbidden, res.StatusCode)
		require.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))

		res = do(http.MethodPost, "https://evil.example.com")
		require.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
	})
}
