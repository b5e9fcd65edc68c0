package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/carequeue/carequeue/internal/audit"
)

// readyTimeout bounds a readiness check so a hung database fails the probe instead of hanging it.
const readyTimeout = 2 * time.Second

// healthz says the process is up; it touches nothing else, so a database outage never gets the
// process restarted.
func healthz(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok"))
}

// readyz says whether the process can take traffic, with one of three 503 bodies when not:
// {"status":"draining"} while shutting down (nothing is broken: the replica is leaving),
// {"status":"unavailable"} when the process cannot serve (Deps.Ready failed: the database is down or
// too slow), and {"status":"full"} at the connection cap (Admission: working, but taking no more
// WebSockets). A load balancer stops sending in all three cases; /healthz stays 200, so no orchestrator
// restarts a replica that is merely full or leaving. The error is logged, never sent: probes can be
// reachable from places that must not learn about the database.
func readyz(ready func(context.Context) error, admission *Admission, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if admission.Draining() {
			notReady(w, RefusedDraining)
			return
		}
		if err := ready(ctx); err != nil {
			log.WarnContext(ctx, "not ready", "request_id", audit.RequestFrom(ctx).ID, "error", err)
			notReady(w, "unavailable")
			return
		}
		if s := admission.readiness(); s != "" {
			notReady(w, s)
			return
		}
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
}

func notReady(w http.ResponseWriter, status string) {
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte(`{"status":"` + status + `"}`))
}

// newReadyGauge is carequeue_ready: 1 when Deps.Ready (the database) passes at scrape time, 0 when it
// fails, so an alert sees a replica that is up but cannot serve without probing it from outside.
// Draining and a full connection cap are not failures: they are carequeue_ws_* and planned.
func newReadyGauge(ready func(context.Context) error) prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "carequeue_ready",
		Help: "1 when the replica's database readiness check (as /readyz, which also refuses while draining or full) passes at scrape time, else 0.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
		defer cancel()
		if ready(ctx) != nil {
			return 0
		}
		return 1
	})
}
