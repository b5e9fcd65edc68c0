package server

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metricsTimeout bounds one scrape; the runtime and /proc are read at once, the application's collectors
// (Deps.Metrics) bound their own database reads below it.
const metricsTimeout = 5 * time.Second

// newMetrics serves the process's own metrics in the Prometheus text format: the Go runtime
// (goroutines, go_memstats_* such as heap_inuse, stack_inuse and heap_objects, and the runtime/metrics
// GC and memory classes such as go_gc_heap_live_bytes) and the process (RSS, open file descriptors,
// CPU), which the load tool reads to report memory and goroutines per subscriber, and the application's
// collectors from Deps.Metrics (notifications by channel and status, job queue depth, job latency).
//
// /metrics shares the public port and tells a visitor how loaded the process is, so it is served only
// to a loopback peer that did not come through a proxy (no X-Forwarded-For, Forwarded or X-Real-Ip
// header), unless Config.MetricsPublic says a scraper elsewhere may read it; a proxy in front should
// block the path all the same. Each call builds its own registry, so servers in one process (tests,
// several replicas) never share or collide on collectors.
func newMetrics(cfg Config, extra ...prometheus.Collector) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
			collectors.MetricsGC, collectors.MetricsMemory)),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		// go_build_info{path,version,checksum}: which build a replica runs, for dashboards and rollouts.
		collectors.NewBuildInfoCollector(),
	)
	// The application's own (Deps.Metrics): notifications, job queues and job latency. A duplicate
	// is a wiring mistake and panics at start-up.
	reg.MustRegister(extra...)
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: 2,
		Timeout:             metricsTimeout,
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if !metricsAllowed(cfg, r) {
			http.Error(w, "metrics are served to local scrapers, the metrics listener or a bearer token only", http.StatusForbidden)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// localPeer reports whether the TCP peer is this machine and no proxy relayed the request: a proxy on
// the same host connects from loopback too, so its forwarding headers are what give it away.
func localPeer(r *http.Request) bool {
	for _, h := range []string{"X-Forwarded-For", "Forwarded", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.Unmap().IsLoopback()
}

type metricsListenerKey struct{}

// MetricsListener serves h's /metrics alone, for a listener of its own (METRICS_ADDR) that is kept off
// the public port: a Prometheus in another container or host scrapes it, which the loopback rule of the
// public port refuses. Whoever reaches that address is a scraper by the network's design, so the peer
// is not checked there; METRICS_TOKEN, when set, still is. Every other path is 404.
func MetricsListener(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), metricsListenerKey{}, true)))
	})
}

// metricsAllowed: on the metrics listener, anyone (with the token when one is set); on the public port,
// a local unproxied peer, anyone with MetricsPublic, or anyone presenting the token.
func metricsAllowed(cfg Config, r *http.Request) bool {
	token := cfg.MetricsToken != "" && bearerIs(r, cfg.MetricsToken)
	if r.Context().Value(metricsListenerKey{}) != nil {
		return cfg.MetricsToken == "" || token
	}
	return cfg.MetricsPublic || token || localPeer(r)
}

func bearerIs(r *http.Request, want string) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
