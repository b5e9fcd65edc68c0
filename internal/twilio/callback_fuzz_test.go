package twilio_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/carequeue/carequeue/internal/twilio"
)

// FuzzStatusHandler: the status callback is a public URL anyone can post to. Whatever the body and
// signature, it must not panic, and it changes something only for a request signed with the auth token
// over exactly the form it carries.
func FuzzStatusHandler(f *testing.F) {
	const token, cb = "fuzz-token", "https://q.example.org/webhooks/twilio/status"
	good := url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"delivered"}}
	f.Add(good.Encode(), sign(token, cb, good))
	f.Add(good.Encode(), "")
	f.Add("MessageSid=SM1&MessageStatus=delivered&MessageStatus=failed", sign(token, cb, good))
	f.Add("%zz=1", "x")
	f.Add(strings.Repeat("a=1&", 100), "AAAA")
	f.Fuzz(func(t *testing.T, body, signature string) {
		updated := false
		h := twilio.StatusHandler(token, cb, func(context.Context, string, string, string) error {
			updated = true
			return nil
		})
		r := httptest.NewRequest(http.MethodPost, "/webhooks/twilio/status", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Twilio-Signature", signature)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		form, err := url.ParseQuery(body)
		signed := err == nil && signature == sign(token, cb, form)
		if updated && !signed {
			t.Fatalf("an unsigned callback changed a message: body %q signature %q", body, signature)
		}
		if w.Code >= 500 {
			t.Fatalf("status %d for body %q", w.Code, body)
		}
	})
}
