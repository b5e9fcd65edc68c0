package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/server"
)

// echoRequest is an extra route that reports what the middleware put in its context.
func echoRequest(d *server.Deps) {
	d.Extra = map[string]http.Handler{"/echo": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := auth.FromContext(r.Context())
		n, err := io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"request": audit.RequestFrom(r.Context()), "role": v.Role, "read": n, "readErr": err != nil,
		})
	})}
}

func echo(t *testing.T, f fixture, r *http.Request) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, r)
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return rec, out
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	f := newFixture(t, server.Config{}, echoRequest)

	t.Run("EchoesSaneIncomingID", func(t *testing.T) {
		t.Parallel()
		r := httptest.NewRequest(http.MethodGet, "/echo", nil)
		r.Header.Set("X-Request-Id", "lb-123_abc.4")
		rec, out := echo(t, f, r)
		require.Equal(t, "lb-123_abc.4", rec.Header().Get("X-Request-Id"))
		require.Equal(t, "lb-123_abc.4", out["request"].(map[string]any)["ID"])
	})
	t.Run("ReplacesUnsafeID", func(t *testing.T) {
		t.Parallel()
		for _, bad := range []string{"a b", "x\"y", strings.Repeat("a", 65), "<script>"} {
			r := httptest.NewRequest(http.MethodGet, "/echo", nil)
			r.Header.Set("X-Request-Id", bad)
			rec, out := echo(t, f, r)
			id := rec.Header().Get("X-Request-Id")
			require.NotEqual(t, bad, id)
			require.Regexp(t, `^[A-Za-z0-9]{16,64}$`, id)
			require.Equal(t, id, out["request"].(map[string]any)["ID"])
		}
	})
	t.Run("GeneratesDistinctIDs", func(t *testing.T) {
		t.Parallel()
		a, _ := echo(t, f, httptest.NewRequest(http.MethodGet, "/echo", nil))
		b, _ := echo(t, f, httptest.NewRequest(http.MethodGet, "/echo", nil))
		require.NotEmpty(t, a.Header().Get("X-Request-Id"))
		require.NotEqual(t, a.Header().Get("X-Request-Id"), b.Header().Get("X-Request-Id"))
	})
}

