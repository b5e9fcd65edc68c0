package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics counts requests by route and status and times them by route. The route is the pattern
// the server's own mux matched ("/graphql", "/readyz", "/" for the web app, …), never the path a client
// sent, so the label's values are the handful of registered patterns whatever arrives.
type httpMetrics struct {
	mux      *http.ServeMux
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(mux *http.ServeMux) *httpMetrics {
	return &httpMetrics{
		mux: mux,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "carequeue_http_requests_total",
			Help: "HTTP requests by route (the server's registered pattern) and status code; WebSocket upgrades are 101.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "carequeue_http_request_duration_seconds",
			Help: "Time to answer an HTTP request, by route (WebSocket connections are not timed).",
			// From a cached probe to a request that meets REQUEST_TIMEOUT.
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
	}
}

func (m *httpMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.requests, m.duration}
}

// observe records one finished request.
func (m *httpMetrics) observe(r *http.Request, status int, took time.Duration) {
	route := routeOf(m.mux, r)
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	if status != http.StatusSwitchingProtocols {
		m.duration.WithLabelValues(route).Observe(took.Seconds())
	}
}

// routeOf is the pattern of mux that r matches, "unmatched" for none: a bounded name for metrics and
// spans, never the path a client sent (which may hold ids).
func routeOf(mux *http.ServeMux, r *http.Request) string {
	if _, route := mux.Handler(r); route != "" {
		return route
	}
	return "unmatched"
}
