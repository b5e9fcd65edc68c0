package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/document"
	"github.com/carequeue/carequeue/internal/server"
)

const (
	trustedQuery = "query Who { whoami }"
	trustedSub   = "subscription Tick { tick }"
)

// documentsFixture is a server in mode trusting trustedQuery and trustedSub, holding the API client
// AK01 (client-token) to them in allow-list mode.
func documentsFixture(t *testing.T, mode document.Mode) fixture {
	t.Helper()
	store := document.NewStore(document.Manifest{
		document.Hash(trustedQuery): trustedQuery,
		document.Hash(trustedSub):   trustedSub,
	})
	return newFixture(t, server.Config{MetricsPublic: true, Documents: document.Policy{Mode: mode, Clients: []string{"AK01"}}},
		func(d *server.Deps) { d.TrustedDocuments = store })
}

// postBody sends body (any JSON value) to /graphql with an optional bearer token.
func (f fixture) postBody(t *testing.T, body any, token string) (int, gqlResponse) {
	t.Helper()
	b := mustJSON(body)
	r := httptest.NewRequest(http.MethodPost, "/graphql", io.NopCloser(bytes.NewReader(b)))
	r.ContentLength = int64(len(b))
	r.Header.Set("Content-Type", "application/json")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	rec, resp := f.do(t, r)
	return rec.Code, resp
}

func hashOnly(hash string) map[string]any {
	return map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
}

func withHash(query, hash string) map[string]any {
	b := hashOnly(hash)
	b["query"] = query
	return b
}

