package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/internal/config"
	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// escalationPoll matches the escalation job's search for overdue tickets.
var escalationPoll = regexp.MustCompile("escalated_at.? IS NULL")

const testSecret = "e2e-test-secret-0123456789-abcdefghijklmnop"

// testServer is the real binary's run loop, started on port 0 against a fresh database.
type testServer struct {
	url     string
	env     map[string]string
	reads   *atomic.Int64 // SQL statements through the server's ent client (store.DB.Ent)
	counted atomic.Bool
	// stop ends the server and returns what serve returned; the test's cleanup calls it too.
	stop func() error
	// signal starts stopping the server as SIGTERM does (serve's context ends) without waiting.
	signal context.CancelFunc
}

func (s *testServer) getenv(k string) string { return s.env[k] }

func startServer(t *testing.T, d store.Dialect) *testServer {
	t.Helper()
	return startServerWith(t, d, nil)
}

// startServerWith starts the server with extra environment variables.
func startServerWith(t *testing.T, d store.Dialect, extra map[string]string) *testServer {
	t.Helper()
	return startServerLogging(t, d, extra, io.Discard)
}

// startServerLogging is startServerWith writing the server's output (its log) to out.
func startServerLogging(t *testing.T, d store.Dialect, extra map[string]string, out io.Writer) *testServer {
	t.Helper()
	var dbURL, sqlitePath string
	if _, shared := extra["DATABASE_URL"]; !shared {
		// Migrated already (from a template built once): the server's --migrate finds nothing to do.
		dbURL, sqlitePath = storetest.NewMigratedURL(t, d, migrations.FS, &storetest.Then{Name: "river", Apply: jobs.Migrate})
	}
	s := &testServer{reads: &atomic.Int64{}, env: map[string]string{
		"APP_ENV": "production", "HOST": "127.0.0.1", "PORT": "0", "JWT_SECRET": testSecret,
		"DATABASE_URL": dbURL, "SQLITE_PATH": sqlitePath, "LOG_LEVEL": "error",
		"PUBLIC_URL": "http://127.0.0.1", "LOGIN_RATE_LIMIT": "1000", "SHUTDOWN_DRAIN_DELAY": "0",
	}}
	for k, v := range extra {
		s.env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	count := ent.Log(func(args ...any) {
		// The escalation job looks for overdue tickets every minute, whenever its period falls: that
		// look-up is not the measured request's (with nobody overdue, it is the job's only statement).
		if s.counted.Load() && !escalationPoll.MatchString(fmt.Sprint(args...)) {
			s.reads.Add(1)
		}
	})
	args := []string{"--migrate"}
	if extra["MIGRATE_ON_START"] == "false" {
		args = nil // a server on a role that may not migrate, on a database migrated beforehand
	}
	go func() {
		done <- serve(ctx, args, s.getenv, out, out,
			&hooks{ready: func(addr string) { ready <- addr }, entOptions: []ent.Option{ent.Debug(), count}})
	}()
	select {
	case addr := <-ready:
		s.url = "http://" + addr
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start in time")
	}
	s.signal = cancel
	s.stop = sync.OnceValue(func() error {
		cancel()
		return <-done
	})
	t.Cleanup(func() { require.NoError(t, s.stop()) })
	return s
}

// countReads returns how many SQL statements fn made through the server's ent client. The job workers
// share that client, so it first waits until they have no job left: what it counts is fn's alone.
func (s *testServer) countReads(t *testing.T, fn func()) int64 {
	t.Helper()
	s.waitForJobs(t)
	s.reads.Store(0)
	s.counted.Store(true)
	fn()
	s.counted.Store(false)
	return s.reads.Load()
}

// waitForJobs waits until the server's job workers have nothing left to run, the periodic jobs' runs
// at start included: the elected leader inserts those a moment after start, and a test that counted
// statements before then counted theirs (a CI run saw 2 in a refused query's window).
func (s *testServer) waitForJobs(t *testing.T) {
	t.Helper()
	db, err := store.Open(t.Context(), s.env["DATABASE_URL"], s.env["SQLITE_PATH"])
	require.NoError(t, err)
	defer db.Close()
	kinds := slices.Collect(maps.Keys(periodicJobs(config.Config{EscalationInterval: time.Minute})))
	atStart := "'" + strings.Join(kinds, "', '") + "'"
	require.Eventually(t, func() bool {
		var unfinished, started int
		require.NoError(t, db.SQL.QueryRowContext(t.Context(),
			"SELECT COUNT(*) FROM river_job WHERE state NOT IN ('completed', 'cancelled', 'discarded')").Scan(&unfinished))
		require.NoError(t, db.SQL.QueryRowContext(t.Context(),
			"SELECT COUNT(DISTINCT kind) FROM river_job WHERE kind IN ("+atStart+")").Scan(&started))
		return unfinished == 0 && started == len(kinds)
	}, 60*time.Second, 50*time.Millisecond)
}

// cli runs a carequeue command against the same database.
func (s *testServer) cli(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, s.getenv, &out, &errOut)
	require.NoError(t, err, errOut.String())
	return out.String()
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResponse struct {
	Status int
	Data   map[string]json.RawMessage `json:"data"`
	Errors []gqlError                 `json:"errors"`
	Raw    string
}

func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// gql posts a GraphQL operation with an optional bearer token.
func (s *testServer) gql(t *testing.T, token, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := gqlResponse{Status: res.StatusCode, Raw: string(raw)}
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	for _, e := range out.Errors {
		for _, leak := range []string{"SELECT", "INSERT", "UPDATE ", "sqlite", "pq:", "SQLSTATE", "goroutine", ".go:", "ent:", "constraint"} {
			require.NotContains(t, e.Message, leak, "error leaks internals: %s", out.Raw)
		}
	}
	return out
}

// ok posts an operation that must succeed and decodes field into dst.
func (s *testServer) ok(t *testing.T, token, query string, vars map[string]any, field string, dst any) {
	t.Helper()
	r := s.gql(t, token, query, vars)
	require.Empty(t, r.Errors, r.Raw)
	if dst != nil {
		require.NoError(t, json.Unmarshal(r.Data[field], dst), r.Raw)
	}
}

func (s *testServer) login(t *testing.T, email, password string) (access, refresh string) {
	t.Helper()
	var p struct{ AccessToken, RefreshToken string }
	s.ok(t, "", `mutation($e:String!,$p:String!){ login(email:$e,password:$p){ accessToken refreshToken } }`,
		map[string]any{"e": email, "p": password}, "login", &p)
	return p.AccessToken, p.RefreshToken
}

type node struct {
	ID     string `json:"id"`
	Code   string `json:"code"`
	Status string `json:"status"`
}

// hospital is what the end-to-end tests build through the API as a global admin.
type hospital struct {
	admin, reception, clinician string
	facility, dept              string
	triage, lab, closed         string
	room1                       string
	receptionRefresh            string
}

func setupHospital(t *testing.T, s *testServer) *hospital {
	t.Helper()
	s.cli(t, "user", "create", "--email", "root@test.org", "--password", "root-password-123", "--role", "ADMIN")
	h := &hospital{}
	h.admin, _ = s.login(t, "root@test.org", "root-password-123")
	var n node
	s.ok(t, h.admin, `mutation{ createFacility(input:{name:"General", timezone:"Europe/Paris"}){ id } }`, nil, "createFacility", &n)
	h.facility = n.ID
	s.ok(t, h.admin, `mutation($f:ID!){ createDepartment(input:{name:"Emergency", facilityID:$f}){ id } }`, map[string]any{"f": h.facility}, "createDepartment", &n)
	h.dept = n.ID
	mkQueue := func(name, prefix, ordering string, active bool) string {
		s.ok(t, h.admin, `mutation($d:ID!,$n:String!,$p:String!,$o:QueuePolicy!,$a:Boolean!){ createQueue(input:{name:$n,prefix:$p,ordering:$o,active:$a,departmentID:$d}){ id } }`,
			map[string]any{"d": h.dept, "n": name, "p": prefix, "o": ordering, "a": active}, "createQueue", &n)
		return n.ID
	}
	h.triage = mkQueue("Triage", "E", "TRIAGE", true)
	h.lab = mkQueue("Lab", "L", "FIFO", true)
	h.closed = mkQueue("Night clinic", "N", "FIFO", false)
	s.ok(t, h.admin, `mutation($d:ID!,$q:ID!){ createServicePoint(input:{name:"Room 1", departmentID:$d, queueIDs:[$q]}){ id } }`,
		map[string]any{"d": h.dept, "q": h.triage}, "createServicePoint", &n)
	h.room1 = n.ID
	for _, u := range []struct{ email, role string }{{"desk@test.org", "RECEPTIONIST"}, {"doc@test.org", "CLINICIAN"}} {
		s.ok(t, h.admin, `mutation($e:String!,$r:Role!,$f:ID!){ createUser(input:{email:$e,name:$e,role:$r,facilityID:$f}, password:"a-long-password-1"){ id } }`,
			map[string]any{"e": u.email, "r": u.role, "f": h.facility}, "createUser", nil)
	}
	h.reception, h.receptionRefresh = s.login(t, "desk@test.org", "a-long-password-1")
	h.clinician, _ = s.login(t, "doc@test.org", "a-long-password-1")
	return h
}

// checkIn registers a patient inline and checks them in. Like a client, it sends again after
// UNAVAILABLE (the queue's lock not had within its wait, nothing written): on SQLite a River job's write
// holds the database's one lock, and a CI run under -race on a loaded machine once waited past the 2 s.
func (h *hospital) checkIn(t *testing.T, s *testServer, queueID, name, level string) node {
	t.Helper()
	const doc = `mutation($q:ID!,$f:ID!,$n:String!,$l:TriageLevel!){ checkIn(input:{queueID:$q, triageLevel:$l, patient:{givenName:$n, familyName:"Test", facilityID:$f, phone:"+33612345678"}}){ id code status } }`
	vars := map[string]any{"q": queueID, "f": h.facility, "n": name, "l": level}
	r := s.gql(t, h.reception, doc, vars)
	for try := 0; try < 4 && len(r.Errors) == 1 && r.code() == "UNAVAILABLE"; try++ {
		time.Sleep(250 * time.Millisecond)
		r = s.gql(t, h.reception, doc, vars)
	}
	require.Empty(t, r.Errors, r.Raw)
	var n node
	require.NoError(t, json.Unmarshal(r.Data["checkIn"], &n), r.Raw)
	return n
}

func forEachDialect(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, d)
		})
	}
}

func jsonString(v any) string { b, _ := json.Marshal(v); return string(b) }
