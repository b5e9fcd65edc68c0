package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/carequeue/carequeue/internal/redis/redistest"
	"github.com/carequeue/carequeue/internal/store"
)

// fakeCollector is an OTLP/HTTP traces receiver: it decodes the ExportTraceServiceRequest protobuf the
// real exporter posts to /v1/traces and keeps every span with its resource's attributes.
type fakeCollector struct {
	url   string
	mu    sync.Mutex
	spans []collectedSpan
	posts int
}

type collectedSpan struct {
	*tracepb.Span
	resource map[string]string
}

func newFakeCollector(t *testing.T) *fakeCollector {
	t.Helper()
	c := &fakeCollector{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			t.Errorf("collector: unexpected %s %s (%s)", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
			return
		}
		// The exporter compresses nothing unless OTEL_EXPORTER_OTLP_COMPRESSION says so; the server
		// does not set it.
		raw, err := io.ReadAll(r.Body)
		if err != nil || r.Header.Get("Content-Encoding") != "" {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			t.Errorf("collector: unreadable body (%v, Content-Encoding %q)", err, r.Header.Get("Content-Encoding"))
			return
		}
		var req coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(raw, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			t.Errorf("collector: not an ExportTraceServiceRequest: %v", err)
			return
		}
		c.mu.Lock()
		c.posts++
		for _, rs := range req.ResourceSpans {
			res := attrMap(rs.GetResource().GetAttributes())
			for _, ss := range rs.ScopeSpans {
				for _, sp := range ss.Spans {
					c.spans = append(c.spans, collectedSpan{Span: sp, resource: res})
				}
			}
		}
		c.mu.Unlock()
		out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(srv.Close)
	c.url = srv.URL
	return c
}

func (c *fakeCollector) collected() ([]collectedSpan, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]collectedSpan(nil), c.spans...), c.posts
}

func attrMap(kvs []*commonpb.KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		m[kv.Key] = anyValue(kv.Value)
	}
	return m
}

func anyValue(v *commonpb.AnyValue) string {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_IntValue:
		return fmt.Sprint(x.IntValue)
	case *commonpb.AnyValue_BoolValue:
		return fmt.Sprint(x.BoolValue)
	case *commonpb.AnyValue_ArrayValue:
		var parts []string
		for _, e := range x.ArrayValue.Values {
			parts = append(parts, anyValue(e))
		}
		return strings.Join(parts, ",")
	default:
		return fmt.Sprint(v.GetValue())
	}
}

// everything is all the text a span exports: name, attributes, events, links, status and resource.
func (s collectedSpan) everything() string {
	var b strings.Builder
	b.WriteString(s.Name + "\n" + s.GetStatus().GetMessage() + "\n")
	for k, v := range attrMap(s.Attributes) {
		b.WriteString(k + "=" + v + "\n")
	}
	for _, e := range s.Events {
		b.WriteString(e.Name + fmt.Sprint(attrMap(e.Attributes)) + "\n")
	}
	for _, l := range s.Links {
		b.WriteString(fmt.Sprint(attrMap(l.Attributes)) + l.TraceState + "\n")
	}
	for k, v := range s.resource {
		b.WriteString(k + "=" + v + "\n")
	}
	return b.String()
}

// The W3C example ids: a caller (a proxy, an EHR) that sends traceparent has its trace continued.
const (
	callerTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	callerSpanID  = "00f067aa0ba902b7"
)

// The patient whose data must appear in no span.
var tracedPatient = map[string]any{"givenName": "Zephyrine", "familyName": "Quackenbush", "mrn": "MRN-4471-XQ",
	"phone": "+33 6 98 76 54 32", "dateOfBirth": "1961-07-23T00:00:00Z"}

var tracedPatientData = []string{"Zephyrine", "Quackenbush", "MRN-4471-XQ", "698765432", "98 76 54 32", "1961-07-23"}

