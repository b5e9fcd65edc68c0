package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/carequeue/carequeue/internal/server"
)

// leaks are what an error must never carry to a client.
var leaks = []string{"goroutine ", "runtime error", "panic:", "pq:", "sqlite", "secret value", ".go:"}

// FuzzGraphQLRequest: any body, with any Authorization header, through the whole handler (limits,
// presenter, recovery). No panic escapes, no 5xx, the answer is JSON whose errors all carry a code,
// and nothing internal leaks.
func FuzzGraphQLRequest(f *testing.F) {
	for _, s := range []string{`{"query":"{ whoami }"}`, `{"query":"{ fail boom }"}`, `{"query":"{ echo(level: LOWW) }"}`,
		`{"query":"query($l: Level){ echo(level: $l) }","variables":{"l":7}}`, `{"query":"{ node { child { child { name } } } }"}`,
		`{"query":"subscription { tick }"}`, `{"query":"mutation { noop }","operationName":"x"}`, `{"query":"`, `[]`, `null`,
		`{"query":"{ __schema { types { name } } }"}`, `{"query":"{ whoami }","extensions":{"persistedQuery":{"version":1}}}`} {
		f.Add(s, "")
		f.Add(s, "Bearer admin-token")
	}
	for _, s := range []string{`{"query":"{ down }"}`, `{"query":"{ slow down }"}`, `{"query":"{ slow }"}`, `{"query":"{ down fail }"}`} {
		f.Add(s, "")
	}
	f.Add(`{"query":"{ whoami }"}`, "Bearer broken-token")
	f.Add(`{"query":"{ whoami }"}`, "Bearer down-token")
	fx := newFixture(f, server.Config{MaxDepth: 4, MaxComplexity: 50, RequestTimeout: 20 * time.Millisecond})
	f.Fuzz(func(t *testing.T, body, authorization string) {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", authorization)
		rec := httptest.NewRecorder()
		fx.handler.ServeHTTP(rec, r)
		switch {
		case rec.Code == http.StatusServiceUnavailable:
			// The stub's database is down (the down field, the down-token session store): retryable, and
			// said so in every way a client or proxy reads.
			if rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), `"UNAVAILABLE"`) ||
				strings.Contains(rec.Body.String(), `"INTERNAL"`) {
				t.Fatalf("503 without Retry-After or UNAVAILABLE for %q: %s", body, rec.Body)
			}
		case rec.Code >= 500 && !strings.Contains(authorization, "broken-token"):
			// broken-token is the stub's session store failing with a bug: that one is the server's fault.
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		out := rec.Body.String()
		for _, leak := range leaks {
			if strings.Contains(out, leak) {
				t.Fatalf("%q leaked %q: %s", body, leak, out)
			}
		}
		if !strings.Contains(rec.Header().Get("Content-Type"), "json") {
			return
		}
		var resp struct {
			Errors []struct {
				Extensions struct{ Code string } `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("not JSON for %q: %s", body, out)
		}
		for _, e := range resp.Errors {
			if e.Extensions.Code == "" {
				t.Fatalf("an error without extensions.code for %q: %s", body, out)
			}
		}
	})
}

// FuzzConnectionInit: any connection_init payload on a real socket. The server answers promptly with an
// ack or a close it means (never 1011 or silence), and signs the socket in only with a token the
// payload really carries.
func FuzzConnectionInit(f *testing.F) {
	for _, s := range []string{`{}`, `null`, `{"authorization":"Bearer admin-token"}`, `{"authorization":"admin-token"}`,
		`{"Authorization":"Bearer staff-token"}`, `{"authorization":"Bearer  "}`, `{"authorization":7}`, `[1,2]`, `"x"`,
		`{"authorization":"Bearer broken-token"}`, `{"authorization":"Basic admin-token"}`, `{"headers":{"authorization":"x"}}`} {
		f.Add(s)
	}
	srv := httptest.NewServer(newFixture(f, server.Config{}).handler)
	f.Cleanup(srv.Close)
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql"
	f.Fuzz(func(t *testing.T, payload string) {
		d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
		c, resp, err := d.Dial(url, nil)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		defer c.Close()
		msg := []byte(`{"type":"connection_init","payload":` + payload + `}`)
		if !json.Valid(msg) {
			msg = []byte(payload) // not a payload: the whole message is garbage then
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if err := c.WriteMessage(websocket.TextMessage, msg); err != nil {
			t.Fatal(err)
		}
		m, err := readUntil(t, c, "connection_ack")
		if err != nil {
			switch code := closeCode(err); code {
			case 4400, server.CloseUnauthorized, 4403, 1013, 1002, 4429:
			default:
				t.Fatalf("payload %q: %v (close %d)", payload, err, code)
			}
			return
		}
		_ = m
		send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: tickQuery})
		next, err := readUntil(t, c, "next")
		if err != nil {
			t.Fatalf("payload %q: %v", payload, err)
		}
		switch {
		case bytes.Contains(next.Payload, []byte("anonymous")):
		case bytes.Contains(next.Payload, []byte("ADMIN")) && strings.Contains(payload, "admin-token"):
		case bytes.Contains(next.Payload, []byte("RECEPTIONIST")) && strings.Contains(payload, "staff-token"):
		default:
			t.Fatalf("payload %q signed the socket in as %s", payload, next.Payload)
		}
	})
}
