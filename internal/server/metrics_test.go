package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/server"
)

func TestMetrics(t *testing.T) {
	t.Parallel()
	private := newFixture(t, server.Config{})
	public := newFixture(t, server.Config{MetricsPublic: true})
	scrape := func(f fixture, peer string, headers ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		r.RemoteAddr = peer
		for i := 0; i+1 < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		rec, _ := f.do(t, r)
		return rec
	}

	t.Run("ServesRuntimeAndProcessMetricsToLoopback", func(t *testing.T) {
		t.Parallel()
		for _, peer := range []string{"127.0.0.1:4000", "[::1]:4000"} {
			rec := scrape(private, peer)
			require.Equal(t, http.StatusOK, rec.Code, peer)
			require.Contains(t, rec.Header().Get("Content-Type"), "text/plain")
			body := rec.Body.String()
			for _, name := range []string{
				"go_goroutines ", "go_memstats_heap_inuse_bytes ", "go_memstats_stack_inuse_bytes ",
				"go_memstats_heap_objects ", "go_gc_heap_live_bytes ", "process_resident_memory_bytes ",
				"process_open_fds ",
			} {
				require.Contains(t, body, "\n"+name, "missing %s", name)
			}
		}
	})
	t.Run("RefusesRemotePeers", func(t *testing.T) {
		t.Parallel()
		rec := scrape(private, "203.0.113.9:4000")
		require.Equal(t, http.StatusForbidden, rec.Code)
		require.NotContains(t, rec.Body.String(), "go_goroutines")
	})
	t.Run("RefusesRequestsRelayedByALocalProxy", func(t *testing.T) {
		t.Parallel()
		for _, h := range []string{"X-Forwarded-For", "Forwarded", "X-Real-Ip"} {
			require.Equal(t, http.StatusForbidden, scrape(private, "127.0.0.1:4000", h, "203.0.113.9").Code, h)
		}
	})
	t.Run("MetricsPublicServesAnyPeer", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, http.StatusOK, scrape(public, "203.0.113.9:4000").Code)
	})
	t.Run("NeedsNoToken", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, http.StatusOK, scrape(private, "127.0.0.1:4000", "Authorization", "Bearer expired").Code)
	})
	t.Run("ServesTheApplicationsCollectors", func(t *testing.T) {
		t.Parallel()
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "carequeue_test_things", Help: "Things."}, []string{"kind"})
		g.WithLabelValues("a").Set(3)
		f := newFixture(t, server.Config{}, func(d *server.Deps) { d.Metrics = []prometheus.Collector{g} })
		rec := scrape(f, "127.0.0.1:4000")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Contains(t, rec.Body.String(), "\ncarequeue_test_things{kind=\"a\"} 3\n")
		require.NotContains(t, scrape(private, "127.0.0.1:4000").Body.String(), "carequeue_test_things")
	})
	t.Run("TokenOpensThePublicPortToItsHolderOnly", func(t *testing.T) {
		t.Parallel()
		const token = "scrape-0123456789abcdef"
		f := newFixture(t, server.Config{MetricsToken: token})
		require.Equal(t, http.StatusOK, scrape(f, "203.0.113.9:4000", "Authorization", "Bearer "+token).Code)
		for _, h := range []string{"", "Bearer ", "Bearer wrong", "bearer " + token, "Basic " + token, "Bearer " + token + "x"} {
			rec := scrape(f, "203.0.113.9:4000", "Authorization", h)
			require.Equal(t, http.StatusForbidden, rec.Code, "%q", h)
			require.NotContains(t, rec.Body.String(), "go_goroutines")
		}
		require.Equal(t, http.StatusOK, scrape(f, "127.0.0.1:4000").Code, "a local scraper still needs none")
	})
	t.Run("MetricsListenerServesAnyPeerAndNothingElse", func(t *testing.T) {
		t.Parallel()
		get := func(h http.Handler, path, peer string, headers ...string) *httptest.ResponseRecorder {
			r := httptest.NewRequest(http.MethodGet, path, nil)
			r.RemoteAddr = peer
			for i := 0; i+1 < len(headers); i += 2 {
				r.Header.Set(headers[i], headers[i+1])
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			return rec
		}
		l := server.MetricsListener(private.handler)
		rec := get(l, "/metrics", "10.1.2.3:4000", "X-Forwarded-For", "203.0.113.9")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Contains(t, rec.Body.String(), "\ngo_goroutines ")
		for _, path := range []string{"/graphql", "/healthz", "/debug/pprof/", "/", "/metrics/x"} {
			require.Equal(t, http.StatusNotFound, get(l, path, "127.0.0.1:4000").Code, path)
		}
		// With a token, the listener asks for it too.
		const token = "scrape-0123456789abcdef"
		lt := server.MetricsListener(newFixture(t, server.Config{MetricsToken: token}).handler)
		require.Equal(t, http.StatusForbidden, get(lt, "/metrics", "10.1.2.3:4000").Code)
		require.Equal(t, http.StatusOK, get(lt, "/metrics", "10.1.2.3:4000", "Authorization", "Bearer "+token).Code)
	})
	t.Run("CountsRequestsByRouteNeverByPath", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, server.Config{})
		for _, path := range []string{"/healthz", "/healthz", "/readyz", "/some/patient-name-in-a-path", "/graphiql"} {
			r := httptest.NewRequest(http.MethodGet, path, nil)
			r.RemoteAddr = "203.0.113.9:4000"
			f.do(t, r)
		}
		body := scrape(f, "127.0.0.1:4000").Body.String()
		require.Contains(t, body, "\ncarequeue_http_requests_total{code=\"200\",route=\"/healthz\"} 2\n")
		require.Contains(t, body, "\ncarequeue_http_requests_total{code=\"200\",route=\"/readyz\"} 1\n")
		require.Contains(t, body, "\ncarequeue_http_requests_total{code=\"200\",route=\"/graphiql\"} 1\n")
		require.Contains(t, body, `route="/"`, "an unknown path counts as the web app's route")
		require.NotContains(t, body, "patient-name-in-a-path", "a client's path never becomes a label")
		require.Contains(t, body, "\ncarequeue_http_request_duration_seconds_count{route=\"/healthz\"} 2\n")
		require.Contains(t, body, "\ngo_build_info{")
	})
	t.Run("OnlyReads", func(t *testing.T) {
		t.Parallel()
		r := httptest.NewRequest(http.MethodPost, "/metrics", nil)
		r.RemoteAddr = "127.0.0.1:4000"
		rec, _ := private.do(t, r)
		require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	})
}
