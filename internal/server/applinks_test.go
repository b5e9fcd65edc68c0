package server_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/server"
)

const (
	testFingerprintA = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5"
	testFingerprintB = "FA:C6:17:45:DC:09:03:78:6F:B9:ED:E6:2A:96:2B:39:9F:73:48:F0:BB:6F:89:9B:83:32:66:75:91:03:3B:9C"
)

// request serves one request without a body and without reading the answer as GraphQL.
func (f fixture) request(method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestAppLinks(t *testing.T) {
	t.Parallel()
	// The routes hold no state, so the subtests share two servers.
	configured := newFixture(t, server.Config{AppLinks: server.AppLinks{
		AndroidPackage: "org.carequeue.patient",
		AndroidSHA256:  []string{testFingerprintA, testFingerprintB},
		IOSAppIDs:      []string{"ABCDE12345.org.carequeue.patient", "9Z8Y7X6W5V.org.carequeue.patient"},
	}})
	// What the binary passes when no variable is set: the default package, nothing else.
	unconfigured := newFixture(t, server.Config{AppLinks: server.AppLinks{AndroidPackage: "org.carequeue.patient"}})
	files := []struct {
		name, path, want string
	}{
		{"AssetLinks", "/.well-known/assetlinks.json", `[{
			"relation": ["delegate_permission/common.handle_all_urls"],
			"target": {"namespace": "android_app", "package_name": "org.carequeue.patient",
				"sha256_cert_fingerprints": ["` + testFingerprintA + `", "` + testFingerprintB + `"]}
		}]`},
		{"AppleAppSiteAssociation", "/.well-known/apple-app-site-association", `{"applinks": {"details": [{
			"appIDs": ["ABCDE12345.org.carequeue.patient", "9Z8Y7X6W5V.org.carequeue.patient"],
			"components": [{"/": "/t/*", "comment": "ticket status links"}]
		}]}}`},
	}
	for _, file := range files {
		t.Run(file.name, func(t *testing.T) {
			t.Parallel()

			t.Run("ServesTheFileAsCacheableJSON", func(t *testing.T) {
				t.Parallel()
				rec := configured.request(http.MethodGet, file.path)
				require.Equal(t, http.StatusOK, rec.Code)
				require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
				require.Equal(t, "public, max-age=3600", rec.Header().Get("Cache-Control"))
				require.Empty(t, rec.Header().Get("Content-Security-Policy"), "not the web app's index page")
				require.JSONEq(t, file.want, rec.Body.String())
			})

			t.Run("HeadSendsHeadersOnly", func(t *testing.T) {
				t.Parallel()
				get := configured.request(http.MethodGet, file.path)
				rec := configured.request(http.MethodHead, file.path)
				require.Equal(t, http.StatusOK, rec.Code)
				require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
				require.Equal(t, strconv.Itoa(get.Body.Len()), rec.Header().Get("Content-Length"))
				require.Empty(t, rec.Body.String())
			})

			t.Run("NotFoundWhenNotConfigured", func(t *testing.T) {
				t.Parallel()
				for _, method := range []string{http.MethodGet, http.MethodHead} {
					rec := unconfigured.request(method, file.path)
					require.Equal(t, http.StatusNotFound, rec.Code, method)
					require.NotContains(t, rec.Header().Get("Content-Type"), "html", method)
					require.NotContains(t, rec.Body.String(), "<!doctype html>", method)
				}
			})

			t.Run("RefusesOtherMethods", func(t *testing.T) {
				t.Parallel()
				rec := configured.request(http.MethodPost, file.path)
				require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
				require.Equal(t, "GET, HEAD", rec.Header().Get("Allow"))
			})
		})
	}

	t.Run("EachPlatformIsPublishedOnItsOwn", func(t *testing.T) {
		t.Parallel()
		android := newFixture(t, server.Config{AppLinks: server.AppLinks{AndroidPackage: "org.example.queue", AndroidSHA256: []string{testFingerprintA}}})
		rec := android.request(http.MethodGet, "/.well-known/assetlinks.json")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Contains(t, rec.Body.String(), `"package_name":"org.example.queue"`)
		rec = android.request(http.MethodGet, "/.well-known/apple-app-site-association")
		require.Equal(t, http.StatusNotFound, rec.Code)

		ios := newFixture(t, server.Config{AppLinks: server.AppLinks{IOSAppIDs: []string{"ABCDE12345.org.carequeue.patient"}}})
		rec = ios.request(http.MethodGet, "/.well-known/apple-app-site-association")
		require.Equal(t, http.StatusOK, rec.Code)
		rec = ios.request(http.MethodGet, "/.well-known/assetlinks.json")
		require.Equal(t, http.StatusNotFound, rec.Code)
	})
}
