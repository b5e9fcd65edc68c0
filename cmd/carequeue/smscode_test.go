package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/demo"
	"github.com/carequeue/carequeue/internal/store"
)

// fakeTwilio is a local Messages API: it keeps every form posted to it and answers as Twilio does.
type fakeTwilio struct {
	srv  *httptest.Server
	mu   sync.Mutex
	sent []url.Values
}

func newFakeTwilio(t *testing.T, sid, token string) *fakeTwilio {
	t.Helper()
	f := &fakeTwilio{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/"+sid+"/Messages.json" ||
			user != sid || pass != token || err != nil {
			http.Error(w, `{"code":20404,"message":"not found","status":404}`, http.StatusNotFound)
			return
		}
		f.mu.Lock()
		f.sent = append(f.sent, form)
		n := len(f.sent)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = fmt.Fprintf(w, `{"sid":"SM%032x","status":"queued"}`, n)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// find returns the first message to the number whose body contains text, or nil.
func (f *fakeTwilio) find(to, text string) url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range f.sent {
		if m.Get("To") == to && strings.Contains(m.Get("Body"), text) {
			return m
		}
	}
	return nil
}

// TestSignInCodeBySMSThroughTwilioAPIURL: with TWILIO_API_URL pointing at a fake Twilio, a demo
// patient's sign-in code arrives in the body of the SMS the fake receives, and signs the patient in.
// The patient app's browser test gets its code the same way.
func TestSignInCodeBySMSThroughTwilioAPIURL(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		const sid, token, from = "AC0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef", "+15005550006"
		sms := newFakeTwilio(t, sid, token)
		s := startServerWith(t, d, map[string]string{
			"APP_ENV":            "test", // plain http to the fake; production insists on https
			"TWILIO_ACCOUNT_SID": sid, "TWILIO_AUTH_TOKEN": token, "TWILIO_FROM": from, "TWILIO_API_URL": sms.srv.URL,
		})
		s.cli(t, "seed", "--demo")

		var sent bool
		s.ok(t, "", `mutation{ requestPatientCode(phone:"+44 7700 900999") }`, nil, "requestPatientCode", &sent)
		require.True(t, sent)
		var msg url.Values
		require.Eventually(t, func() bool {
			msg = sms.find(demo.KioskPhone, "sign-in code")
			return msg != nil
		}, 20*time.Second, 50*time.Millisecond, "the code SMS is sent right after the request returns")
		require.Equal(t, from, msg.Get("From"))
		require.Equal(t, s.env["PUBLIC_URL"]+"/webhooks/twilio/status", msg.Get("StatusCallback"))
		m := regexp.MustCompile(`^CareQueue: Your sign-in code is (\d{6})\. It expires in a few minutes\. Do not share it\.$`).
			FindStringSubmatch(msg.Get("Body"))
		require.Len(t, m, 2, msg.Get("Body"))

		pat := verifyCode(t, s, "+447700900999", m[1])
		var appts struct {
			Edges []struct {
				Node struct {
					ExternalRef string
					Queue       struct{ Name string }
				}
			}
		}
		s.ok(t, pat, `{ appointments(first:100){ edges{ node{ externalRef queue{ name } } } } }`, nil, "appointments", &appts)
		require.Len(t, appts.Edges, 1)
		require.Equal(t, demo.KioskAppointmentRef, appts.Edges[0].Node.ExternalRef)
		require.Equal(t, "General Clinic", appts.Edges[0].Node.Queue.Name)
	})
}
