package server

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

func builtApp(t *testing.T) fstest.MapFS {
	t.Helper()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := zw.Write([]byte("console.log('app')"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return fstest.MapFS{
		".keep":                     {Data: nil},
		"index.html":                {Data: []byte(`<!doctype html><script type="module" src="/assets/index-abc123.js"></script>`)},
		"assets/index-abc123.js":    {Data: []byte("console.log('app')")},
		"assets/index-abc123.js.gz": {Data: gz.Bytes()},
		"assets/index-def456.css":   {Data: []byte("body{}")},
		"favicon.svg":               {Data: []byte("<svg/>")},
	}
}

func get(t *testing.T, h http.Handler, method, target string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestSPA(t *testing.T) {
	t.Parallel()
	h := newSPA(builtApp(t), WebErrorReports{})

	t.Run("ServesIndexAtRootWithCSPAndRevalidation", func(t *testing.T) {
		t.Parallel()
		w := get(t, h, http.MethodGet, "/")
		require.Equal(t, http.StatusOK, w.Code)
		require.Contains(t, w.Body.String(), "/assets/index-abc123.js")
		require.Equal(t, "text/html; charset=utf-8", w.Header().Get("Content-Type"))
		require.Equal(t, "no-cache", w.Header().Get("Cache-Control"))
		require.Equal(t, appCSP, w.Header().Get("Content-Security-Policy"))
		require.NotEmpty(t, w.Header().Get("ETag"))

		again := get(t, h, http.MethodGet, "/", "If-None-Match", w.Header().Get("ETag"))
		require.Equal(t, http.StatusNotModified, again.Code)
	})

	t.Run("FallsBackToIndexForClientRoutes", func(t *testing.T) {
		t.Parallel()
		for _, p := range []string{"/reception", "/board/DP01M8AMAF271MR0G4P4AVJWJ4XH", "/t/di2vu8sI1dLikr0sIS252N_l", "/admin", "/login?next=%2Fclinician"} {
			w := get(t, h, http.MethodGet, p)
			require.Equal(t, http.StatusOK, w.Code, p)
			require.Contains(t, w.Body.String(), "<!doctype html>", p)
			require.Equal(t, "no-cache", w.Header().Get("Cache-Control"), p)
		}
	})

	t.Run("CachesHashedAssetsForever", func(t *testing.T) {
		t.Parallel()
		w := get(t, h, http.MethodGet, "/assets/index-def456.css")
		require.Equal(t, http.StatusOK, w.Code)
		require.Equal(t, "body{}", w.Body.String())
		require.Equal(t, "public, max-age=31536000, immutable", w.Header().Get("Cache-Control"))
		require.Contains(t, w.Header().Get("Content-Type"), "text/css")
	})

	t.Run("SendsGzipToClientsThatAcceptIt", func(t *testing.T) {
		t.Parallel()
		w := get(t, h, http.MethodGet, "/assets/index-abc123.js", "Accept-Encoding", "br, gzip")
		require.Equal(t, http.StatusOK, w.Code)
		require.Equal(t, "gzip", w.Header().Get("Content-Encoding"))
		require.Contains(t, w.Header().Get("Content-Type"), "javascript")
		zr, err := gzip.NewReader(w.Body)
		require.NoError(t, err)
		var plain bytes.Buffer
		_, err = plain.ReadFrom(zr)
		require.NoError(t, err)
		require.Equal(t, "console.log('app')", plain.String())

		identity := get(t, h, http.MethodGet, "/assets/index-abc123.js", "Accept-Encoding", "gzip;q=0")
		require.Empty(t, identity.Header().Get("Content-Encoding"))
		require.Equal(t, "console.log('app')", identity.Body.String())
	})

	t.Run("RevalidatesUnhashedFiles", func(t *testing.T) {
		t.Parallel()
		w := get(t, h, http.MethodGet, "/favicon.svg")
		require.Equal(t, http.StatusOK, w.Code)
		require.Equal(t, "no-cache", w.Header().Get("Cache-Control"))
	})

	t.Run("ErrUnknownAssetIsNotFound", func(t *testing.T) {
		t.Parallel()
		for _, p := range []string{"/assets/index-old999.js", "/assets/gone", "/missing.png", "/.keep", "/assets/.hidden"} {
			w := get(t, h, http.MethodGet, p)
			require.Equal(t, http.StatusNotFound, w.Code, p)
			require.NotContains(t, w.Body.String(), "<!doctype html>", p)
		}
	})

	t.Run("ErrMethodNotAllowed", func(t *testing.T) {
		t.Parallel()
		w := get(t, h, http.MethodPost, "/reception")
		require.Equal(t, http.StatusMethodNotAllowed, w.Code)
		require.Equal(t, "GET, HEAD", w.Header().Get("Allow"))
	})
}

func TestSPANotBuilt(t *testing.T) {
	t.Parallel()
	h := newSPA(fstest.MapFS{}, WebErrorReports{})

	w := get(t, h, http.MethodGet, "/reception")
	require.Equal(t, http.StatusServiceUnavailable, w.Code)
	require.Contains(t, w.Body.String(), "make web")
	require.Equal(t, "no-store", w.Header().Get("Cache-Control"))

	require.Equal(t, http.StatusNotFound, get(t, h, http.MethodGet, "/assets/index-abc123.js").Code)
}

// The web app learns where to report its errors from its page, written at run time: one build serves
// every environment, and the page's CSP lets it reach that Sentry and nothing else.
func TestSPAWebErrorReports(t *testing.T) {
	t.Parallel()
	app := builtApp(t)
	app["index.html"] = &fstest.MapFile{Data: []byte(`<!doctype html><html><head><title>CareQueue</title></head><body></body></html>`)}

	t.Run("WritesDSNReleaseAndEnvironmentIntoTheHead", func(t *testing.T) {
		t.Parallel()
		h := newSPA(app, WebErrorReports{DSN: "https://w3b@o1.ingest.sentry.example.org/43", Environment: "staging", Release: `v1.2.3"<x>`})
		for _, target := range []string{"/", "/reception"} {
			w := get(t, h, http.MethodGet, target)
			require.Equal(t, http.StatusOK, w.Code)
			require.Equal(t, `<!doctype html><html><head><title>CareQueue</title>`+
				`<meta name="sentry-dsn" content="https://w3b@o1.ingest.sentry.example.org/43" />`+
				`<meta name="sentry-environment" content="staging" />`+
				`<meta name="sentry-release" content="v1.2.3&#34;&lt;x&gt;" /></head><body></body></html>`, w.Body.String())
			csp := w.Header().Get("Content-Security-Policy")
			require.Contains(t, csp, "connect-src 'self' https://o1.ingest.sentry.example.org;")
			require.Equal(t, appCSP, strings.Replace(csp, " https://o1.ingest.sentry.example.org", "", 1), "nothing else opened")
		}
	})
	t.Run("WritesNothingWithoutDSN", func(t *testing.T) {
		t.Parallel()
		w := get(t, newSPA(app, WebErrorReports{Environment: "staging", Release: "v1"}), http.MethodGet, "/")
		require.Equal(t, string(app["index.html"].Data), w.Body.String())
		require.Equal(t, appCSP, w.Header().Get("Content-Security-Policy"))
	})
}