func TestClientAddress(t *testing.T) {
	t.Parallel()
	direct := newFixture(t, server.Config{}, echoRequest)
	proxied := newFixture(t, server.Config{TrustProxy: true}, echoRequest)
	address := func(f fixture, xff ...string) string {
		r := httptest.NewRequest(http.MethodGet, "/echo", nil)
		r.RemoteAddr = "10.0.0.7:5555"
		for _, v := range xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		_, out := echo(t, f, r)
		return out["request"].(map[string]any)["Address"].(string)
	}

	t.Run("IgnoresForwardedForByDefault", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "10.0.0.7", address(direct, "203.0.113.9"))
	})
	t.Run("TakesTheEntryOurProxyAppended", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "198.51.100.2", address(proxied, "6.6.6.6, 198.51.100.2"))
		require.Equal(t, "2001:db8::1", address(proxied, "6.6.6.6", "2001:db8::1"))
	})
	t.Run("FallsBackToPeerOnGarbage", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "10.0.0.7", address(proxied, "not-an-ip"))
		require.Equal(t, "10.0.0.7", address(proxied))
	})
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	f := newFixture(t, server.Config{}, echoRequest)
	withAuth := func(h string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/echo", nil)
		if h != "" {
			r.Header.Set("Authorization", h)
		}
		return r
	}

	t.Run("NoHeaderIsAnonymous", func(t *testing.T) {
		t.Parallel()
		_, out := echo(t, f, withAuth(""))
		require.Empty(t, out["role"])
	})
	t.Run("BearerTokenSetsViewer", func(t *testing.T) {
		t.Parallel()
		_, out := echo(t, f, withAuth("Bearer staff-token"))
		require.Equal(t, string(auth.RoleReceptionist), out["role"])
		_, out = echo(t, f, withAuth("bearer admin-token"))
		require.Equal(t, string(auth.RoleAdmin), out["role"])
	})
	t.Run("BadTokenIs401SoClientsRefresh", func(t *testing.T) {
		t.Parallel()
		rec, resp := f.do(t, withAuth("Bearer expired-token"))
		require.Equal(t, http.StatusUnauthorized, rec.Code)
		require.Equal(t, "UNAUTHENTICATED", firstCode(t, resp))
		require.Equal(t, "session expired, sign in again", resp.Errors[0].Message)
		require.NotEmpty(t, rec.Header().Get("WWW-Authenticate"))
	})
	t.Run("OtherSchemeIs401", func(t *testing.T) {
		t.Parallel()
		for _, h := range []string{"Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "admin-token"} {
			rec, resp := f.do(t, withAuth(h))
			require.Equal(t, http.StatusUnauthorized, rec.Code, h)
			require.Equal(t, "UNAUTHENTICATED", firstCode(t, resp))
		}
	})
	t.Run("EmptyBearerSaysWhatToChange", func(t *testing.T) {
		t.Parallel()
		for _, h := range []string{"Bearer", "Bearer ", "bearer   ", " Bearer\t"} {
			rec, resp := f.do(t, withAuth(h))
			require.Equal(t, http.StatusUnauthorized, rec.Code, h)
			require.Equal(t, "UNAUTHENTICATED", firstCode(t, resp))
			require.Contains(t, resp.Errors[0].Message, "no token", h)
		}
	})
	t.Run("ViewerFailureIs500WithoutDetail", func(t *testing.T) {
		t.Parallel()
		rec, resp := f.do(t, withAuth("Bearer broken-token"))
		require.Equal(t, http.StatusInternalServerError, rec.Code)
		require.Equal(t, "INTERNAL", firstCode(t, resp))
		require.NotContains(t, rec.Body.String(), "pq:")
		require.Contains(t, f.logs.String(), "connection refused")
	})
	t.Run("AppliesToGraphQL", func(t *testing.T) {
		t.Parallel()
		_, resp := f.post(t, "{ whoami }", "Authorization", "Bearer admin-token")
		require.Equal(t, "ADMIN", resp.Data["whoami"])
		rec, _ := f.post(t, "{ whoami }", "Authorization", "Bearer nope")
		require.Equal(t, http.StatusUnauthorized, rec.Code)
	})
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, server.Config{MaxBodyBytes: 64}, echoRequest)
	big := `{"query":"{ whoami }","variables":{"pad":"` + strings.Repeat("x", 100) + `"}}`

	t.Run("DeclaredOversizeIs413", func(t *testing.T) {
		t.Parallel()
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(big))
		r.Header.Set("Content-Type", "application/json")
		rec, resp := f.do(t, r)
		require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
		require.Equal(t, "BAD_USER_INPUT", firstCode(t, resp))
	})
	t.Run("UndeclaredOversizeIs413", func(t *testing.T) {
		t.Parallel()
		r := httptest.NewRequest(http.MethodPost, "/graphql", io.NopCloser(strings.NewReader(big)))
		r.ContentLength = -1
		r.Header.Set("Content-Type", "application/json")
		rec, resp := f.do(t, r)
		require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
		require.Equal(t, "BAD_USER_INPUT", firstCode(t, resp))
	})
	t.Run("SmallBodyPasses", func(t *testing.T) {
		t.Parallel()
		rec, resp := f.post(t, "{ whoami }")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Equal(t, "anonymous", resp.Data["whoami"])
	})
	t.Run("CapsExtraRoutesToo", func(t *testing.T) {
		t.Parallel()
		r := httptest.NewRequest(http.MethodPost, "/echo", io.NopCloser(strings.NewReader(big)))
		r.ContentLength = -1
		_, out := echo(t, f, r)
		require.Equal(t, true, out["readErr"])
	})
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t, server.Config{})

	t.Run("SetOnAPIResponses", func(t *testing.T) {
		t.Parallel()
		rec, _ := f.post(t, "{ whoami }")
		require.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
		require.Equal(t, "no-referrer", rec.Header().Get("Referrer-Policy"))
		require.Equal(t, "DENY", rec.Header().Get("X-Frame-Options"))
	})
	t.Run("SetOnRefusals", func(t *testing.T) {
		t.Parallel()
		rec, _ := f.post(t, "{ whoami }", "Authorization", "Bearer nope")
		require.Equal(t, http.StatusUnauthorized, rec.Code)
		require.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	})
}

