package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/graph/generated"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// monitoringDir holds the Prometheus and Grafana files that the compose "monitoring" profile mounts.
const monitoringDir = "../../docs/monitoring"

// promtool returns the path of Prometheus's promtool; without it the test is skipped, except in CI
// (CI=true), where .ci/run installs Debian's prometheus package and a missing tool is a failure.
func promtool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("promtool")
	if err != nil {
		require.NotEqual(t, "true", os.Getenv("CI"), "promtool is missing (apt-get install prometheus)")
		t.Skip("promtool is not installed (apt-get install prometheus)")
	}
	return p
}

// freePort returns a loopback port nobody listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// bearerGet reads url, with the bearer token when there is one, and returns the status and body.
func bearerGet(t *testing.T, url, bearer string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(body)
}

// scrape reads url with the bearer token and returns the body and its metric families.
func scrape(t *testing.T, url, token string) (string, map[string]*dto.MetricFamily) {
	t.Helper()
	code, body := bearerGet(t, url, token)
	require.Equal(t, http.StatusOK, code, body)
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(body))
	require.NoError(t, err)
	return body, families
}

// sample returns the value of family name's series whose labels include want, and whether there is one.
func sample(families map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := families[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if got[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount()), true
		case m.Untyped != nil:
			return m.GetUntyped().GetValue(), true
		}
	}
	return 0, false
}

