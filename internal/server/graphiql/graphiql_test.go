package graphiql_test

import (
	"crypto/sha512"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/server/graphiql"
)

// newServer mounts the handler the way cmd/ is expected to: on the bare path and the subtree.
func newServer(t *testing.T, opts graphiql.Options) *httptest.Server {
	t.Helper()
	h := graphiql.Handler(opts)
	mux := http.NewServeMux()
	mux.Handle("/graphiql", h)
	mux.Handle("/graphiql/", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

var (
	anyRef   = regexp.MustCompile(`(?:src|href)="([^"]*)"`)
	assetRef = regexp.MustCompile(`(?:src|href)="([^"]+)" integrity="([^"]+)"`)
)

func TestHandler(t *testing.T) {
	t.Parallel()
	srv := newServer(t, graphiql.Options{Endpoint: "/graphql", SubscriptionEndpoint: "/graphql"})

	t.Run("ServesPageWithStrictCSP", func(t *testing.T) {
		t.Parallel()
		for _, p := range []string{"/graphiql", "/graphiql/"} {
			resp, body := get(t, srv.URL+p)
			require.Equal(t, http.StatusOK, resp.StatusCode, p)
			require.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
			csp := resp.Header.Get("Content-Security-Policy")
			require.Contains(t, csp, "default-src 'none'")
			require.Contains(t, csp, "script-src 'self';")
			require.Contains(t, csp, "style-src 'self';")
			require.Contains(t, csp, "connect-src 'self';")
			require.NotContains(t, csp, "unsafe-")
			require.Contains(t, body, `data-endpoint="/graphql"`)
			require.Contains(t, body, `data-subscription-endpoint="/graphql"`)
			// An empty "Bearer " pre-filled in the headers editor made every request a 401.
			require.NotContains(t, body, "Bearer")
			require.NotContains(t, body, "data-default-headers")
			require.Contains(t, body, `id="session-state"`)
		}
	})

	t.Run("ReferencesOnlyLocalAssets", func(t *testing.T) {
		t.Parallel()
		_, body := get(t, srv.URL+"/graphiql")
		require.NotRegexp(t, `(?i)(https?:)?//[a-z0-9]`, body)
		require.NotContains(t, body, "<style", "inline styles break the CSP")
		require.Equal(t, strings.Count(body, "<script"), strings.Count(body, "<script src=\"/graphiql/assets/"),
			"every script must be a local file: the CSP forbids inline script")
		require.Len(t, assetRef.FindAllStringSubmatch(body, -1), 6)
		for _, ref := range anyRef.FindAllStringSubmatch(body, -1) {
			local := strings.HasPrefix(ref[1], "/graphiql/assets/") || ref[1] == "data:,"
			require.True(t, local, "%s is not a local asset", ref[1])
		}
	})

	t.Run("ServesEveryReferencedAssetWithItsContentType", func(t *testing.T) {
		t.Parallel()
		_, page := get(t, srv.URL+"/graphiql")
		want := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
		for _, ref := range assetRef.FindAllStringSubmatch(page, -1) {
			resp, body := get(t, srv.URL+ref[1])
			require.Equal(t, http.StatusOK, resp.StatusCode, ref[1])
			name, _, _ := strings.Cut(filepath.Base(ref[1]), "?")
			require.Equal(t, want[filepath.Ext(name)], resp.Header.Get("Content-Type"), ref[1])
			require.Equal(t, "public, max-age=31536000, immutable", resp.Header.Get("Cache-Control"), ref[1])
			sum := sha512.Sum384([]byte(body))
			require.Equal(t, "sha384-"+base64.StdEncoding.EncodeToString(sum[:]), html.UnescapeString(ref[2]),
				"integrity of %s", ref[1])
		}
	})

	t.Run("RevalidatesAssetWithoutCurrentVersion", func(t *testing.T) {
		t.Parallel()
		resp, _ := get(t, srv.URL+"/graphiql/assets/init.js?v=stale")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
	})

	t.Run("GzipsTheBundleWhenAccepted", func(t *testing.T) {
		t.Parallel()
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/graphiql/assets/graphiql.min.js", nil)
		require.NoError(t, err)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
		require.Equal(t, "Accept-Encoding", resp.Header.Get("Vary"))
	})

	t.Run("UnknownAssetIsNotFound", func(t *testing.T) {
		t.Parallel()
		for _, p := range []string{"/graphiql/assets/nope.js", "/graphiql/assets/README.md", "/graphiql/assets/", "/graphiql/other"} {
			resp, _ := get(t, srv.URL+p)
			require.Equal(t, http.StatusNotFound, resp.StatusCode, p)
		}
	})

	t.Run("RejectsOtherMethods", func(t *testing.T) {
		t.Parallel()
		resp, err := http.Post(srv.URL+"/graphiql", "text/plain", strings.NewReader("x"))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
		require.Equal(t, "GET, HEAD", resp.Header.Get("Allow"))
	})
}

func TestHandlerRefusesPathTraversal(t *testing.T) {
	t.Parallel()
	h := graphiql.Handler(graphiql.Options{})
	srv := newServer(t, graphiql.Options{})

	for _, p := range []string{
		"/graphiql/assets/../graphiql.go",
		"/graphiql/assets/..%2fgraphiql.go",
		"/graphiql/assets/%2e%2e/graphiql.go",
		"/graphiql/assets/../../../../go.mod",
		"/graphiql/assets/assets/init.js",
	} {
		t.Run("Direct"+p, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
			require.Equal(t, http.StatusNotFound, rec.Code)
			require.NotContains(t, rec.Body.String(), "package graphiql")
		})
		t.Run("ThroughMux"+p, func(t *testing.T) {
			t.Parallel()
			resp, body := get(t, srv.URL+p)
			require.Equal(t, http.StatusNotFound, resp.StatusCode)
			require.NotContains(t, body, "package graphiql")
			require.NotContains(t, body, "module github.com")
		})
	}
}

func TestHandlerOptions(t *testing.T) {
	t.Parallel()

	t.Run("AllowsAbsoluteEndpointOriginsInCSP", func(t *testing.T) {
		t.Parallel()
		rec := httptest.NewRecorder()
		h := graphiql.Handler(graphiql.Options{
			Path:                 "/admin/ide/",
			Title:                "IDE <b>",
			Endpoint:             "https://api.example.org/graphql",
			SubscriptionEndpoint: "wss://api.example.org/graphql",
		})
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/admin/ide", nil))
		require.Equal(t, http.StatusOK, rec.Code)
		require.Contains(t, rec.Header().Get("Content-Security-Policy"),
			"connect-src 'self' https://api.example.org wss://api.example.org;")
		require.Contains(t, rec.Body.String(), "<title>IDE &lt;b&gt;</title>")
		require.Contains(t, rec.Body.String(), `src="/admin/ide/assets/init.js?v=`)
	})

	for _, tc := range []struct {
		name string
		opts graphiql.Options
	}{
		{"PanicsOnRelativePath", graphiql.Options{Path: "graphiql"}},
		{"PanicsOnRelativeEndpoint", graphiql.Options{Endpoint: "graphql"}},
		{"PanicsOnWebSocketURLForHTTP", graphiql.Options{Endpoint: "ws://h/graphql"}},
		{"PanicsOnHTTPURLForSubscriptions", graphiql.Options{SubscriptionEndpoint: "http://h/graphql"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Panics(t, func() { graphiql.Handler(tc.opts) })
		})
	}
}

func TestAssetsStayUnder4MiB(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir("assets")
	require.NoError(t, err)
	require.NotEmpty(t, entries)
	for _, e := range entries {
		info, err := e.Info()
		require.NoError(t, err)
		require.Less(t, info.Size(), int64(4<<20), e.Name())
	}
}