func TestTrustedDocuments(t *testing.T) {
	t.Parallel()
	allow := documentsFixture(t, document.AllowList)
	unknown := document.Hash("query Unknown { whoami }")

	t.Run("HashRunsTheTrustedDocument", func(t *testing.T) {
		t.Parallel()
		for _, token := range []string{"", "staff-token", "client-token", "admin-token"} {
			status, resp := allow.postBody(t, hashOnly(document.Hash(trustedQuery)), token)
			require.Equal(t, http.StatusOK, status)
			require.Empty(t, resp.Errors, token)
			require.NotEmpty(t, resp.Data["whoami"], token)
		}
	})
	t.Run("HashWithItsTrustedTextRuns", func(t *testing.T) {
		t.Parallel()
		_, resp := allow.postBody(t, withHash(trustedQuery, document.Hash(trustedQuery)), "staff-token")
		require.Empty(t, resp.Errors)
		require.Equal(t, "RECEPTIONIST", resp.Data["whoami"])
	})
	t.Run("ErrUnknownHashIsNotFound", func(t *testing.T) {
		t.Parallel()
		for _, token := range []string{"", "admin-token"} {
			_, resp := allow.postBody(t, hashOnly(unknown), token)
			require.Equal(t, "PERSISTED_QUERY_NOT_FOUND", firstCode(t, resp))
			require.Nil(t, resp.Data)
		}
	})
	t.Run("ErrFreeFormRefusedForHeldCallers", func(t *testing.T) {
		t.Parallel()
		for _, token := range []string{"", "staff-token", "client-token"} {
			_, resp := allow.postBody(t, map[string]any{"query": "{ whoami requestId }"}, token)
			require.Equal(t, "PERSISTED_QUERY_REQUIRED", firstCode(t, resp), token)
			require.Nil(t, resp.Data, token)
			// Sending the text with its own hash does not make it trusted.
			q := "{ whoami }"
			_, resp = allow.postBody(t, withHash(q, document.Hash(q)), token)
			require.Equal(t, "PERSISTED_QUERY_REQUIRED", firstCode(t, resp), token)
		}
	})
	t.Run("FreeFormRunsForAdminsAndUnlistedClients", func(t *testing.T) {
		t.Parallel()
		for token, want := range map[string]string{"admin-token": "ADMIN", "other-client-token": "INTEGRATION"} {
			_, resp := allow.postBody(t, map[string]any{"query": "{ whoami }"}, token)
			require.Empty(t, resp.Errors, token)
			require.Equal(t, want, resp.Data["whoami"])
		}
	})
	t.Run("ErrWrongHashForKnownText", func(t *testing.T) {
		t.Parallel()
		// The trusted text with another trusted document's hash: refused, nothing runs.
		for _, token := range []string{"", "admin-token"} {
			_, resp := allow.postBody(t, withHash(trustedQuery, document.Hash(trustedSub)), token)
			require.Equal(t, "BAD_USER_INPUT", firstCode(t, resp))
			require.Contains(t, resp.Errors[0].Message, "not the SHA-256")
			require.Nil(t, resp.Data)
		}
	})
	t.Run("ErrMalformedExtension", func(t *testing.T) {
		t.Parallel()
		h := document.Hash(trustedQuery)
		for name, pq := range map[string]any{
			"String":      h,
			"List":        []any{1, h},
			"NoHash":      map[string]any{"version": 1},
			"Version2":    map[string]any{"version": 2, "sha256Hash": h},
			"VersionText": map[string]any{"version": "one", "sha256Hash": h},
			"ShortHash":   map[string]any{"version": 1, "sha256Hash": h[:63]},
			"Uppercase":   map[string]any{"version": 1, "sha256Hash": strings.ToUpper(h)},
			"HashNumber":  map[string]any{"version": 1, "sha256Hash": 12},
			"HugeHash":    map[string]any{"version": 1, "sha256Hash": strings.Repeat("a", 900_000)},
			"NestedJunk":  map[string]any{"version": 1, "sha256Hash": map[string]any{"$ne": nil}},
		} {
			_, resp := allow.postBody(t, map[string]any{"extensions": map[string]any{"persistedQuery": pq}}, "admin-token")
			require.Equal(t, "BAD_USER_INPUT", firstCode(t, resp), name)
			require.Nil(t, resp.Data, name)
			require.Less(t, len(resp.Errors[0].Message), 200, name) // never echoes the input
		}
	})
	t.Run("ErrHugeOtherExtensionsAreIgnoredOrCapped", func(t *testing.T) {
		t.Parallel()
		// Extensions the server does not read do not change anything; past the body cap it is a 413.
		body := hashOnly(document.Hash(trustedQuery))
		body["extensions"].(map[string]any)["junk"] = strings.Repeat("x", 500_000)
		_, resp := allow.postBody(t, body, "")
		require.Empty(t, resp.Errors)
		body["extensions"].(map[string]any)["junk"] = strings.Repeat("x", 2<<20)
		status, _ := allow.postBody(t, body, "")
		require.Equal(t, http.StatusRequestEntityTooLarge, status)
	})
	t.Run("OpenModeRunsAnythingAndRemembersHashes", func(t *testing.T) {
		t.Parallel()
		open := documentsFixture(t, document.Open)
		q := "query Mine { whoami }"
		_, resp := open.postBody(t, map[string]any{"query": q}, "")
		require.Empty(t, resp.Errors)
		_, resp = open.postBody(t, hashOnly(document.Hash(q)), "")
		require.Equal(t, "PERSISTED_QUERY_NOT_FOUND", firstCode(t, resp))
		_, resp = open.postBody(t, withHash(q, document.Hash(q)), "")
		require.Empty(t, resp.Errors)
		_, resp = open.postBody(t, hashOnly(document.Hash(q)), "staff-token")
		require.Empty(t, resp.Errors)
		require.Equal(t, "RECEPTIONIST", resp.Data["whoami"])
	})
	t.Run("PersistedPreferredRunsFreeFormCountsItAndRemembersNothing", func(t *testing.T) {
		t.Parallel()
		pref := documentsFixture(t, document.PersistedPreferred)
		q := "query Mine { whoami }"
		_, resp := pref.postBody(t, withHash(q, document.Hash(q)), "staff-token")
		require.Empty(t, resp.Errors)
		_, resp = pref.postBody(t, hashOnly(document.Hash(q)), "staff-token")
		require.Equal(t, "PERSISTED_QUERY_NOT_FOUND", firstCode(t, resp))
		_, resp = pref.postBody(t, map[string]any{"query": q}, "admin-token") // not held: not counted
		require.Empty(t, resp.Errors)
		rec := httptest.NewRecorder()
		pref.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		require.Contains(t, rec.Body.String(), `carequeue_graphql_untrusted_documents_total{caller="receptionist",outcome="run"} 1`)
		require.NotContains(t, rec.Body.String(), `caller="admin"`)
	})
	t.Run("RefusalsAreCounted", func(t *testing.T) {
		t.Parallel()
		f := documentsFixture(t, document.AllowList)
		f.postBody(t, map[string]any{"query": "{ whoami }"}, "client-token")
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		require.Contains(t, rec.Body.String(), `carequeue_graphql_untrusted_documents_total{caller="api_client",outcome="refused"} 1`)
	})
}