// TestMetricsSeries: after real traffic through the started server (sign-ins, admin mutations,
// check-ins at two triage levels, a call, refused and malformed operations, a live queueChanged
// subscription over a socket that receives a change), one scrape of the metrics listener holds every
// series of issue 15 with its labels and plausible values; no label value carries a patient's name,
// MRN or phone, an id, a ticket code or a client's own operation name; promtool finds the exposition
// valid; and every metric the dashboards and alert rules query is in it.
func TestMetricsSeries(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		const token = "scrape-token-for-series-0123"
		port := freePort(t)
		env := map[string]string{"METRICS_ADDR": "127.0.0.1:" + strconv.Itoa(port), "METRICS_TOKEN": token}
		redisURL := os.Getenv("REDIS_URL")
		withRedis := d == store.Postgres && redisURL != ""
		if withRedis {
			env["REDIS_URL"], env["REDIS_PREFIX"] = redisURL, "metrics-"+string(pulid.New("TS"))+":"
		}
		s := startServerWith(t, d, env)
		h := setupHospital(t, s)

		dash := s.subscribe(t, h.clinician, `subscription($q:ID!){ queueChanged(queueID:$q){ version waiting{ code } } }`, map[string]any{"q": h.triage})
		require.Equal(t, "next", s.read(t, dash).Type, "the first state")

		// Patients whose details must never reach a label.
		type patient struct{ given, family, mrn, phone string }
		var secrets []string
		checkIn := func(p patient, level string) {
			var tk struct {
				ID, Code    string
				StatusToken string
				Patient     struct{ ID string }
			}
			s.ok(t, h.reception, `mutation($q:ID!,$f:ID!,$g:String!,$n:String!,$m:String!,$p:String!,$l:TriageLevel!){
				checkIn(input:{queueID:$q, triageLevel:$l, patient:{givenName:$g, familyName:$n, mrn:$m, phone:$p, facilityID:$f}}){ id code statusToken patient{ id } } }`,
				map[string]any{"q": h.triage, "f": h.facility, "g": p.given, "n": p.family, "m": p.mrn, "p": p.phone, "l": level}, "checkIn", &tk)
			secrets = append(secrets, p.given, p.family, p.mrn, p.phone, strings.TrimPrefix(p.phone, "+"), tk.ID, tk.Code, tk.StatusToken, tk.Patient.ID)
		}
		// A client's own operation name, a document that does not parse, and a refused mutation.
		strays := func(clientName, ticketID string) {
			body, _ := json.Marshal(map[string]any{"operationName": clientName, "query": "query " + clientName + " { me { id } }"})
			req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+h.reception)
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			res.Body.Close()
			secrets = append(secrets, clientName, ticketID)
			r := s.gql(t, h.reception, `{ me { id `, nil)
			require.NotEmpty(t, r.Errors)
			r = s.gql(t, h.reception, `mutation($t:ID!){ cancelTicket(ticketID:$t, reason:"Zelda asked") { id } }`, map[string]any{"t": ticketID})
			require.NotEmpty(t, r.Errors)
		}

		checkIn(patient{"Zelda", "Quartermain", "MRN-778812", "+33612345601"}, "STANDARD")
		checkIn(patient{"Ignatius", "Pemberton", "MRN-778813", "+33612345602"}, "IMMEDIATE")
		checkIn(patient{"Odalys", "Fairweather", "MRN-778814", "+33612345603"}, "IMMEDIATE")
		h.callTriageNext(t, s) // an IMMEDIATE patient: one IMMEDIATE and the STANDARD one keep waiting
		// The dashboard's socket receives the changes: the fan-out is measured on the way.
		require.Eventually(t, func() bool {
			m := s.read(t, dash)
			return m.Type == "next" && strings.Count(string(m.Payload), `"code"`) == 2
		}, 10*time.Second, time.Millisecond)
		strays("ZeldaQuartermainLookup", "TK01J0000000000000000000000")
		s.waitForJobs(t)

		// A scrape counts in carequeue_http_requests_total{route="/metrics"} from the next one on.
		scrape(t, "http://127.0.0.1:"+strconv.Itoa(port)+"/metrics", token)
		text, fams := scrape(t, "http://127.0.0.1:"+strconv.Itoa(port)+"/metrics", token)

		// Every series of issue 15, with exactly these labels.
		want := map[string][]string{
			"carequeue_http_requests_total":                {"code", "route"},
			"carequeue_http_request_duration_seconds":      {"route"},
			"carequeue_graphql_operations_total":           {"code", "operation", "type"},
			"carequeue_graphql_operation_duration_seconds": {"operation", "type"},
			"carequeue_ws_open":                            nil,
			"carequeue_graphql_subscriptions_active":       {"kind"},
			"carequeue_realtime_fanout_seconds":            nil,
			"carequeue_queue_waiting":                      {"department", "facility", "queue"},
			"carequeue_queue_oldest_wait_seconds":          {"department", "facility", "queue"},
			"carequeue_queue_past_target":                  {"department", "facility", "level", "queue"},
			"carequeue_queue_called_not_started":           {"department", "facility", "queue"},
			"carequeue_jobs":                               {"queue", "state"},
			"carequeue_jobs_oldest_available_age_seconds":  {"queue"},
			"carequeue_job_attempts_total":                 {"kind", "outcome"},
			"carequeue_job_run_seconds":                    {"kind"},
			"carequeue_notifications":                      {"channel", "status"},
			"carequeue_ready":                              nil,
			"carequeue_db_pool_connections":                {"state"},
			"carequeue_db_pool_max_connections":            nil,
			"carequeue_db_pool_wait_seconds_total":         nil,
			"go_build_info":                                {"checksum", "path", "version"},
		}
		if withRedis {
			want["carequeue_redis_pool_connections"] = []string{"state"}
			want["carequeue_redis_pool_timeouts_total"] = nil
			want["carequeue_redis_pool_wait_seconds_total"] = nil
		}
		for name, labels := range want {
			f := fams[name]
			require.NotNil(t, f, "series %s is missing", name)
			require.NotEmpty(t, f.GetMetric(), name)
			for _, m := range f.GetMetric() {
				var got []string
				for _, l := range m.GetLabel() {
					got = append(got, l.GetName())
				}
				slices.Sort(got)
				require.Equal(t, labels, got, name)
			}
		}

		// Values the traffic above makes certain.
		queue := map[string]string{"facility": "General", "department": "Emergency", "queue": "Triage"}
		with := func(extra map[string]string) map[string]string {
			out := map[string]string{}
			for k, v := range queue {
				out[k] = v
			}
			for k, v := range extra {
				out[k] = v
			}
			return out
		}
		check := func(name string, labels map[string]string, ok func(float64) bool, what string) {
			v, found := sample(fams, name, labels)
			require.True(t, found, "%s%v is missing", name, labels)
			require.True(t, ok(v), "%s%v = %v, want %s", name, labels, v, what)
		}
		atLeast := func(n float64) func(float64) bool { return func(v float64) bool { return v >= n } }
		exactly := func(n float64) func(float64) bool { return func(v float64) bool { return v == n } }
		check("carequeue_queue_waiting", queue, exactly(2), "2")
		check("carequeue_queue_called_not_started", queue, exactly(1), "1")
		check("carequeue_queue_oldest_wait_seconds", queue, func(v float64) bool { return v > 0 && v < 600 }, "the test's age")
		check("carequeue_queue_past_target", with(map[string]string{"level": "IMMEDIATE"}), exactly(1), "1 (target 0 min)")
		check("carequeue_queue_past_target", with(map[string]string{"level": "STANDARD"}), exactly(0), "0")
		check("carequeue_queue_waiting", map[string]string{"queue": "Lab"}, exactly(0), "an empty queue reports 0")
		_, closed := sample(fams, "carequeue_queue_waiting", map[string]string{"queue": "Night clinic"})
		require.False(t, closed, "an inactive queue is not reported")
		check("carequeue_graphql_operations_total", map[string]string{"operation": "checkIn", "type": "mutation", "code": "OK"}, exactly(3), "3")
		check("carequeue_graphql_operations_total", map[string]string{"operation": "callNext", "type": "mutation", "code": "OK"}, exactly(1), "1")
		check("carequeue_graphql_operations_total", map[string]string{"operation": "me", "type": "query", "code": "OK"}, atLeast(1), "the named query under its field")
		check("carequeue_graphql_operations_total", map[string]string{"operation": "other", "type": "invalid", "code": "BAD_USER_INPUT"}, atLeast(1), "the malformed document")
		check("carequeue_graphql_operations_total", map[string]string{"operation": "queueChanged", "type": "subscription", "code": "OK"}, exactly(1), "1")
		check("carequeue_graphql_operation_duration_seconds", map[string]string{"operation": "checkIn", "type": "mutation"}, exactly(3), "3 observations")
		refused := false
		for _, m := range fams["carequeue_graphql_operations_total"].GetMetric() {
			l := map[string]string{}
			for _, p := range m.GetLabel() {
				l[p.GetName()] = p.GetValue()
			}
			refused = refused || (l["operation"] == "cancelTicket" && l["code"] != "OK")
		}
		require.True(t, refused, "the refused cancelTicket is counted with its code")
		check("carequeue_ws_open", nil, exactly(1), "the dashboard's socket")
		check("carequeue_graphql_subscriptions_active", map[string]string{"kind": "queueChanged"}, exactly(1), "1")
		check("carequeue_realtime_fanout_seconds", nil, atLeast(1), "the changes the dashboard received")
		check("carequeue_http_requests_total", map[string]string{"route": "/graphql", "code": "200"}, atLeast(5), "the API calls")
		check("carequeue_job_attempts_total", map[string]string{"kind": "notify_ticket_message", "outcome": "completed"}, atLeast(1), "the check-in messages")
		check("carequeue_ready", nil, exactly(1), "ready")
		// The scrape runs the collectors side by side, and the queue gauges read the database: the pool's
		// one open connection can be in use by them at that instant, so a kept connection is either state.
		idle, _ := sample(fams, "carequeue_db_pool_connections", map[string]string{"state": "idle"})
		inUse, _ := sample(fams, "carequeue_db_pool_connections", map[string]string{"state": "in_use"})
		require.GreaterOrEqual(t, idle+inUse, 1.0, "carequeue_db_pool_connections: idle %v + in_use %v, want a connection kept", idle, inUse)
		check("carequeue_db_pool_max_connections", nil, atLeast(1), "a ceiling")

		// Bounded labels: no label value is about a patient, an id or a client's own words, what a
		// request can put in a label comes from the schema, the error codes and the configuration, and
		// more of the same traffic (other patients, operation names and ids) adds no series.
		requireBoundedLabels(t, fams, secrets)
		checkIn(patient{"Barnaby", "Oyelaran", "MRN-778815", "+33612345604"}, "STANDARD")
		checkIn(patient{"Henrietta", "Vasquez", "MRN-778816", "+33612345605"}, "IMMEDIATE")
		strays("HenriettaVasquezRecord", "TK01J0000000000000000000001")
		_, again := scrape(t, "http://127.0.0.1:"+strconv.Itoa(port)+"/metrics", token)
		requireBoundedLabels(t, again, secrets)
		requestSeries := func(fams map[string]*dto.MetricFamily) []string {
			return seriesOf(fams, "carequeue_http_", "carequeue_graphql_", "carequeue_queue_")
		}
		require.Equal(t, requestSeries(fams), requestSeries(again), "more patients and requests of the same kinds added series")
		v, _ := sample(again, "carequeue_graphql_operations_total", map[string]string{"operation": "checkIn", "type": "mutation", "code": "OK"})
		require.Equal(t, 5.0, v, "the second round's check-ins are counted in the same series")

		// The exposition is what Prometheus accepts, and what the dashboards and rules ask for exists.
		tool := promtool(t)
		cmd := exec.Command(tool, "check", "metrics")
		cmd.Stdin = strings.NewReader(text)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "promtool check metrics:\n%s", out)
		for _, name := range monitoredMetrics(t) {
			if name == "up" || (!withRedis && strings.HasPrefix(name, "carequeue_redis_")) {
				continue
			}
			require.True(t, hasFamily(fams, name), "the dashboards or alert rules query %s, which the server does not expose", name)
		}

		// The dashboard closes its socket: the gauges come back down.
		require.NoError(t, dash.Close())
		require.Eventually(t, func() bool {
			_, fams := scrape(t, "http://127.0.0.1:"+strconv.Itoa(port)+"/metrics", token)
			sockets, _ := sample(fams, "carequeue_ws_open", nil)
			subs, _ := sample(fams, "carequeue_graphql_subscriptions_active", map[string]string{"kind": "queueChanged"})
			return sockets == 0 && subs == 0
		}, 10*time.Second, 50*time.Millisecond)
	})
}

