package main

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestMetricsListener starts the server with METRICS_ADDR and METRICS_TOKEN, as a Prometheus in another
// container would scrape it: the listener serves /metrics with the token and nothing else, and the
// public port lets the token holder in too.
func TestMetricsListener(t *testing.T) {
	t.Parallel()
	const token = "scrape-token-0123456789"
	port := freePort(t)
	s := startServerWith(t, store.SQLite, map[string]string{
		"METRICS_ADDR": "127.0.0.1:" + strconv.Itoa(port), "METRICS_TOKEN": token,
	})
	get := func(url, bearer string) (int, string) { return bearerGet(t, url, bearer) }
	listener := "http://127.0.0.1:" + strconv.Itoa(port)

	code, body := get(listener+"/metrics", token)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "\ncarequeue_jobs{")
	require.Contains(t, body, "\ngo_goroutines ")
	code, body = get(listener+"/metrics", "")
	require.Equal(t, http.StatusForbidden, code, "the listener asks for the token when one is set")
	require.NotContains(t, body, "go_goroutines")
	for _, path := range []string{"/graphql", "/healthz", "/"} {
		code, _ = get(listener+path, token)
		require.Equal(t, http.StatusNotFound, code, "the listener serves metrics only: %s", path)
	}

	// The public port: the token holder reads it (through a proxy too), a proxied caller without it does not.
	req, err := http.NewRequest(http.MethodGet, s.url+"/metrics", nil)
	require.NoError(t, err)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusForbidden, res.StatusCode)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)

	// A port that cannot be had is a failed start naming the variable.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	env := map[string]string{"APP_ENV": "test", "SQLITE_PATH": t.TempDir() + "/x.db", "PORT": "0", "HOST": "127.0.0.1",
		"METRICS_ADDR": busy.Addr().String()}
	err = run(t.Context(), []string{"serve", "--migrate"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	require.ErrorContains(t, err, "METRICS_ADDR: cannot listen on "+busy.Addr().String())
}
