package server

import (
	"net/http"
	"net/http/pprof"
)

// newPprof serves Go's profiler under /debug/pprof/ to local, unproxied peers only (like /metrics,
// never opened by MetricsPublic: profiles show code paths and can take CPU time): an operator on the
// host can see where time and memory go under real load.
func newPprof() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !localPeer(r) {
			http.NotFound(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}
