package server_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/server"
	"github.com/carequeue/carequeue/internal/testclock"
)

// basicFixture is a server whose /admin/jobs/ is behind AdminBasicAuth with a stub password check.
type basicFixture struct {
	fixture
	authLogs *logBuffer
	checks   atomic.Int32
	clock    *testclock.Clock
}

func newBasicFixture(t *testing.T, size int) *basicFixture {
	t.Helper()
	b := &basicFixture{clock: testclock.New(time.Unix(1_700_000_000, 0)), authLogs: &logBuffer{}}
	verify := func(ctx context.Context, email, password string) (auth.Viewer, error) {
		b.checks.Add(1)
		switch {
		case email == "limited@test.org":
			return auth.Viewer{}, auth.TooManyAttempts(time.Minute)
		case email == "broken@test.org":
			return auth.Viewer{}, errors.New("pq: connection refused")
		case password != "right password":
			return auth.Viewer{}, cqerr.E(cqerr.Unauthenticated, "email or password is incorrect")
		case strings.HasPrefix(email, "admin"):
			return auth.Viewer{UserID: "US01", Role: auth.RoleAdmin}, nil
		}
		return auth.Viewer{UserID: "US02", Role: auth.RoleClinician}, nil
	}
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("monitor for " + role(r.Context())))
	})
	guarded := server.AdminBasicAuth(server.BasicAuth{
		Realm: "CareQueue jobs", Verify: verify, CacheTTL: time.Minute, CacheSize: size, Now: b.clock.Now,
		Logger: slog.New(slog.NewTextHandler(b.authLogs, nil)),
	}, page)
	b.fixture = newFixture(t, server.Config{MaxBodyBytes: 64}, func(d *server.Deps) {
		d.OwnAuth = map[string]http.Handler{"/admin/jobs/": guarded}
	})
	return b
}

func (b *basicFixture) get(t *testing.T, user, password string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/admin/jobs/", nil)
	if user != "" {
		r.SetBasicAuth(user, password)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	rec, _ := b.do(t, r)
	return rec
}

func TestAdminBasicAuth(t *testing.T) {
	t.Parallel()
	const challenge = `Basic realm="CareQueue jobs", charset="UTF-8"`

	t.Run("ChallengesWithoutCredentials", func(t *testing.T) {
		t.Parallel()
		b := newBasicFixture(t, 0)
		for _, h := range []string{"", "Bearer admin-token", "Basic !!!"} {
			rec := b.get(t, "", "", "Authorization", h)
			require.Equal(t, http.StatusUnauthorized, rec.Code, h)
			require.Equal(t, challenge, rec.Header().Get("WWW-Authenticate"), "a bearer token is not checked here: %s", h)
			require.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
		}
		require.Zero(t, b.checks.Load())
	})
	t.Run("ChallengesWrongPassword", func(t *testing.T) {
		t.Parallel()
		b := newBasicFixture(t, 0)
		rec := b.get(t, "admin@test.org", "wrong")
		require.Equal(t, http.StatusUnauthorized, rec.Code)
		require.Equal(t, challenge, rec.Header().Get("WWW-Authenticate"))
		require.Contains(t, rec.Body.String(), "email or password is incorrect")
		b.get(t, "admin@test.org", "wrong")
		require.EqualValues(t, 2, b.checks.Load(), "failures are never remembered")
	})
	t.Run("ForbidsOtherRoles", func(t *testing.T) {
		t.Parallel()
		b := newBasicFixture(t, 0)
		rec := b.get(t, "doc@test.org", "right password")
		require.Equal(t, http.StatusForbidden, rec.Code)
		require.Empty(t, rec.Header().Get("WWW-Authenticate"))
		require.NotContains(t, rec.Body.String(), "monitor")
	})
	t.Run("PassesRateLimits", func(t *testing.T) {
		t.Parallel()
		b := newBasicFixture(t, 0)
		rec := b.get(t, "limited@test.org", "right password")
		require.Equal(t, http.StatusTooManyRequests, rec.Code)
		require.Contains(t, rec.Body.String(), "too many attempts")
	})
	t.Run("HidesInternalErrors", func(t *testing.T) {
		t.Parallel()
		b := newBasicFixture(t, 0)
		rec := b.get(t, "broken@test.org", "right password")
		require.Equal(t, http.StatusInternalServerError, rec.Code)
		require.NotContains(t, rec.Body.String(), "pq:")
		require.Contains(t, b.authLogs.String(), "pq: connection refused")
	})
	t.Run("LetsAdminsInWithTheirViewer", func(t *testing.T) {
		t.Parallel()
		b := newBasicFixture(t, 0)
		rec := b.get(t, "admin@test.org", "right password")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Equal(t, "monitor for ADMIN", rec.Body.String())
	})
	t.Run("RemembersAVerifiedHeaderForTheTTL", func(t *testing.T) {
		t.Parallel()
		b := newBasicFixture(t, 0)
		for range 5 {
			require.Equal(t, http.StatusOK, b.get(t, "admin@test.org", "right password").Code)
		}
		require.Equal(t, http.StatusForbidden, b.get(t, "doc@test.org", "right password").Code)
		require.Equal(t, http.StatusForbidden, b.get(t, "doc@test.org", "right password").Code)
		require.EqualValues(t, 2, b.checks.Load())

		require.Equal(t, http.StatusUnauthorized, b.get(t, "admin@test.org", "wrong").Code, "another header is checked")
		require.EqualValues(t, 3, b.checks.Load())

		b.clock.Advance(time.Minute)
		require.Equal(t, http.StatusOK, b.get(t, "admin@test.org", "right password").Code)
		require.EqualValues(t, 4, b.checks.Load(), "checked again once the entry expired")
	})
	t.Run("RemembersABoundedNumberOfHeaders", func(t *testing.T) {
		t.Parallel()
		b := newBasicFixture(t, 2)
		for _, u := range []string{"admin1@test.org", "admin2@test.org"} {
			b.get(t, u, "right password")
			b.clock.Advance(time.Second)
		}
		b.get(t, "admin3@test.org", "right password") // evicts admin1, the closest to expiry
		require.EqualValues(t, 3, b.checks.Load())
		b.get(t, "admin2@test.org", "right password")
		b.get(t, "admin3@test.org", "right password")
		require.EqualValues(t, 3, b.checks.Load())
		b.get(t, "admin1@test.org", "right password")
		require.EqualValues(t, 4, b.checks.Load())
	})
	t.Run("RefusesCrossOriginWrites", func(t *testing.T) {
		t.Parallel()
		b := newBasicFixture(t, 0)
		r := httptest.NewRequest(http.MethodPost, "/admin/jobs/", strings.NewReader(`{}`))
		r.SetBasicAuth("admin@test.org", "right password")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		rec, _ := b.do(t, r)
		require.Equal(t, http.StatusForbidden, rec.Code)
		require.Zero(t, b.checks.Load())
	})
	t.Run("CapsTheBody", func(t *testing.T) {
		t.Parallel()
		b := newBasicFixture(t, 0)
		r := httptest.NewRequest(http.MethodPost, "/admin/jobs/", strings.NewReader(strings.Repeat("x", 100)))
		r.SetBasicAuth("admin@test.org", "right password")
		rec, _ := b.do(t, r)
		require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	})
}
