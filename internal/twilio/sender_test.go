package twilio_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/twilio"
)

const (
	sid      = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	token    = "0123456789abcdef0123456789abcdef"
	from     = "+15005550006"
	to       = "+14155550100"
	callback = "https://carequeue.example.org/webhooks/twilio/status"
)

// seen is one request as the fake Twilio received it.
type seen struct {
	method, path, contentType string
	user, pass                string
	basicAuth                 bool
	form                      url.Values
	origURL                   string // where twilio-go addressed it, before the rewrite
}

// fake is a local stand-in for api.twilio.com: reply answers each request; requests records them.
type fake struct {
	srv      *httptest.Server
	mu       sync.Mutex
	requests []seen
	orig     []string
}

func newFake(t *testing.T, reply http.HandlerFunc) *fake {
	t.Helper()
	f := &fake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		user, pass, ok := r.BasicAuth()
		f.mu.Lock()
		f.requests = append(f.requests, seen{
			method: r.Method, path: r.URL.Path, contentType: r.Header.Get("Content-Type"),
			user: user, pass: pass, basicAuth: ok, form: form,
		})
		f.mu.Unlock()
		reply(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) received() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := append([]seen(nil), f.requests...)
	for i := range out {
		if i < len(f.orig) {
			out[i].origURL = f.orig[i]
		}
	}
	return out
}

// rewrite sends every request to the fake, whatever host twilio-go addressed: twilio-go has no
// base-URL option, only an HTTP client.
type rewrite struct {
	f      *fake
	target *url.URL
}

func (rw rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	rw.f.mu.Lock()
	rw.f.orig = append(rw.f.orig, req.URL.String())
	rw.f.mu.Unlock()
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = rw.target.Scheme, rw.target.Host, ""
	return rw.f.srv.Client().Transport.RoundTrip(req)
}

func newSender(t *testing.T, f *fake, timeout time.Duration) *twilio.Sender {
	t.Helper()
	target, err := url.Parse(f.srv.URL)
	require.NoError(t, err)
	s, err := twilio.New(twilio.Config{
		AccountSID: sid, AuthToken: token, From: from, StatusCallbackURL: callback,
		HTTPClient: &http.Client{Timeout: timeout, Transport: rewrite{f: f, target: target}},
	})
	require.NoError(t, err)
	return s
}

