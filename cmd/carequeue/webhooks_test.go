package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// hookDelivery is one request a test receiver got.
type hookDelivery struct {
	ID, Timestamp, Signature, ContentType string
	Body                                  []byte
	// At is when the receiver read the delivery.
	At      time.Time
	Payload struct {
		Type      string
		Timestamp time.Time
		Data      map[string]any
	}
}

// hookReceiver is a local webhook endpoint that records what it gets and answers with the statuses
// queued in answers (then 200), a refusal carrying retryAfter as its Retry-After when set.
type hookReceiver struct {
	srv        *httptest.Server
	mu         sync.Mutex
	got        []hookDelivery
	answers    []int
	retryAfter func() string
}

func newHookReceiver(t *testing.T, answers ...int) *hookReceiver {
	r := &hookReceiver{answers: answers}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		d := hookDelivery{At: time.Now(), ID: req.Header.Get("webhook-id"), Timestamp: req.Header.Get("webhook-timestamp"),
			Signature: req.Header.Get("webhook-signature"), ContentType: req.Header.Get("Content-Type"), Body: body}
		_ = json.Unmarshal(body, &d.Payload)
		r.mu.Lock()
		r.got = append(r.got, d)
		status := http.StatusOK
		if len(r.answers) > 0 {
			status, r.answers = r.answers[0], r.answers[1:]
		}
		retryAfter := r.retryAfter
		r.mu.Unlock()
		if retryAfter != nil && status != http.StatusOK {
			w.Header().Set("Retry-After", retryAfter())
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "answer "+strconv.Itoa(status))
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *hookReceiver) deliveries() []hookDelivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hookDelivery(nil), r.got...)
}

func (r *hookReceiver) waitFor(t *testing.T, n int) []hookDelivery {
	t.Helper()
	require.Eventually(t, func() bool { return len(r.deliveries()) >= n }, 30*time.Second, 20*time.Millisecond,
		"the receiver got %d deliveries, want %d", len(r.deliveries()), n)
	return r.deliveries()
}

// verifyHook checks a delivery's signature independently of the server's code, as the Standard
// Webhooks specification describes it.
func verifyHook(t *testing.T, secret string, d hookDelivery) {
	t.Helper()
	require.Equal(t, "application/json", d.ContentType)
	require.True(t, strings.HasPrefix(d.ID, "msg_"), d.ID)
	ts, err := strconv.ParseInt(d.Timestamp, 10, 64)
	require.NoError(t, err)
	require.InDelta(t, time.Now().Unix(), ts, 60)
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	require.NoError(t, err)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(d.ID + "." + d.Timestamp + "." + string(d.Body)))
	require.Equal(t, "v1,"+base64.StdEncoding.EncodeToString(m.Sum(nil)), d.Signature)
}

type hookEndpoint struct {
	Endpoint struct {
		ID     string
		Events []string
	}
	Secret string
}

const createHook = `mutation($in:CreateWebhookEndpointInput!){ createWebhookEndpoint(input:$in){ endpoint{ id events } secret } }`

func (s *testServer) createHook(t *testing.T, token string, in map[string]any) hookEndpoint {
	t.Helper()
	var ep hookEndpoint
	s.ok(t, token, createHook, map[string]any{"in": in}, "createWebhookEndpoint", &ep)
	return ep
}

type hookLogRow struct {
	ID, MessageID, Event, Status, ErrorClass, ResponseSnippet string
	Attempt                                                   int
	HTTPStatus                                                *int
	Replay                                                    bool
}

func (s *testServer) hookLog(t *testing.T, token, endpointID string) []hookLogRow {
	t.Helper()
	var conn struct{ Edges []struct{ Node hookLogRow } }
	s.ok(t, token, `query($e:ID!){ webhookDeliveries(endpointID:$e, first:100){ edges{ node{ id messageID event status errorClass responseSnippet attempt httpStatus replay } } } }`,
		map[string]any{"e": endpointID}, "webhookDeliveries", &conn)
	out := make([]hookLogRow, len(conn.Edges))
	for i, e := range conn.Edges {
		out[i] = e.Node
	}
	return out
}