func TestAccessLog(t *testing.T) {
	t.Parallel()
	f := newFixture(t, server.Config{})
	r := httptest.NewRequest(http.MethodGet, "/graphql?query=%7Bwhoami%7D&variables=%7B%22phone%22%3A%22%2B15550001111%22%7D", nil)
	r.Header.Set("Authorization", "Bearer staff-token")
	r.Header.Set("X-Request-Id", "trace-42")
	rec, _ := f.do(t, r)
	require.Equal(t, http.StatusOK, rec.Code)

	var line map[string]any
	for l := range strings.SplitSeq(strings.TrimSpace(f.logs.String()), "\n") {
		require.NoError(t, json.Unmarshal([]byte(l), &line))
		if line["msg"] == "http request" {
			break
		}
	}
	require.Equal(t, "http request", line["msg"])
	require.Equal(t, "GET", line["method"])
	require.Equal(t, "/graphql", line["path"])
	require.Equal(t, float64(200), line["status"])
	require.Equal(t, "trace-42", line["request_id"])
	require.Contains(t, line, "duration")
	require.NotContains(t, f.logs.String(), "staff-token")
	require.NotContains(t, f.logs.String(), "15550001111")
}

func TestRoutes(t *testing.T) {
	t.Parallel()

	t.Run("UnknownPathIs404", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, server.Config{})
		// Extension-less paths are the web app's client routes (spa.go); a missing file is a 404.
		rec, _ := f.do(t, httptest.NewRequest(http.MethodGet, "/nope.txt", nil))
		require.Equal(t, http.StatusNotFound, rec.Code)
	})
	t.Run("ClientRoutesGoToTheWebApp", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, server.Config{})
		rec, _ := f.do(t, httptest.NewRequest(http.MethodGet, "/reception", nil))
		// 200 with index.html once `make web` has run, 503 with a "run make web" page before.
		require.Contains(t, []int{http.StatusOK, http.StatusServiceUnavailable}, rec.Code)
		require.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
		require.Contains(t, rec.Header().Get("Content-Security-Policy"), "script-src 'self'")
	})
	t.Run("HealthzIsUpWithoutTheDatabase", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, server.Config{}, func(d *server.Deps) {
			d.Ready = func(context.Context) error { return errors.New("db down") }
		})
		rec, _ := f.do(t, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		require.Equal(t, http.StatusOK, rec.Code)
		require.Equal(t, "ok", rec.Body.String())
	})
	t.Run("ReadyzReportsReady", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, server.Config{})
		rec, _ := f.do(t, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		require.Equal(t, http.StatusOK, rec.Code)
	})
	t.Run("ReadyzHidesTheError", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, server.Config{}, func(d *server.Deps) {
			d.Ready = func(context.Context) error { return errors.New(`dial tcp 10.1.2.3:5432: pq: password`) }
		})
		r := httptest.NewRequest(http.MethodGet, "/readyz", nil)
		r.Header.Set("Authorization", "Bearer nope") // probes ignore auth
		rec, _ := f.do(t, r)
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		require.JSONEq(t, `{"status":"unavailable"}`, rec.Body.String())
		require.Contains(t, f.logs.String(), "10.1.2.3")
	})
	t.Run("ReadyzTimesOut", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, server.Config{}, func(d *server.Deps) {
			d.Ready = func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
		})
		rec, _ := f.do(t, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	})
	t.Run("GraphiQLPageIsServed", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, server.Config{})
		rec, _ := f.do(t, httptest.NewRequest(http.MethodGet, "/graphiql", nil))
		require.Equal(t, http.StatusOK, rec.Code)
		require.Contains(t, rec.Header().Get("Content-Type"), "text/html")
		require.NotEmpty(t, rec.Header().Get("Content-Security-Policy"))
	})
	t.Run("PanicInExtraRouteIs500", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, server.Config{}, func(d *server.Deps) {
			d.Extra = map[string]http.Handler{"/panic": http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
				panic("secret panic")
			})}
		})
		rec, resp := f.do(t, httptest.NewRequest(http.MethodGet, "/panic", nil))
		require.Equal(t, http.StatusInternalServerError, rec.Code)
		require.Equal(t, "INTERNAL", firstCode(t, resp))
		require.NotContains(t, rec.Body.String(), "secret")
		require.Contains(t, f.logs.String(), "secret panic")
	})
}