// requireBoundedLabels fails on a label value of fams that is an id or contains one of secrets (a
// patient's name, MRN or phone, a ticket's code or status token, a client's operation name), and on a
// value of a request-derived label outside its bounded set: root fields of the schema, the error codes
// of cqerr, the triage levels, the names setupHospital configures.
func requireBoundedLabels(t *testing.T, fams map[string]*dto.MetricFamily, secrets []string) {
	t.Helper()
	id := regexp.MustCompile(`[A-Z]{2}[0-9A-HJKMNP-TV-Z]{26}`)
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				v := l.GetValue()
				require.False(t, id.MatchString(v), "%s{%s=%q} holds an id", name, l.GetName(), v)
				for _, secret := range secrets {
					require.NotContains(t, strings.ToLower(v), strings.ToLower(secret), "%s{%s} holds patient or client data", name, l.GetName())
				}
			}
		}
	}

	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	fieldsOf := func(defs ...*ast.Definition) []string {
		var out []string
		for _, d := range defs {
			for _, f := range d.Fields {
				out = append(out, f.Name)
			}
		}
		return out
	}
	operations := append(fieldsOf(schema.Query, schema.Mutation, schema.Subscription), "other", "__typename", "__schema", "__type")
	codes := []string{"OK"}
	for _, c := range []cqerr.Code{cqerr.Unauthenticated, cqerr.Forbidden, cqerr.NotFound, cqerr.BadUserInput, cqerr.Conflict,
		cqerr.RateLimited, cqerr.Unavailable, cqerr.Internal, cqerr.PersistedQueryNotFound, cqerr.PersistedQueryRequired} {
		codes = append(codes, string(c))
	}
	types := []string{"query", "mutation", "subscription", "invalid"}
	queue := map[string][]string{"facility": {"General"}, "department": {"Emergency"}, "queue": {"Triage", "Lab"},
		"level": {"IMMEDIATE", "VERY_URGENT", "URGENT", "STANDARD", "NON_URGENT"}}
	bounded := map[string]map[string][]string{
		"carequeue_graphql_operations_total":           {"operation": operations, "type": types, "code": codes},
		"carequeue_graphql_operation_duration_seconds": {"operation": operations, "type": types},
		"carequeue_graphql_subscriptions_active":       {"kind": fieldsOf(schema.Subscription)},
		"carequeue_queue_waiting":                      queue,
		"carequeue_queue_oldest_wait_seconds":          queue,
		"carequeue_queue_past_target":                  queue,
		"carequeue_queue_called_not_started":           queue,
	}
	for name, labels := range bounded {
		require.NotNil(t, fams[name], name)
		for _, m := range fams[name].GetMetric() {
			for _, l := range m.GetLabel() {
				require.Contains(t, labels[l.GetName()], l.GetValue(), "%s{%s} takes a value outside its bounded set", name, l.GetName())
			}
		}
	}
}