// TestWebhooks: committed workflow steps reach the subscribed endpoints of their facility, signed, in
// order, with no more patient data than allowed; failures are retried and logged; replays keep the id.
func TestWebhooks(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, map[string]string{"APP_ENV": "test"})
		h := setupHospital(t, s)
		mine := newHookReceiver(t)
		noShows := newHookReceiver(t)
		elsewhere := newHookReceiver(t)
		ep := s.createHook(t, h.admin, map[string]any{"facilityID": h.facility, "url": mine.srv.URL + "/hooks",
			"events": []string{"TICKET_CHECKED_IN", "TICKET_CALLED", "TICKET_COMPLETED"}})
		require.True(t, strings.HasPrefix(ep.Secret, "whsec_"))
		s.createHook(t, h.admin, map[string]any{"facilityID": h.facility, "url": noShows.srv.URL, "events": []string{"TICKET_NO_SHOW"}})
		var other node
		s.ok(t, h.admin, `mutation{ createFacility(input:{name:"Elsewhere", timezone:"Europe/Paris"}){ id } }`, nil, "createFacility", &other)
		s.createHook(t, h.admin, map[string]any{"facilityID": other.ID, "url": elsewhere.srv.URL,
			"events": []string{"TICKET_CHECKED_IN", "TICKET_CALLED", "TICKET_STARTED", "TICKET_COMPLETED"}})

		tk := h.checkIn(t, s, h.triage, "Ann", "STANDARD")
		var n node
		s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`,
			map[string]any{"q": h.triage, "sp": h.room1}, "callNext", &n)
		for _, step := range []string{"startService", "completeTicket"} {
			s.ok(t, h.clinician, `mutation($t:ID!){ `+step+`(ticketID:$t){ id } }`, map[string]any{"t": tk.ID}, step, nil)
		}

		mine.waitFor(t, 3)
		s.waitForHookJobs(t)
		got := mine.deliveries()
		require.Len(t, got, 3, "started is not subscribed")
		ids := map[string]bool{}
		for i, want := range []struct{ typ, status string }{{"ticket.checkedIn", "WAITING"}, {"ticket.called", "CALLED"}, {"ticket.completed", "COMPLETED"}} {
			d := got[i]
			verifyHook(t, ep.Secret, d)
			require.Equal(t, want.typ, d.Payload.Type, "deliveries arrive in workflow order")
			require.Equal(t, want.status, d.Payload.Data["status"])
			require.Equal(t, tk.Code, d.Payload.Data["code"])
			require.Equal(t, tk.ID, d.Payload.Data["ticketId"])
			require.Equal(t, "Triage", d.Payload.Data["queue"].(map[string]any)["name"])
			require.Equal(t, "Emergency", d.Payload.Data["department"].(map[string]any)["name"])
			require.NotContains(t, d.Payload.Data, "patient", "the default scope carries no patient identifiers")
			for _, secret := range []string{"Ann", "Test", "+33612345678", "612345678"} {
				require.NotContains(t, string(d.Body), secret)
			}
			require.False(t, ids[d.ID], "one webhook-id per event")
			ids[d.ID] = true
		}
		require.Equal(t, "Room 1", got[1].Payload.Data["servicePoint"].(map[string]any)["name"])
		require.Empty(t, noShows.deliveries(), "an endpoint not subscribed to these events gets nothing")
		require.Empty(t, elsewhere.deliveries(), "another facility's endpoint gets nothing")

		log := s.hookLog(t, h.admin, ep.Endpoint.ID)
		require.Len(t, log, 3)
		for _, row := range log {
			require.Equal(t, "SUCCEEDED", row.Status)
			require.Equal(t, 1, row.Attempt)
			require.Equal(t, 200, *row.HTTPStatus)
			require.Equal(t, "answer 200", row.ResponseSnippet)
		}

		t.Run("RetriesServerErrorsAndLogsEachAttempt", func(t *testing.T) {
			flaky := newHookReceiver(t, http.StatusInternalServerError)
			fe := s.createHook(t, h.admin, map[string]any{"facilityID": h.facility, "url": flaky.srv.URL, "events": []string{"TICKET_CHECKED_IN"}})
			h.checkIn(t, s, h.lab, "Bob", "STANDARD")
			got := flaky.waitFor(t, 2)
			require.Equal(t, got[0].ID, got[1].ID, "webhook-id is stable across retries")
			require.Equal(t, got[0].Body, got[1].Body)
			verifyHook(t, fe.Secret, got[1])
			var log []hookLogRow
			require.Eventually(t, func() bool { log = s.hookLog(t, h.admin, fe.Endpoint.ID); return len(log) == 2 }, 10*time.Second, 50*time.Millisecond)
			require.Equal(t, "SUCCEEDED", log[0].Status, "newest first")
			require.Equal(t, 2, log[0].Attempt)
			require.Equal(t, "RETRYING", log[1].Status)
			require.Equal(t, "http_5xx", log[1].ErrorClass)
			require.Equal(t, 500, *log[1].HTTPStatus)

			t.Run("ReplayKeepsTheID", func(t *testing.T) {
				var ok bool
				s.ok(t, h.admin, `mutation($d:ID!){ replayWebhookDelivery(id:$d) }`, map[string]any{"d": log[1].ID}, "replayWebhookDelivery", &ok)
				require.True(t, ok)
				again := flaky.waitFor(t, 3)
				require.Equal(t, got[0].ID, again[2].ID)
				require.Equal(t, got[0].Body, again[2].Body)
				verifyHook(t, fe.Secret, again[2])
				require.Eventually(t, func() bool { log = s.hookLog(t, h.admin, fe.Endpoint.ID); return len(log) == 3 }, 10*time.Second, 50*time.Millisecond)
				require.True(t, log[0].Replay)
				require.Equal(t, 3, log[0].Attempt)
			})
			s.disableHook(t, h.admin, fe.Endpoint.ID)
			h.checkIn(t, s, h.lab, "Bo2", "STANDARD")
			s.waitForHookJobs(t)
			require.Len(t, flaky.deliveries(), 3, "a disabled endpoint gets nothing")
		})

		t.Run("ClientErrorsAreNotRetried", func(t *testing.T) {
			gone := newHookReceiver(t, http.StatusGone, http.StatusGone)
			ge := s.createHook(t, h.admin, map[string]any{"facilityID": h.facility, "url": gone.srv.URL, "events": []string{"TICKET_CHECKED_IN"}})
			h.checkIn(t, s, h.lab, "Cid", "STANDARD")
			gone.waitFor(t, 1)
			s.waitForHookJobs(t)
			require.Len(t, gone.deliveries(), 1)
			log := s.hookLog(t, h.admin, ge.Endpoint.ID)
			require.Len(t, log, 1)
			require.Equal(t, "FAILED", log[0].Status)
			require.Equal(t, "http_4xx", log[0].ErrorClass)
			s.disableHook(t, h.admin, ge.Endpoint.ID)
		})

		t.Run("FullScopeCarriesNameAndPhone", func(t *testing.T) {
			full := newHookReceiver(t)
			fe := s.createHook(t, h.admin, map[string]any{"facilityID": h.facility, "url": full.srv.URL, "events": []string{"TICKET_CHECKED_IN"}, "dataScope": "FULL"})
			mrn := newHookReceiver(t)
			me := s.createHook(t, h.admin, map[string]any{"facilityID": h.facility, "url": mrn.srv.URL, "events": []string{"TICKET_CHECKED_IN"}, "dataScope": "MRN"})
			defer s.disableHook(t, h.admin, fe.Endpoint.ID)
			defer s.disableHook(t, h.admin, me.Endpoint.ID)
			h.checkIn(t, s, h.lab, "Dee", "STANDARD")
			p := full.waitFor(t, 1)[0].Payload.Data["patient"].(map[string]any)
			require.Equal(t, "Dee", p["givenName"])
			require.Equal(t, "+33612345678", p["phone"])
			m := mrn.waitFor(t, 1)[0]
			require.NotContains(t, string(m.Body), "Dee")
			require.NotContains(t, string(m.Body), "+33612345678")
		})

		t.Run("AdminsOfTheFacilityOnly", func(t *testing.T) {
			for _, token := range []string{h.reception, h.clinician} {
				r := s.gql(t, token, createHook, map[string]any{"in": map[string]any{"facilityID": h.facility, "url": "https://ehr.example.org/h", "events": []string{"TICKET_CALLED"}}})
				require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
				for _, q := range []string{
					`query($e:ID!){ webhookDeliveries(endpointID:$e, first:5){ edges{ node{ id } } } }`,
					`query($e:ID!){ node(id:$e){ id } }`,
					`mutation($e:ID!){ rotateWebhookSecret(id:$e){ secret } }`,
					`mutation($e:ID!){ deleteWebhookEndpoint(id:$e) }`,
				} {
					r = s.gql(t, token, q, map[string]any{"e": ep.Endpoint.ID})
					require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
				}
				r = s.gql(t, token, `{ webhookEndpoints(first:5){ edges{ node{ id } } } }`, nil)
				require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
			}
			// An admin of another facility sees nothing of this one's.
			s.ok(t, h.admin, `mutation($f:ID!){ createUser(input:{email:"far-admin@test.org", name:"Far", role:ADMIN, facilityID:$f}, password:"a-long-password-1"){ id } }`,
				map[string]any{"f": other.ID}, "createUser", nil)
			far, _ := s.login(t, "far-admin@test.org", "a-long-password-1")
			r := s.gql(t, far, `mutation($e:ID!){ deleteWebhookEndpoint(id:$e) }`, map[string]any{"e": ep.Endpoint.ID})
			require.Equal(t, "NOT_FOUND", r.code(), r.Raw)
			r = s.gql(t, far, createHook, map[string]any{"in": map[string]any{"facilityID": h.facility, "url": "https://ehr.example.org/h", "events": []string{"TICKET_CALLED"}}})
			require.Equal(t, "NOT_FOUND", r.code(), r.Raw)
		})

		t.Run("RotateChangesTheSecret", func(t *testing.T) {
			var rotated hookEndpoint
			s.ok(t, h.admin, `mutation($e:ID!){ rotateWebhookSecret(id:$e){ endpoint{ id } secret } }`, map[string]any{"e": ep.Endpoint.ID}, "rotateWebhookSecret", &rotated)
			require.NotEqual(t, ep.Secret, rotated.Secret)
			before := len(mine.deliveries())
			h.checkIn(t, s, h.triage, "Eve", "STANDARD")
			d := mine.waitFor(t, before+1)[before]
			verifyHook(t, rotated.Secret, d)
		})

		t.Run("BadInput", func(t *testing.T) {
			for _, tc := range []struct {
				name  string
				in    map[string]any
				field string
			}{
				{"NoEvents", map[string]any{"url": "https://ehr.example.org/h", "events": []string{}}, "input.events"},
				{"NotAURL", map[string]any{"url": "not a url", "events": []string{"TICKET_CALLED"}}, "input.url"},
				{"Scheme", map[string]any{"url": "ftp://ehr.example.org/h", "events": []string{"TICKET_CALLED"}}, "input.url"},
				{"LongDescription", map[string]any{"url": "https://ehr.example.org/h", "events": []string{"TICKET_CALLED"}, "description": strings.Repeat("x", 201)}, "input.description"},
			} {
				tc.in["facilityID"] = h.facility
				r := s.gql(t, h.admin, createHook, map[string]any{"in": tc.in})
				require.Equal(t, "BAD_USER_INPUT", r.code(), tc.name+": "+r.Raw)
				require.Equal(t, tc.field, r.Errors[0].Extensions["field"], tc.name+": "+r.Raw)
			}
			r := s.gql(t, h.admin, createHook, map[string]any{"in": map[string]any{"facilityID": h.facility, "url": "https://ehr.example.org/h", "events": []string{"TICKET_EXPLODED"}}})
			require.NotEmpty(t, r.Errors, "an unknown event is refused: %s", r.Raw)
		})
	})
}

// TestWebhookURLsInProduction: production refuses plain http and internal addresses (SSRF).
func TestWebhookURLsInProduction(t *testing.T) {
	t.Parallel()
	s := startServer(t, store.SQLite)
	h := setupHospital(t, s)
	for _, url := range []string{"http://ehr.example.org/h", "https://127.0.0.1/h", "https://10.0.0.8/h", "https://169.254.169.254/latest",
		"https://[::1]/h", "https://localhost/h", "https://192.168.1.1/h"} {
		r := s.gql(t, h.admin, createHook, map[string]any{"in": map[string]any{"facilityID": h.facility, "url": url, "events": []string{"TICKET_CALLED"}}})
		require.Equal(t, "BAD_USER_INPUT", r.code(), url+": "+r.Raw)
		require.Equal(t, "input.url", r.Errors[0].Extensions["field"], r.Raw)
	}
	ep := s.createHook(t, h.admin, map[string]any{"facilityID": h.facility, "url": "https://ehr.example.org/h", "events": []string{"TICKET_CALLED"}})
	r := s.gql(t, h.admin, `mutation($e:ID!){ updateWebhookEndpoint(id:$e, input:{url:"https://10.1.1.1/h"}){ id } }`, map[string]any{"e": ep.Endpoint.ID})
	require.Equal(t, "BAD_USER_INPUT", r.code(), r.Raw)
	require.Equal(t, "input.url", r.Errors[0].Extensions["field"], r.Raw)
}

func (s *testServer) disableHook(t *testing.T, token, id string) {
	t.Helper()
	var ep struct{ Enabled bool }
	s.ok(t, token, `mutation($e:ID!){ updateWebhookEndpoint(id:$e, input:{enabled:false}){ enabled } }`, map[string]any{"e": id}, "updateWebhookEndpoint", &ep)
	require.False(t, ep.Enabled)
}

// waitForHookJobs waits until no webhook delivery is left to run or retry.
func (s *testServer) waitForHookJobs(t *testing.T) {
	t.Helper()
	db, err := store.Open(t.Context(), s.env["DATABASE_URL"], s.env["SQLITE_PATH"])
	require.NoError(t, err)
	defer db.Close()
	states := func() string {
		rows, err := db.SQL.QueryContext(t.Context(), "SELECT state, attempt, errors FROM river_job WHERE kind = 'webhook_deliver' AND state NOT IN ('completed', 'cancelled', 'discarded')")
		require.NoError(t, err)
		defer rows.Close()
		out := ""
		for rows.Next() {
			var st string
			var attempt int
			var errs any
			require.NoError(t, rows.Scan(&st, &attempt, &errs))
			out += fmt.Sprintf("%s/%d/%s ", st, attempt, errs)
		}
		require.NoError(t, rows.Err())
		return out
	}
	for deadline := time.Now().Add(30 * time.Second); states() != ""; time.Sleep(50 * time.Millisecond) {
		require.True(t, time.Now().Before(deadline), "webhook jobs left: %s", states())
	}
}