// checkInTraced checks tracedPatient in with a traceparent header and returns the response.
func checkInTraced(t *testing.T, s *testServer, h *hospital) *http.Response {
	t.Helper()
	res, body := postCheckIn(t, s, h, http.Header{"Traceparent": {"00-" + callerTraceID + "-" + callerSpanID + "-01"}})
	require.NotContains(t, body, `"errors"`, body)
	return res
}

// postCheckIn posts a check-in of tracedPatient as the receptionist, with extra headers, and returns
// the response and its body.
func postCheckIn(t *testing.T, s *testServer, h *hospital, headers http.Header) (*http.Response, string) {
	t.Helper()
	patient := map[string]any{"facilityID": h.facility}
	for k, v := range tracedPatient {
		patient[k] = v
	}
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation CheckInTraced($q:ID!,$p:CreatePatientInput!){ checkIn(input:{queueID:$q, patient:$p}){ id code } }`,
		"variables": map[string]any{"q": h.triage, "p": patient},
	})
	req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+h.reception)
	for k, v := range headers {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode, string(raw))
	return res, string(raw)
}

// TestTracesReachTheCollector runs a check-in through a production server whose
// OTEL_EXPORTER_OTLP_ENDPOINT is a fake collector, with Redis and a dashboard watching, and reads what
// the real exporter sent: one trace from the caller's traceparent through the HTTP span, the GraphQL
// operation and its SQL statements, the Redis publish; the job and the WebSocket delivery it caused,
// linked to it; every span tagged with the service; and no patient data in any span.
func TestTracesReachTheCollector(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		col := newFakeCollector(t)
		logs := &safeBuffer{}
		s := startServerLogging(t, d, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": col.url, "LOG_LEVEL": "info",
			"REDIS_URL": redistest.URL(), "REDIS_PREFIX": fmt.Sprintf("cqtrace%d:", time.Now().UnixNano())}, logs)
		h := setupHospital(t, s)
		dash := s.subscribe(t, h.clinician, `subscription($q:ID!){ queueChanged(queueID:$q){ version waiting{ code } } }`, map[string]any{"q": h.triage})
		require.Equal(t, "next", s.read(t, dash).Type)

		res := checkInTraced(t, s, h)
		requestID := res.Header.Get("X-Request-Id")
		m := s.read(t, dash) // the check-in, delivered over the WebSocket
		require.Equal(t, "next", m.Type, string(m.Payload))
		s.waitForJobs(t)
		// The event's own read may come after the message: a read already in flight when the event
		// arrived can deliver its version first, and the event's read (its span linked to the check-in)
		// then follows at once with nothing new to send. Give it that moment before stopping.
		time.Sleep(300 * time.Millisecond)
		require.NoError(t, s.stop()) // flushes the exporter

		spans, _ := col.collected()
		require.NotEmpty(t, spans)
		for _, sp := range spans {
			require.Equal(t, "carequeue", sp.resource["service.name"])
			require.NotEmpty(t, sp.resource["service.version"])
			require.Equal(t, "production", sp.resource["deployment.environment.name"])
			text := sp.everything()
			for _, secret := range append(tracedPatientData, h.reception, testSecret) {
				require.NotContains(t, text, secret, "span %q exports patient data or a secret", sp.Name)
			}
		}

		byID := map[string]collectedSpan{}
		var inTrace []collectedSpan
		for _, sp := range spans {
			byID[hex.EncodeToString(sp.SpanId)] = sp
			if hex.EncodeToString(sp.TraceId) == callerTraceID {
				inTrace = append(inTrace, sp)
			}
		}
		find := func(name string) collectedSpan {
			t.Helper()
			for _, sp := range inTrace {
				if sp.Name == name {
					return sp
				}
			}
			var names []string
			for _, sp := range inTrace {
				names = append(names, sp.Name)
			}
			t.Fatalf("no span %q in the caller's trace; it has %q", name, names)
			return collectedSpan{}
		}
		// under reports whether sp descends from ancestor.
		under := func(sp, ancestor collectedSpan) bool {
			for p, ok := sp, true; ok; p, ok = byID[hex.EncodeToString(p.ParentSpanId)] {
				if string(p.ParentSpanId) == string(ancestor.SpanId) {
					return true
				}
			}
			return false
		}

		httpSpan := find("POST /graphql")
		require.Equal(t, callerSpanID, hex.EncodeToString(httpSpan.ParentSpanId), "the caller's span is the parent")
		require.Equal(t, tracepb.Span_SPAN_KIND_SERVER, httpSpan.Kind)
		attrs := attrMap(httpSpan.Attributes)
		require.Equal(t, "/graphql", attrs["http.route"])
		require.Equal(t, "200", attrs["http.response.status_code"])
		require.Equal(t, requestID, attrs["carequeue.request_id"])

		op := find("mutation checkIn")
		require.True(t, under(op, httpSpan))
		require.Equal(t, "CheckInTraced", attrMap(op.Attributes)["graphql.operation.name"])
		require.Equal(t, requestID, attrMap(op.Attributes)["carequeue.request_id"])
		system := map[store.Dialect]string{store.SQLite: "sqlite", store.Postgres: "postgresql"}[d]
		var inserts []string
		for _, sp := range inTrace {
			a := attrMap(sp.Attributes)
			if a["db.system.name"] == system && under(sp, op) && a["db.operation.name"] == "INSERT" {
				inserts = append(inserts, a["db.collection.name"])
			}
		}
		require.Contains(t, inserts, "patients", "the check-in's SQL is under its operation")
		require.Contains(t, inserts, "tickets")
		publish := find("redis publish")
		require.True(t, under(publish, op))
		require.Equal(t, "redis", attrMap(publish.Attributes)["db.system.name"])

		linked := func(prefix string) collectedSpan {
			t.Helper()
			for _, sp := range spans {
				if !strings.HasPrefix(sp.Name, prefix) {
					continue
				}
				for _, l := range sp.Links {
					if hex.EncodeToString(l.TraceId) == callerTraceID {
						return sp
					}
				}
			}
			t.Fatalf("no %q span linked to the caller's trace", prefix)
			return collectedSpan{}
		}
		job := linked("job ")
		require.NotEmpty(t, attrMap(job.Attributes)["carequeue.job.kind"])
		require.Equal(t, "1", attrMap(job.Attributes)["carequeue.job.attempt"])
		deliver := linked("realtime deliver")
		require.Equal(t, "1", attrMap(deliver.Attributes)["carequeue.topic.watchers"])

		// The access log line of the check-in names its request id and its trace.
		var line map[string]any
		for l := range strings.SplitSeq(logs.String(), "\n") {
			if strings.Contains(l, requestID) && strings.Contains(l, `"http request"`) {
				require.NoError(t, json.Unmarshal([]byte(l), &line))
			}
		}
		require.NotNil(t, line, "no access log line for %s", requestID)
		require.Equal(t, callerTraceID, line["trace_id"])
		require.Equal(t, hex.EncodeToString(httpSpan.SpanId), line["span_id"])
	})
}

// TestNoTracesWithoutEndpoint: without OTEL_EXPORTER_OTLP_ENDPOINT nothing is traced, even for a caller
// that sends traceparent: no span reaches a collector and no log line carries a trace id.
func TestNoTracesWithoutEndpoint(t *testing.T) {
	t.Parallel()
	col := newFakeCollector(t)
	logs := &safeBuffer{}
	// The collector runs, but nothing names it: the SDK's own environment variables are not read for
	// the decision (the process environment of a test run could hold anything).
	s := startServerLogging(t, store.SQLite, map[string]string{"LOG_LEVEL": "info"}, logs)
	h := setupHospital(t, s)
	checkInTraced(t, s, h)
	require.NoError(t, s.stop())
	_, posts := col.collected()
	require.Zero(t, posts)
	require.NotContains(t, logs.String(), "trace_id")
	require.NotContains(t, logs.String(), callerTraceID)
}