// seriesOf returns the series of fams whose family name starts with one of prefixes, each as
// name{label="value",…}, sorted.
func seriesOf(fams map[string]*dto.MetricFamily, prefixes ...string) []string {
	var out []string
	for name, f := range fams {
		if !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(name, p) }) {
			continue
		}
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+strconv.Quote(l.GetValue()))
			}
			out = append(out, name+"{"+strings.Join(labels, ",")+"}")
		}
	}
	slices.Sort(out)
	return out
}

// hasFamily reports whether name is a family of the scrape, or a histogram's _bucket, _sum or _count.
func hasFamily(fams map[string]*dto.MetricFamily, name string) bool {
	if fams[name] != nil {
		return true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if f := fams[strings.TrimSuffix(name, suffix)]; f != nil && strings.HasSuffix(name, suffix) && f.GetType() == dto.MetricType_HISTOGRAM {
			return true
		}
	}
	return false
}

var (
	quoted     = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	metricName = regexp.MustCompile(`\b(?:carequeue|go|process)_[a-zA-Z0-9_]+|\bup\b`)
)

// dashboardQuery is one query of a Grafana dashboard: a panel's target, or a variable's definition.
type dashboardQuery struct {
	where  string // dashboard file and panel title or variable name
	expr   string // PromQL; a variable's is label_values(selector, label)
	legend string // the target's legendFormat
}

