package twilio

import (
	"context"
	"net/http"
	"net/url"

	twclient "github.com/twilio/twilio-go/client"
)

// VerifySignature reports whether signature (the X-Twilio-Signature header) is Twilio's signature of
// a POST to url with form params: base64(HMAC-SHA1(authToken, url + each key+value, keys sorted)).
// url must be the exact public URL Twilio was given (scheme, host, path and query), rebuilt from
// configuration, not from the request's Host header. twilio-go's RequestValidator does the
// arithmetic, comparing in constant time and accepting the URL with or without its default port.
//
// It refuses an empty token or signature, and form keys with several values: status callbacks never
// repeat a key, and twilio-go's validator would sign only the first value.
func VerifySignature(authToken, url string, params url.Values, signature string) bool {
	if authToken == "" || signature == "" {
		return false
	}
	flat := make(map[string]string, len(params))
	for k, vs := range params {
		if len(vs) != 1 {
			return false
		}
		flat[k] = vs[0]
	}
	v := twclient.NewRequestValidator(authToken)
	return v.Validate(url, flat, signature)
}

// Message statuses Twilio reports in callbacks (MessageStatus).
const (
	StatusQueued      = "queued"
	StatusSent        = "sent"
	StatusDelivered   = "delivered"
	StatusUndelivered = "undelivered"
	StatusFailed      = "failed"
)

// ParseStatus reads a status callback's form: the message SID Send returned, Twilio's status (see
// the Status constants; others such as "sending" or "read" may appear) and, for undelivered or failed
// messages, Twilio's error code (e.g. "30003", unreachable handset). It falls back to the legacy
// SmsSid/SmsStatus fields. Empty strings mean the field was absent.
func ParseStatus(form url.Values) (messageSID, status, errorCode string) {
	messageSID = first(form, "MessageSid", "SmsSid")
	status = first(form, "MessageStatus", "SmsStatus")
	return messageSID, status, form.Get("ErrorCode")
}

func first(form url.Values, keys ...string) string {
	for _, k := range keys {
		if v := form.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// StatusHandler serves Twilio's message status callbacks. The signature covers the exact public URL
// Twilio called, so callbackURL comes from configuration (PUBLIC_URL + the path), never from the
// request's Host header. A forged or unsigned request gets 403 and changes nothing; update receives
// the message sid, its status and Twilio's error code.
func StatusHandler(authToken, callbackURL string, update func(ctx context.Context, sid, status, errorCode string) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		if !VerifySignature(authToken, callbackURL, r.PostForm, r.Header.Get("X-Twilio-Signature")) {
			http.Error(w, "invalid signature", http.StatusForbidden)
			return
		}
		sid, status, code := ParseStatus(r.PostForm)
		if sid == "" || status == "" {
			http.Error(w, "missing MessageSid or MessageStatus", http.StatusBadRequest)
			return
		}
		if err := update(r.Context(), sid, status, code); err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}
