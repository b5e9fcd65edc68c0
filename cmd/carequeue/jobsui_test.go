package main

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/store"
)

type monitorResponse struct {
	status int
	header http.Header
	body   string
}

// monitor requests path of the job monitor, signed in with Basic auth when email is set.
func (s *testServer) monitor(t *testing.T, path, email, password string, headers ...string) monitorResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.url+path, nil)
	require.NoError(t, err)
	if email != "" {
		req.SetBasicAuth(email, password)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return monitorResponse{status: res.StatusCode, header: res.Header, body: string(body)}
}

// TestJobMonitor: River UI at /admin/jobs for admins signed in with Basic auth on PostgreSQL; a 404
// that says why on SQLite.
func TestJobMonitor(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		// The production rate limit, so that a password check per request would show as a 429.
		s := startServerWith(t, d, map[string]string{"LOGIN_RATE_LIMIT": "5"})

		if d == store.SQLite {
			for _, email := range []string{"", "root@test.org"} {
				r := s.monitor(t, "/admin/jobs/", email, "any-password")
				require.Equal(t, http.StatusNotFound, r.status)
				require.Contains(t, r.header.Get("Content-Type"), "text/plain")
				require.Contains(t, r.body, "needs PostgreSQL")
			}
			return
		}

		s.cli(t, "user", "create", "--email", "root@test.org", "--password", "root-password-123", "--role", "ADMIN")
		const challenge = `Basic realm="CareQueue jobs"`
		r := s.monitor(t, "/admin/jobs/", "", "")
		require.Equal(t, http.StatusUnauthorized, r.status)
		require.True(t, strings.HasPrefix(r.header.Get("WWW-Authenticate"), challenge), r.header.Get("WWW-Authenticate"))

		admin, _ := s.login(t, "root@test.org", "root-password-123") // attempt 1 of 5 on this account
		var facility node
		s.ok(t, admin, `mutation{ createFacility(input:{name:"General", timezone:"Europe/Paris"}){ id } }`, nil, "createFacility", &facility)
		s.cli(t, "user", "create", "--email", "doc@test.org", "--password", "a-long-password-1", "--role", "CLINICIAN",
			"--facility", facility.ID)
		r = s.monitor(t, "/admin/jobs/", "", "", "Authorization", "Bearer "+admin)
		require.Equal(t, http.StatusUnauthorized, r.status, "an access token does not open the monitor")
		require.True(t, strings.HasPrefix(r.header.Get("WWW-Authenticate"), challenge))

		r = s.monitor(t, "/admin/jobs/", "root@test.org", "wrong-password-123") // attempt 2
		require.Equal(t, http.StatusUnauthorized, r.status)
		require.True(t, strings.HasPrefix(r.header.Get("WWW-Authenticate"), challenge))

		r = s.monitor(t, "/admin/jobs/", "doc@test.org", "a-long-password-1") // another account
		require.Equal(t, http.StatusForbidden, r.status)
		require.NotContains(t, r.body, "<html")

		r = s.monitor(t, "/admin/jobs/", "root@test.org", "root-password-123") // attempt 3
		require.Equal(t, http.StatusOK, r.status)
		require.Contains(t, r.header.Get("Content-Type"), "text/html")
		require.Contains(t, strings.ToLower(r.body), "<html")
		script := regexp.MustCompile(`src="(/admin/jobs/assets/[^"]+\.js)"`).FindStringSubmatch(r.body)
		require.NotNil(t, script, "River UI loads its script under its prefix: %s", r.body)
		r = s.monitor(t, script[1], "root@test.org", "root-password-123")
		require.Equal(t, http.StatusOK, r.status)
		require.Contains(t, r.header.Get("Content-Type"), "javascript")

		// River UI polls its API. Each of these requests would be one more password check over the limit of
		// 5 a minute if the verified header were not remembered.
		for range 10 {
			r = s.monitor(t, "/admin/jobs/api/queues", "root@test.org", "root-password-123")
			require.Equal(t, http.StatusOK, r.status, r.body)
			var queues struct {
				Data []struct {
					Name string `json:"name"`
				} `json:"data"`
			}
			require.NoError(t, json.Unmarshal([]byte(r.body), &queues), r.body)
			names := []string{}
			for _, q := range queues.Data {
				names = append(names, q.Name)
			}
			require.Contains(t, names, "notify")
			// The "notify ahead" passes have their own queue, which the server works.
			require.Contains(t, names, notify.AheadQueue)
		}
		r = s.monitor(t, "/admin/jobs/api/jobs?state=completed", "root@test.org", "root-password-123")
		require.Equal(t, http.StatusOK, r.status, r.body)
		require.Contains(t, r.header.Get("Content-Type"), "application/json")
		require.True(t, strings.HasPrefix(r.body, `{"data":[`), r.body)
		r = s.monitor(t, "/admin/jobs", "root@test.org", "root-password-123")
		require.Equal(t, http.StatusMovedPermanently, r.status)
		require.Equal(t, "/admin/jobs/", r.header.Get("Location"))

		// One audit entry per fresh check: the clinician's and the admin's, not one per request.
		var entries struct {
			Edges []struct {
				Node struct{ ActorID, ActorRole, EntityID string }
			}
		}
		s.ok(t, admin, `{ auditEntries(first:100, where:{action:"session.verify"}){ edges{ node{ actorID actorRole entityID } } } }`,
			nil, "auditEntries", &entries)
		roles := []string{}
		for _, e := range entries.Edges {
			roles = append(roles, e.Node.ActorRole)
		}
		require.ElementsMatch(t, []string{"CLINICIAN", "ADMIN"}, roles)

		// The checks share the login limits: attempts 4 and 5 are refused as wrong, the 6th is throttled.
		for _, wrong := range []string{"wrong-password-456", "wrong-password-789"} {
			r = s.monitor(t, "/admin/jobs/", "root@test.org", wrong)
			require.Equal(t, http.StatusUnauthorized, r.status)
		}
		r = s.monitor(t, "/admin/jobs/", "root@test.org", "wrong-password-000")
		require.Equal(t, http.StatusTooManyRequests, r.status, r.body)
		r = s.monitor(t, "/admin/jobs/api/queues", "root@test.org", "root-password-123")
		require.Equal(t, http.StatusOK, r.status, "a remembered sign-in keeps working")
	})
}
