package main

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestAppLinksFiles: the APP_LINKS_* variables reach the association files phones fetch before they
// open https://<server>/t/<token> in the patient app; without them there is nothing to fetch.
func TestAppLinksFiles(t *testing.T) {
	t.Parallel()
	const fingerprint = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5"
	fetch := func(t *testing.T, s *testServer, method, path string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, s.url+path, nil)
		require.NoError(t, err)
		res, err := http.DefaultTransport.RoundTrip(req) // a redirect would show, not be followed
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res, string(body)
	}

	t.Run("Configured", func(t *testing.T) {
		t.Parallel()
		s := startServerWith(t, store.SQLite, map[string]string{
			"APP_LINKS_ANDROID_PACKAGE": "org.example.queue",
			"APP_LINKS_ANDROID_SHA256":  fingerprint,
			"APP_LINKS_IOS_APP_IDS":     "ABCDE12345.org.carequeue.patient",
		})
		for path, want := range map[string]string{
			"/.well-known/assetlinks.json": `[{"relation":["delegate_permission/common.handle_all_urls"],` +
				`"target":{"namespace":"android_app","package_name":"org.example.queue","sha256_cert_fingerprints":["` + fingerprint + `"]}}]`,
			"/.well-known/apple-app-site-association": `{"applinks":{"details":[{"appIDs":["ABCDE12345.org.carequeue.patient"],` +
				`"components":[{"/":"/t/*","comment":"ticket status links"}]}]}}`,
		} {
			res, body := fetch(t, s, http.MethodGet, path)
			require.Equal(t, http.StatusOK, res.StatusCode, path)
			require.Equal(t, "application/json", res.Header.Get("Content-Type"), path)
			require.Equal(t, "public, max-age=3600", res.Header.Get("Cache-Control"), path)
			require.JSONEq(t, want, body, path)

			res, body = fetch(t, s, http.MethodHead, path)
			require.Equal(t, http.StatusOK, res.StatusCode, path)
			require.Empty(t, body, path)
		}
	})

	t.Run("NotConfigured", func(t *testing.T) {
		t.Parallel()
		s := startServer(t, store.SQLite)
		for _, path := range []string{"/.well-known/assetlinks.json", "/.well-known/apple-app-site-association"} {
			res, _ := fetch(t, s, http.MethodGet, path)
			require.Equal(t, http.StatusNotFound, res.StatusCode, path)
		}
	})
}
