package server

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPprofIsLocalOnly(t *testing.T) {
	t.Parallel()
	h := newPprof()
	req := httptest.NewRequest(http.MethodGet, "/debug/pprof/", nil)
	req.RemoteAddr = "127.0.0.1:5555"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	for _, mutate := range []func(*http.Request){
		func(r *http.Request) { r.RemoteAddr = "203.0.113.9:5555" },
		func(r *http.Request) { r.Header.Set("X-Forwarded-For", "203.0.113.9") },
	} {
		req := httptest.NewRequest(http.MethodGet, "/debug/pprof/", nil)
		req.RemoteAddr = "127.0.0.1:5555"
		mutate(req)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusNotFound, rec.Code)
	}
}
