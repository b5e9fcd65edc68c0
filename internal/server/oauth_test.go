package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/server"
)

// TestTokenEndpoint covers the wire rules of POST /oauth/token with a stub issuer: the session
// tests (cmd/carequeue TestAPIClients) cover the real one.
func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	type call struct{ id, secret, scope string }
	var got call
	issue := func(_ context.Context, id, secret, scope string) (string, time.Time, string, error) {
		got = call{id, secret, scope}
		switch {
		case secret == "rate":
			return "", time.Time{}, "", auth.TooManyAttempts(time.Minute)
		case secret == "boom":
			return "", time.Time{}, "", errors.New("database on fire at 10.0.0.3")
		case secret != "s3cret":
			return "", time.Time{}, "", cqerr.E(cqerr.Unauthenticated, "client authentication failed")
		case scope == "patients:read":
			return "", time.Time{}, "", cqerr.E(cqerr.BadUserInput, "the client may not have scope").WithField("scope")
		}
		return "tok", now.Add(15 * time.Minute), "queues:read", nil
	}
	h := server.NewTokenEndpoint(issue, func() time.Time { return now }, nil)
	do := func(method, contentType, target, body, authorization string) (*httptest.ResponseRecorder, map[string]any) {
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		if authorization != "" {
			r.Header.Set("Authorization", authorization)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var out map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
		require.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
		return rec, out
	}

	t.Run("BasicSuccess", func(t *testing.T) {
		// RFC 6749 §2.3.1: id and secret are form-encoded inside Basic ("AK%2B1" is "AK+1").
		rec, out := do(http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=client_credentials&scope=queues%3Aread",
			"Basic "+b64("AK%2B1:s3cret"))
		require.Equal(t, http.StatusOK, rec.Code)
		require.Equal(t, call{"AK+1", "s3cret", "queues:read"}, got)
		require.Equal(t, map[string]any{"access_token": "tok", "token_type": "Bearer", "expires_in": float64(900), "scope": "queues:read"}, out)
	})
	t.Run("FormSuccess", func(t *testing.T) {
		rec, _ := do(http.MethodPost, "application/x-www-form-urlencoded; charset=utf-8", "/oauth/token", "grant_type=client_credentials&client_id=AK1&client_secret=s3cret", "")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Equal(t, call{"AK1", "s3cret", ""}, got)
	})
	for _, tc := range []struct {
		name, method, contentType, target, body, authorization string
		status                                                 int
		code                                                   string
	}{
		{"GetRefused", http.MethodGet, "", "/oauth/token", "", "", 405, "invalid_request"},
		{"WrongSecret", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=client_credentials&client_id=AK1&client_secret=nope", "", 401, "invalid_client"},
		{"BasicGarbage", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=client_credentials", "Basic %%%", 401, "invalid_client"},
		{"BasicNoColon", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=client_credentials", "Basic " + b64("justone"), 401, "invalid_client"},
		{"BasicBadEscape", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=client_credentials", "Basic " + b64("AK%zz:s3cret"), 401, "invalid_client"},
		{"NoCredentials", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=client_credentials", "", 401, "invalid_client"},
		{"TwoMethods", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=client_credentials&client_secret=s3cret", "Basic " + b64("AK1:s3cret"), 400, "invalid_request"},
		{"SecretInURL", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token?client_secret=s3cret", "grant_type=client_credentials&client_id=AK1&client_secret=s3cret", "", 400, "invalid_request"},
		{"JSONBody", http.MethodPost, "application/json", "/oauth/token", `{"grant_type":"client_credentials"}`, "Basic " + b64("AK1:s3cret"), 400, "invalid_request"},
		{"NoContentType", http.MethodPost, "", "/oauth/token", "grant_type=client_credentials", "Basic " + b64("AK1:s3cret"), 400, "invalid_request"},
		{"MalformedForm", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=client_credentials&a=%zz", "Basic " + b64("AK1:s3cret"), 400, "invalid_request"},
		{"Repeated", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=client_credentials&scope=a&scope=b", "Basic " + b64("AK1:s3cret"), 400, "invalid_request"},
		{"MissingGrant", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "scope=queues:read", "Basic " + b64("AK1:s3cret"), 400, "invalid_request"},
		{"UnknownGrant", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=authorization_code&code=x", "Basic " + b64("AK1:s3cret"), 400, "unsupported_grant_type"},
		{"BadScope", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=client_credentials&scope=patients:read", "Basic " + b64("AK1:s3cret"), 400, "invalid_scope"},
		{"RateLimited", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=client_credentials", "Basic " + b64("AK1:rate"), 429, "slow_down"},
		{"InternalErrorHidden", http.MethodPost, "application/x-www-form-urlencoded", "/oauth/token", "grant_type=client_credentials", "Basic " + b64("AK1:boom"), 500, "server_error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, out := do(tc.method, tc.contentType, tc.target, tc.body, tc.authorization)
			require.Equal(t, tc.status, rec.Code)
			require.Equal(t, tc.code, out["error"])
			require.NotContains(t, out, "access_token")
			require.NotContains(t, rec.Body.String(), "10.0.0.3")
			if tc.status == http.StatusUnauthorized {
				require.Contains(t, rec.Header().Get("WWW-Authenticate"), `Basic realm="carequeue"`)
			}
			if tc.status == http.StatusTooManyRequests {
				require.NotEmpty(t, rec.Header().Get("Retry-After"))
			}
		})
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
