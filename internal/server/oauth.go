package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// ClientTokenIssuer runs the client credentials grant (session.Service.IssueClientToken): it returns
// an access token, when it expires and the granted scopes (space-separated). Its errors are coded:
// UNAUTHENTICATED for a bad client, BAD_USER_INPUT for a bad scope, RATE_LIMITED.
type ClientTokenIssuer func(ctx context.Context, clientID, secret, scope string) (token string, expiresAt time.Time, scope2 string, err error)

// NewTokenEndpoint returns the OAuth 2.0 token endpoint (POST /oauth/token) for the client
// credentials grant (RFC 6749 §4.4): an application/x-www-form-urlencoded body with
// grant_type=client_credentials and an optional scope, the client authenticated by HTTP Basic or by
// client_id and client_secret in the body (not both). Errors follow §5.2: invalid_request,
// invalid_client (401 with WWW-Authenticate), unsupported_grant_type, invalid_scope; a rate-limited
// client gets 429 slow_down with Retry-After.
func NewTokenEndpoint(issue ClientTokenIssuer, now func() time.Time, log *slog.Logger) http.Handler {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Tokens and errors alike must not be cached (RFC 6749 §5.1).
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeOAuthError(w, http.StatusMethodNotAllowed, "invalid_request", "use POST")
			return
		}
		form, oerr := tokenRequest(r)
		if oerr != nil {
			oerr.write(w)
			return
		}
		token, exp, scope, err := issue(r.Context(), form.clientID, form.secret, form.scope)
		if err != nil {
			oauthErrorOf(r.Context(), err, log).write(w)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(struct {
			AccessToken string `json:"access_token"`
			TokenType   string `json:"token_type"`
			ExpiresIn   int64  `json:"expires_in"`
			Scope       string `json:"scope"`
		}{token, "Bearer", int64(exp.Sub(now()).Round(time.Second) / time.Second), scope})
	})
}

type tokenForm struct{ clientID, secret, scope string }

// oauthError is one RFC 6749 §5.2 error answer.
type oauthError struct {
	status     int
	code, desc string
	retryAfter string
}

// write sends e; a 401 carries the WWW-Authenticate challenge §5.2 asks for.
func (e *oauthError) write(w http.ResponseWriter) {
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="carequeue", charset="UTF-8"`)
	}
	if e.retryAfter != "" {
		w.Header().Set("Retry-After", e.retryAfter)
	}
	writeOAuthError(w, e.status, e.code, e.desc)
}

func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func badRequest(desc string) *oauthError {
	return &oauthError{status: http.StatusBadRequest, code: "invalid_request", desc: desc}
}

func badClient(desc string) *oauthError {
	return &oauthError{status: http.StatusUnauthorized, code: "invalid_client", desc: desc}
}

// tokenRequest reads and checks the request's form and client credentials.
func tokenRequest(r *http.Request) (tokenForm, *oauthError) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return tokenForm{}, badRequest("the body must be application/x-www-form-urlencoded")
	}
	// Secrets in a URL end up in logs and browser history: the query string is refused outright.
	if r.URL.RawQuery != "" {
		return tokenForm{}, badRequest("send parameters in the body, not the URL")
	}
	if err := r.ParseForm(); err != nil {
		if isBodyTooLarge(err) {
			return tokenForm{}, &oauthError{status: http.StatusRequestEntityTooLarge, code: "invalid_request", desc: "the body is too large"}
		}
		return tokenForm{}, badRequest("the body is not a valid form")
	}
	for k, vs := range r.PostForm {
		if len(vs) > 1 { // RFC 6749 §3.2
			return tokenForm{}, badRequest("parameter " + strings.ToValidUTF8(k[:min(len(k), 40)], "?") + " is repeated")
		}
	}
	f := tokenForm{clientID: r.PostForm.Get("client_id"), secret: r.PostForm.Get("client_secret"), scope: r.PostForm.Get("scope")}
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "client_credentials":
	case "":
		return tokenForm{}, badRequest("grant_type is required")
	default:
		return tokenForm{}, &oauthError{status: http.StatusBadRequest, code: "unsupported_grant_type",
			desc: "only the client_credentials grant is supported"}
	}
	if r.Header.Get("Authorization") != "" {
		id, secret, ok := r.BasicAuth()
		if !ok {
			return tokenForm{}, badClient("the Authorization header is not HTTP Basic")
		}
		if f.clientID != "" || f.secret != "" {
			return tokenForm{}, badRequest("authenticate the client one way: HTTP Basic or the body, not both")
		}
		// RFC 6749 §2.3.1: both are form-urlencoded before Basic encoding.
		var err1, err2 error
		f.clientID, err1 = url.QueryUnescape(id)
		f.secret, err2 = url.QueryUnescape(secret)
		if err1 != nil || err2 != nil {
			return tokenForm{}, badClient("the Basic credentials are not form-encoded")
		}
	}
	if f.clientID == "" || f.secret == "" {
		return tokenForm{}, badClient("client_id and client_secret are required")
	}
	return f, nil
}

// oauthErrorOf maps the issuer's coded errors to §5.2 errors; anything else is logged and answered
// server_error without detail.
func oauthErrorOf(ctx context.Context, err error, log *slog.Logger) *oauthError {
	var ce *cqerr.Error
	errors.As(err, &ce)
	code := cqerr.CodeOf(err)
	if code == cqerr.Unauthenticated {
		return badClient("client authentication failed")
	}
	if code == cqerr.BadUserInput && ce != nil && ce.Field == "scope" {
		return &oauthError{status: http.StatusBadRequest, code: "invalid_scope", desc: ce.Message}
	}
	if code == cqerr.BadUserInput {
		return badRequest(cqerr.MessageOf(err))
	}
	if code == cqerr.RateLimited {
		return &oauthError{status: http.StatusTooManyRequests, code: "slow_down", desc: cqerr.MessageOf(err), retryAfter: "60"}
	}
	log.ErrorContext(ctx, "issuing a client token failed", "err", err)
	reportInternal(ctx, err)
	return &oauthError{status: http.StatusInternalServerError, code: "server_error", desc: "internal error"}
}