func TestTrustedDocumentsOverWebSocket(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(documentsFixture(t, document.AllowList).handler)
	t.Cleanup(srv.Close)
	dial := func(t *testing.T, token string) *websocket.Conn {
		t.Helper()
		d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
		c, resp, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql", http.Header{"Origin": {srv.URL}})
		require.NoError(t, err)
		_ = resp.Body.Close()
		t.Cleanup(func() { _ = c.Close() })
		init := wsMessage{Type: "connection_init", Payload: json.RawMessage(`{}`)}
		if token != "" {
			init = initMsg("Bearer " + token)
		}
		send(t, c, init)
		_, err = readUntil(t, c, "connection_ack")
		require.NoError(t, err)
		return c
	}
	subscribe := func(t *testing.T, c *websocket.Conn, payload any) wsMessage {
		t.Helper()
		send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: mustJSON(payload)})
		require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
		var m wsMessage
		require.NoError(t, c.ReadJSON(&m))
		return m
	}

	t.Run("HashRunsTheTrustedSubscription", func(t *testing.T) {
		t.Parallel()
		for _, token := range []string{"", "client-token"} {
			m := subscribe(t, dial(t, token), map[string]any{"query": "", "extensions": hashOnly(document.Hash(trustedSub))["extensions"]})
			require.Equal(t, "next", m.Type, string(m.Payload))
			require.Contains(t, string(m.Payload), `"tick"`)
			require.NotContains(t, string(m.Payload), "errors")
		}
	})
	t.Run("ErrFreeFormRefused", func(t *testing.T) {
		t.Parallel()
		m := subscribe(t, dial(t, "staff-token"), map[string]any{"query": "subscription { tick }"})
		require.Contains(t, string(m.Payload), `"code":"PERSISTED_QUERY_REQUIRED"`)
		require.NotContains(t, string(m.Payload), `"tick"`)
	})
	t.Run("ErrUnknownHashIsNotFound", func(t *testing.T) {
		t.Parallel()
		m := subscribe(t, dial(t, ""), hashOnly(document.Hash("subscription Other { tick }")))
		require.Contains(t, string(m.Payload), `"code":"PERSISTED_QUERY_NOT_FOUND"`)
	})
	t.Run("FreeFormRunsForAdmins", func(t *testing.T) {
		t.Parallel()
		m := subscribe(t, dial(t, "admin-token"), map[string]any{"query": "subscription { tick }"})
		require.Equal(t, "next", m.Type)
		require.Contains(t, string(m.Payload), `"tick":"ADMIN"`)
	})
}

func TestValidateDocuments(t *testing.T) {
	t.Parallel()
	schema := stubSchema()
	require.NoError(t, server.ValidateDocuments(schema, document.NewStore(document.Manifest{document.Hash(trustedQuery): trustedQuery})))
	bad := "query Gone { removedField }"
	err := server.ValidateDocuments(schema, document.NewStore(document.Manifest{document.Hash(bad): bad}))
	require.ErrorContains(t, err, "query Gone")
	require.Panics(t, func() {
		newFixture(t, server.Config{}, func(d *server.Deps) {
			d.TrustedDocuments = document.NewStore(document.Manifest{document.Hash(bad): bad})
		})
	})
}
