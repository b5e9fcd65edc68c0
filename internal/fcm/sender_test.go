package fcm_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/fcm"
)

const (
	project     = "carequeue-test"
	deviceToken = "fcm-token-abc123"
	sendPath    = "/v1/projects/" + project + "/messages:send"
)

// seen is one request as the fake FCM received it.
type seen struct {
	method, path string
	header       http.Header
	body         []byte
}

// fake is a local stand-in for fcm.googleapis.com; replies answer requests in turn (the last repeats).
type fake struct {
	srv      *httptest.Server
	mu       sync.Mutex
	requests []seen
}

type answer struct {
	status int
	header map[string]string
	body   string
	hang   bool
}

func newFake(t *testing.T, replies ...answer) *fake {
	t.Helper()
	f := &fake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		n := len(f.requests)
		f.requests = append(f.requests, seen{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), body: body})
		f.mu.Unlock()
		a := replies[min(n, len(replies)-1)]
		if a.hang {
			<-r.Context().Done()
			return
		}
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) received() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.requests...)
}

func newSender(t *testing.T, f *fake, hc *http.Client) *fcm.Sender {
	t.Helper()
	s, err := fcm.New(context.Background(), fcm.Config{ProjectID: project, Endpoint: f.srv.URL + "/v1", HTTPClient: hc})
	require.NoError(t, err)
	return s
}

// fcmError is FCM HTTP v1's error body: a Google API error with an FcmError detail.
func fcmError(code int, status, fcmCode, message string, extra ...string) string {
	details := `{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"` + fcmCode + `"}`
	for _, e := range extra {
		details += "," + e
	}
	return `{"error":{"code":` + strconv.Itoa(code) + `,"message":` + quote(message) +
		`,"status":"` + status + `","details":[` + details + `]}}`
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

func badRequest(field, description string) string {
	return `{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"` + field +
		`","description":` + quote(description) + `}]}`
}

func send(ctx context.Context, s *fcm.Sender) (string, error) {
	return s.Send(ctx, deviceToken, "It's your turn", "C-012, please go to Room 3.",
		map[string]string{"ticketId": "tkt_01HZX", "kind": "called"})
}

func TestSend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("PostsTheExactV1Request", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, answer{status: 200, body: `{"name": "projects/carequeue-test/messages/123"}`})
		id, err := send(ctx, newSender(t, f, nil))
		require.NoError(t, err)
		require.Equal(t, "projects/carequeue-test/messages/123", id)

		got := f.received()
		require.Len(t, got, 1)
		r := got[0]
		require.Equal(t, http.MethodPost, r.method)
		require.Equal(t, sendPath, r.path)
		require.Equal(t, "application/json", r.header.Get("Content-Type"))
		require.Equal(t, "2", r.header.Get("X-Goog-Api-Format-Version"))
		require.Equal(t, "fire-admin-go/4.19.0", r.header.Get("X-Firebase-Client"))
		require.Empty(t, r.header.Get("Authorization"), "tests send without credentials")
		require.JSONEq(t, `{"message":{
			"token":"fcm-token-abc123",
			"notification":{"title":"It's your turn","body":"C-012, please go to Room 3."},
			"data":{"ticketId":"tkt_01HZX","kind":"called"}
		}}`, string(r.body))
	})

	t.Run("OmitsEmptyData", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, answer{status: 200, body: `{"name":"projects/p/messages/1"}`})
		_, err := newSender(t, f, nil).Send(ctx, deviceToken, "t", "b", nil)
		require.NoError(t, err)
		require.JSONEq(t, `{"message":{"token":"fcm-token-abc123","notification":{"title":"t","body":"b"}}}`,
			string(f.received()[0].body))
	})

	for _, tc := range []struct {
		name         string
		reply        answer
		code         string
		unregistered bool
		retryable    bool
		retryAfter   time.Duration
	}{
		{"UnregisteredTokenIsErrUnregistered",
			answer{status: 404, body: fcmError(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.")},
			"UNREGISTERED", true, false, 0},
		{"MalformedTokenIsErrUnregistered",
			answer{status: 400, body: fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT",
				"The registration token is not a valid FCM registration token",
				badRequest("message.token", "The registration token is not a valid FCM registration token"))},
			"INVALID_ARGUMENT", true, false, 0},
		{"BadPayloadIsPermanentButKeepsDevice",
			answer{status: 400, body: fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT",
				"Invalid data payload key: from", badRequest("message.data", "Invalid data payload key: from"))},
			"INVALID_ARGUMENT", false, false, 0},
		{"SenderMismatchIsPermanentButKeepsDevice",
			answer{status: 403, body: fcmError(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch")},
			"SENDER_ID_MISMATCH", false, false, 0},
		{"QuotaIsRetryableWithRetryAfter",
			answer{status: 429, header: map[string]string{"Retry-After": "30"},
				body: fcmError(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded for quota metric")},
			"QUOTA_EXCEEDED", false, true, 30 * time.Second},
		// Retry-After above the SDK's 2-minute cap makes it give up at once instead of retrying itself.
		{"UnavailableIsRetryable",
			answer{status: 503, header: map[string]string{"Retry-After": "300"},
				body: fcmError(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable.")},
			"UNAVAILABLE", false, true, 300 * time.Second},
		{"InternalIsRetryable",
			answer{status: 500, body: fcmError(500, "INTERNAL", "INTERNAL", "Internal error encountered.")},
			"INTERNAL", false, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, tc.reply)
			id, err := send(ctx, newSender(t, f, nil))
			require.Empty(t, id)
			require.Equal(t, tc.unregistered, errors.Is(err, fcm.ErrUnregistered))
			var e *fcm.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, tc.reply.status, e.Status)
			require.Equal(t, tc.code, e.Code)
			require.Equal(t, tc.retryable, e.Retryable())
			require.Equal(t, !tc.retryable, e.Permanent())
			require.Equal(t, tc.retryAfter, e.RetryAfter)
			require.Len(t, f.received(), 1)
		})
	}

	t.Run("SDKRetriesA503ItselfOnce", func(t *testing.T) {
		t.Parallel()
		f := newFake(t,
			answer{status: 503, body: fcmError(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable.")},
			answer{status: 200, body: `{"name":"projects/carequeue-test/messages/456"}`})
		id, err := send(ctx, newSender(t, f, nil))
		require.NoError(t, err)
		require.Equal(t, "projects/carequeue-test/messages/456", id)
		require.Len(t, f.received(), 2, "the Admin SDK retried the 503 without delay")
	})

	t.Run("LongOutageEndsWithContextAndIsRetryable", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, answer{status: 503, body: fcmError(503, "UNAVAILABLE", "UNAVAILABLE", "down")})
		ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		_, err := send(ctx, newSender(t, f, nil))
		var e *fcm.Error
		require.ErrorAs(t, err, &e)
		require.True(t, e.Retryable())
		require.Equal(t, "DEADLINE_EXCEEDED", e.Code)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Len(t, f.received(), 2, "immediate SDK retry, then a 1 s back-off cut short by ctx")
	})

	t.Run("TimeoutIsRetryable", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, answer{hang: true})
		ctx, cancel := context.WithTimeout(ctx, 700*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := send(ctx, newSender(t, f, &http.Client{Timeout: 200 * time.Millisecond}))
		require.Less(t, time.Since(start), 3*time.Second)
		var e *fcm.Error
		require.ErrorAs(t, err, &e)
		require.True(t, e.Retryable())
		require.NotErrorIs(t, err, fcm.ErrUnregistered)
	})

	t.Run("EmptyTokenIsErrUnregisteredWithoutARequest", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, answer{status: 200, body: `{"name":"x"}`})
		_, err := newSender(t, f, nil).Send(ctx, "", "t", "b", nil)
		require.ErrorIs(t, err, fcm.ErrUnregistered)
		require.Empty(t, f.received())
	})
}