// dashboardQueries returns the queries of the dashboards: every panel's targets (every panel has one),
// and every variable's definition.
func dashboardQueries(t *testing.T) (panels, variables []dashboardQuery) {
	t.Helper()
	dashboards, err := filepath.Glob(filepath.Join(monitoringDir, "grafana", "dashboards", "*.json"))
	require.NoError(t, err)
	require.Len(t, dashboards, 2, "the department and service views")
	for _, path := range dashboards {
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		var d struct {
			Panels []struct {
				Title   string
				Targets []struct{ Expr, LegendFormat string }
			}
			Templating struct {
				List []struct{ Name, Definition string }
			}
		}
		require.NoError(t, json.Unmarshal(raw, &d), path)
		require.NotEmpty(t, d.Panels, path)
		for _, p := range d.Panels {
			require.NotEmpty(t, p.Targets, "%s: panel %q has no query", path, p.Title)
			for _, tg := range p.Targets {
				require.NotEmpty(t, tg.Expr, "%s: panel %q", path, p.Title)
				panels = append(panels, dashboardQuery{filepath.Base(path) + ": " + p.Title, tg.Expr, tg.LegendFormat})
			}
		}
		for _, v := range d.Templating.List {
			variables = append(variables, dashboardQuery{where: filepath.Base(path) + ": $" + v.Name, expr: v.Definition})
		}
	}
	return panels, variables
}