func reply(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func TestSend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("PostsTheExactMessageRequest", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, reply(http.StatusCreated,
			`{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued","to":"+14155550100"}`))
		id, err := newSender(t, f, 5*time.Second).Send(ctx, to, "CareQueue: C-012, please go to Room 3.")
		require.NoError(t, err)
		require.Equal(t, "SM0123456789abcdef0123456789abcdef", id)

		got := f.received()
		require.Len(t, got, 1)
		r := got[0]
		require.Equal(t, "https://api.twilio.com/2010-04-01/Accounts/"+sid+"/Messages.json", r.origURL)
		require.Equal(t, http.MethodPost, r.method)
		require.Equal(t, "/2010-04-01/Accounts/"+sid+"/Messages.json", r.path)
		require.Equal(t, "application/x-www-form-urlencoded", r.contentType)
		require.True(t, r.basicAuth)
		require.Equal(t, sid, r.user)
		require.Equal(t, token, r.pass)
		require.Equal(t, url.Values{
			"To":             {to},
			"From":           {from},
			"Body":           {"CareQueue: C-012, please go to Room 3."},
			"StatusCallback": {callback},
		}, r.form)
	})

	t.Run("APIURLReplacesSchemeAndHost", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, reply(http.StatusCreated, `{"sid":"SM2"}`))
		// No transport of the test's own: the sender's default client goes to the configured base.
		s, err := twilio.New(twilio.Config{AccountSID: sid, AuthToken: token, From: from, APIURL: f.srv.URL})
		require.NoError(t, err)
		id, err := s.Send(ctx, to, "hi")
		require.NoError(t, err)
		require.Equal(t, "SM2", id)
		got := f.received()
		require.Len(t, got, 1)
		require.Equal(t, "/2010-04-01/Accounts/"+sid+"/Messages.json", got[0].path)
		require.Equal(t, url.Values{"To": {to}, "From": {from}, "Body": {"hi"}}, got[0].form)
	})

	t.Run("OmitsStatusCallbackWhenNotConfigured", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, reply(http.StatusCreated, `{"sid":"SM1"}`))
		target, _ := url.Parse(f.srv.URL)
		s, err := twilio.New(twilio.Config{AccountSID: sid, AuthToken: token, From: from,
			HTTPClient: &http.Client{Transport: rewrite{f: f, target: target}}})
		require.NoError(t, err)
		_, err = s.Send(ctx, to, "hi")
		require.NoError(t, err)
		require.NotContains(t, f.received()[0].form, "StatusCallback")
	})

	for _, tc := range []struct {
		name      string
		status    int
		body      string
		code      int
		permanent bool
	}{
		{"InvalidNumberIsPermanent", 400,
			`{"code":21211,"message":"The 'To' number +1415 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}`,
			twilio.CodeInvalidTo, true},
		{"UnsubscribedIsPermanent", 400,
			`{"code":21610,"message":"Attempt to send to unsubscribed recipient","more_info":"https://www.twilio.com/docs/errors/21610","status":400}`,
			twilio.CodeUnsubscribed, true},
		{"BadCredentialsArePermanent", 401,
			`{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}`,
			twilio.CodeAuthFailed, true},
		{"RateLimitIsRetryable", 429,
			`{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}`,
			twilio.CodeTooManyRequests, false},
		{"ServerErrorIsRetryable", 500,
			`{"code":20500,"message":"Internal Server Error","more_info":"https://www.twilio.com/docs/errors/20500","status":500}`,
			20500, false},
		{"OutageWithoutJSONIsRetryable", 503, `<html>Service Unavailable</html>`, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, reply(tc.status, tc.body))
			id, err := newSender(t, f, 5*time.Second).Send(ctx, to, "hi")
			require.Empty(t, id)
			var e *twilio.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, tc.status, e.Status)
			require.Equal(t, tc.code, e.Code)
			require.Equal(t, tc.permanent, e.Permanent())
			require.Equal(t, tc.permanent, twilio.IsPermanent(err))
			require.False(t, e.MaybeSent())
			require.Len(t, f.received(), 1, "Send itself never retries")
		})
	}

	t.Run("TimeoutIsRetryableAndMaybeSent", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // Twilio never answers; ends when the client gives up
		})
		start := time.Now()
		_, err := newSender(t, f, 200*time.Millisecond).Send(ctx, to, "hi")
		require.Less(t, time.Since(start), 3*time.Second)
		var e *twilio.Error
		require.ErrorAs(t, err, &e)
		require.Zero(t, e.Status)
		require.False(t, e.Permanent())
		require.True(t, e.MaybeSent(), "the request was written before the timeout")
		var timeout interface{ Timeout() bool }
		require.ErrorAs(t, err, &timeout)
		require.True(t, timeout.Timeout())
	})

	t.Run("HonoursContextDeadline", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := newSender(t, f, time.Minute).Send(ctx, to, "hi")
		require.Less(t, time.Since(start), 3*time.Second, "twilio-go alone ignores ctx")
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.False(t, twilio.IsPermanent(err))
	})

	t.Run("ConnectionRefusedIsRetryableAndNotSent", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, reply(201, `{"sid":"SM1"}`))
		f.srv.Close()
		_, err := newSender(t, f, time.Second).Send(ctx, to, "hi")
		var e *twilio.Error
		require.ErrorAs(t, err, &e)
		require.False(t, e.Permanent())
		require.False(t, e.MaybeSent())
	})

	t.Run("AcceptedWithoutSIDIsPermanentAndMaybeSent", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, reply(http.StatusCreated, `{"status":"queued"}`))
		_, err := newSender(t, f, time.Second).Send(ctx, to, "hi")
		var e *twilio.Error
		require.ErrorAs(t, err, &e)
		require.True(t, e.Permanent())
		require.True(t, e.MaybeSent())
	})

	t.Run("ErrorTextIsForAdmins", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, reply(400, `{"code":21211,"message":"The 'To' number is not valid.","status":400}`))
		_, err := newSender(t, f, time.Second).Send(ctx, to, "hi")
		require.EqualError(t, err, "twilio: status 400, error 21211: The 'To' number is not valid.")
		require.NotErrorIs(t, err, context.Canceled)
	})
}

func TestNew(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  twilio.Config
	}{
		{"ErrMissingSID", twilio.Config{AuthToken: token, From: from}},
		{"ErrSIDWithSymbols", twilio.Config{AccountSID: "AC-1", AuthToken: token, From: from}},
		{"ErrMissingToken", twilio.Config{AccountSID: sid, From: from}},
		{"ErrMissingFrom", twilio.Config{AccountSID: sid, AuthToken: token}},
		{"ErrRelativeAPIURL", twilio.Config{AccountSID: sid, AuthToken: token, From: from, APIURL: "api.twilio.com"}},
		{"ErrAPIURLWithPath", twilio.Config{AccountSID: sid, AuthToken: token, From: from, APIURL: "https://api.twilio.com/2010-04-01"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := twilio.New(tc.cfg)
			require.Error(t, err)
		})
	}
}