func TestNew(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		cfg  fcm.Config
	}{
		{"ErrMissingProject", fcm.Config{Endpoint: "http://127.0.0.1:1/v1"}},
		{"ErrHTTPClientWithoutEndpoint", fcm.Config{ProjectID: project, HTTPClient: http.DefaultClient}},
		{"ErrCredentialsWithTestEndpoint", fcm.Config{ProjectID: project, Endpoint: "http://127.0.0.1:1/v1", CredentialsFile: "sa.json"}},
		{"ErrMissingCredentialsFile", fcm.Config{ProjectID: project, CredentialsFile: "/nonexistent/sa.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := fcm.New(ctx, tc.cfg)
			require.Error(t, err)
		})
	}
}

// TestOnlyServiceAccountKeys: FIREBASE_CREDENTIALS_FILE is a service account's key. A file of another
// credential type (an external account names a URL or a command to fetch its token from) is refused
// when the first message needs a token, and its URL is never fetched.
func TestOnlyServiceAccountKeys(t *testing.T) {
	t.Parallel()
	var fetched sync.Mutex
	hits := 0
	source := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fetched.Lock()
		hits++
		fetched.Unlock()
		_, _ = io.WriteString(w, "subject-token")
	}))
	t.Cleanup(source.Close)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	write := func(name string, v map[string]any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), name)
		require.NoError(t, os.WriteFile(path, b, 0o600))
		return path
	}
	serviceAccount := write("sa.json", map[string]any{
		"type": "service_account", "project_id": project, "private_key_id": "k1",
		"private_key": string(keyPEM), "client_email": "fcm@" + project + ".iam.gserviceaccount.com",
		"client_id": "1", "token_uri": source.URL + "/token",
	})
	external := write("external.json", map[string]any{
		"type": "external_account", "audience": "//iam.googleapis.com/projects/1/x",
		"subject_token_type": "urn:ietf:params:oauth:token-type:jwt", "token_url": source.URL + "/sts",
		"credential_source": map[string]any{"url": source.URL + "/subject"},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = fcm.New(ctx, fcm.Config{ProjectID: project, CredentialsFile: serviceAccount})
	require.NoError(t, err, "a service account's key is taken")
	s, err := fcm.New(ctx, fcm.Config{ProjectID: project, CredentialsFile: external})
	if err == nil {
		_, err = s.Send(ctx, deviceToken, "t", "b", nil)
	}
	require.Error(t, err, "an external account's file is refused")
	fetched.Lock()
	defer fetched.Unlock()
	require.Zero(t, hits, "the external account's credential source was fetched")
}