// monitoredMetrics returns every metric name the dashboards' queries and the alert rules use.
func monitoredMetrics(t *testing.T) []string {
	t.Helper()
	var exprs []string
	panels, variables := dashboardQueries(t)
	for _, q := range append(panels, variables...) {
		exprs = append(exprs, q.expr)
	}
	rules, err := os.ReadFile(filepath.Join(monitoringDir, "prometheus", "alerts.yml"))
	require.NoError(t, err)
	for _, line := range strings.Split(string(rules), "\n") {
		if !strings.Contains(line, "summary:") && !strings.Contains(line, "description:") {
			exprs = append(exprs, line)
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, e := range exprs {
		for _, name := range metricName.FindAllString(quoted.ReplaceAllString(e, `""`), -1) {
			if !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	require.Contains(t, out, "carequeue_queue_past_target")
	return out
}

// TestAlertRules: the alert rules load, and their unit tests (alerts_test.yml: each alert fires on the
// story it is for and stays quiet below its threshold) pass.
func TestAlertRules(t *testing.T) {
	t.Parallel()
	tool := promtool(t)
	dir := filepath.Join(monitoringDir, "prometheus")
	for _, args := range [][]string{{"check", "rules", "alerts.yml"}, {"test", "rules", "alerts_test.yml"}} {
		cmd := exec.Command(tool, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "promtool %s:\n%s", strings.Join(args, " "), out)
	}
}

// TestPrometheusScrapesCareQueue runs Debian's Prometheus with docs/monitoring's configuration and alert
// rules (target and token file pointed at a started server, scraping and evaluating every second), after
// the traffic the panels show (check-ins and their messages' jobs, a call, a refused operation, a live
// subscription receiving the changes), and asks its HTTP API what Grafana and the alerting would: the
// target is up through the token; every metric the dashboards and rules name has series; every dashboard
// variable has values; every panel's query answers data with the labels its legend shows; every alert
// rule evaluates without error; CareQueueUrgentPastTarget is pending for the IMMEDIATE patient past
// target while nothing says the server is down or not ready. On PostgreSQL with REDIS_URL the Redis
// pool's panel is asked too.
func TestPrometheusScrapesCareQueue(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		require.NotEqual(t, "true", os.Getenv("CI"), "prometheus is missing (apt-get install prometheus)")
		t.Skip("prometheus is not installed (apt-get install prometheus)")
	}
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		const token = "scrape-token-for-prometheus-0123"
		target := "127.0.0.1:" + strconv.Itoa(freePort(t))
		env := map[string]string{"METRICS_ADDR": target, "METRICS_TOKEN": token}
		withRedis := d == store.Postgres && os.Getenv("REDIS_URL") != ""
		if withRedis {
			env["REDIS_URL"], env["REDIS_PREFIX"] = os.Getenv("REDIS_URL"), "prom-"+string(pulid.New("TS"))+":"
		}
		s := startServerWith(t, d, env)
		h := setupHospital(t, s)
		live := s.subscribe(t, h.clinician, `subscription($q:ID!){ queueChanged(queueID:$q){ waiting{ code } } }`, map[string]any{"q": h.triage})
		require.Equal(t, "next", s.read(t, live).Type, "the first state")
		h.checkIn(t, s, h.triage, "Ann", "IMMEDIATE")
		h.checkIn(t, s, h.triage, "Bea", "IMMEDIATE")
		h.callTriageNext(t, s)
		require.Eventually(t, func() bool {
			m := s.read(t, live)
			return m.Type == "next" && strings.Count(string(m.Payload), `"code"`) == 1
		}, 10*time.Second, time.Millisecond, "the live queue shows the call")
		r := s.gql(t, h.reception, `mutation{ cancelTicket(ticketID:"TK01J0000000000000000000000", reason:"gone") { id } }`, nil)
		require.NotEmpty(t, r.Errors)
		s.waitForJobs(t)

		p := startPrometheus(t, bin, target, token)
		p.eventually(t, "the target is up through the token", func() (bool, string) {
			var targets struct {
				ActiveTargets []struct {
					Labels    map[string]string
					Health    string
					LastError string
				}
			}
			if err := p.get("/api/v1/targets", nil, &targets); err != nil {
				return false, err.Error()
			}
			for _, tg := range targets.ActiveTargets {
				if tg.Labels["job"] == "carequeue" && tg.Health == "up" {
					return true, ""
				}
			}
			return false, fmt.Sprintf("%+v", targets.ActiveTargets)
		})

		for _, name := range monitoredMetrics(t) {
			if !withRedis && strings.HasPrefix(name, "carequeue_redis_") {
				continue
			}
			p.eventually(t, name+" has series", p.answers(`count({__name__="`+name+`"})`, nil))
		}
		panels, variables := dashboardQueries(t)
		labelValues := regexp.MustCompile(`^label_values\((.+),\s*(\w+)\)$`)
		for _, v := range variables {
			m := labelValues.FindStringSubmatch(v.expr)
			require.NotNil(t, m, "%s: %q is not label_values(selector, label)", v.where, v.expr)
			p.eventually(t, v.where+" has values", p.answers("count by ("+m[2]+") ("+allValues(m[1])+")", []string{m[2]}))
		}
		legendLabel := regexp.MustCompile(`\{\{\s*(\w+)\s*\}\}`)
		for _, q := range panels {
			if !withRedis && strings.Contains(q.expr, "carequeue_redis_") {
				continue
			}
			var legend []string
			for _, m := range legendLabel.FindAllStringSubmatch(q.legend, -1) {
				legend = append(legend, m[1])
			}
			p.eventually(t, q.where+": "+q.expr, p.answers(allValues(q.expr), legend))
		}

		rules, err := os.ReadFile(filepath.Join(monitoringDir, "prometheus", "alerts.yml"))
		require.NoError(t, err)
		alerts := strings.Count(string(rules), "- alert: ")
		p.eventually(t, "every alert rule evaluates", func() (bool, string) {
			var got struct {
				Groups []struct {
					Rules []struct{ Name, Health, LastError string }
				}
			}
			if err := p.get("/api/v1/rules", nil, &got); err != nil {
				return false, err.Error()
			}
			var ok int
			var said []string
			for _, g := range got.Groups {
				for _, r := range g.Rules {
					if r.Health == "ok" {
						ok++
					} else {
						said = append(said, r.Name+": "+r.Health+" "+r.LastError)
					}
				}
			}
			return ok == alerts, fmt.Sprintf("%d of %d rules ok; %v", ok, alerts, said)
		})
		p.eventually(t, "CareQueueUrgentPastTarget is pending", p.answers(
			`ALERTS{alertname="CareQueueUrgentPastTarget",alertstate="pending",facility="General",department="Emergency",queue="Triage",level="IMMEDIATE"}`, nil))
		down, err := p.query(`ALERTS{alertname=~"CareQueueDown|CareQueueNotReady|CareQueueHTTPErrors|CareQueueGraphQLErrors"}`)
		require.NoError(t, err)
		require.Empty(t, down, "the server is up, ready and answering: nothing says otherwise")
	})
}

// allValues is a dashboard query as Grafana sends it with every variable at "All" (allValue ".*").
func allValues(expr string) string {
	return regexp.MustCompile(`\$\{?\w+\}?`).ReplaceAllLiteralString(expr, ".*")
}

// prometheusServer is a Prometheus started by startPrometheus, read through its HTTP API.
type prometheusServer struct {
	url, log string
}

// startPrometheus runs bin with docs/monitoring's prometheus.yml and alerts.yml, pointed at target with
// token and scraping and evaluating every second, until the test ends.
func startPrometheus(t *testing.T, bin, target, token string) *prometheusServer {
	t.Helper()
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(tokenFile, []byte(token+"\n"), 0o600))
	src := filepath.Join(monitoringDir, "prometheus")
	cfg, err := os.ReadFile(filepath.Join(src, "prometheus.yml"))
	require.NoError(t, err)
	rules, err := os.ReadFile(filepath.Join(src, "alerts.yml"))
	require.NoError(t, err)
	config := string(cfg)
	for old, repl := range map[string]string{
		`"carequeue:9090"`: `"` + target + `"`, "/run/secrets/metrics-token": tokenFile,
		"scrape_interval: 15s": "scrape_interval: 1s", "evaluation_interval: 15s": "evaluation_interval: 1s",
	} {
		require.Contains(t, config, old)
		config = strings.ReplaceAll(config, old, repl)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(config), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "alerts.yml"), rules, 0o600))

	p := &prometheusServer{url: "http://127.0.0.1:" + strconv.Itoa(freePort(t)), log: filepath.Join(dir, "prometheus.log")}
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+strings.TrimPrefix(p.url, "http://"))
	logFile, err := os.Create(p.log)
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = logFile.Close()
	})
	return p
}

// get reads path of the HTTP API into data (the answer's "data"), or returns the API's error.
func (p *prometheusServer) get(path string, params url.Values, data any) error {
	res, err := http.Get(p.url + path + "?" + params.Encode())
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var answer struct {
		Status, Error string
		Data          json.RawMessage
	}
	if err := json.NewDecoder(res.Body).Decode(&answer); err != nil {
		return fmt.Errorf("%s: %s: %w", path, res.Status, err)
	}
	if answer.Status != "success" {
		return fmt.Errorf("%s: %s", path, answer.Error)
	}
	return json.Unmarshal(answer.Data, data)
}

// query evaluates expr now and returns the labels of each series of its answer (an instant vector).
func (p *prometheusServer) query(expr string) ([]map[string]string, error) {
	var data struct {
		ResultType string
		Result     []struct{ Metric map[string]string }
	}
	if err := p.get("/api/v1/query", url.Values{"query": {expr}}, &data); err != nil {
		return nil, err
	}
	if data.ResultType != "vector" {
		return nil, fmt.Errorf("%s answers a %s, not a vector", expr, data.ResultType)
	}
	out := make([]map[string]string, 0, len(data.Result))
	for _, r := range data.Result {
		out = append(out, r.Metric)
	}
	return out, nil
}

// answers is a check for eventually: expr evaluates to series, each carrying every label of labels.
func (p *prometheusServer) answers(expr string, labels []string) func() (bool, string) {
	return func() (bool, string) {
		series, err := p.query(expr)
		if err != nil {
			return false, err.Error()
		}
		if len(series) == 0 {
			return false, "no series"
		}
		for _, s := range series {
			for _, l := range labels {
				if s[l] == "" {
					return false, fmt.Sprintf("a series without the label %q: %v", l, s)
				}
			}
		}
		return true, ""
	}
}

// eventually polls check for up to a minute (the first scrapes, rate windows of two samples, the first
// rule evaluations); failing, it shows check's last word and Prometheus's log.
func (p *prometheusServer) eventually(t *testing.T, what string, check func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		ok, said := check()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(p.log)
			t.Fatalf("%s: never true (%s); prometheus said:\n%s", what, said, log)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
