package verify

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/webhook"
)

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// sign signs as CareQueue's sender does (internal/webhook.Sign), so the receiver is tested against the
// real signer.
func sign(t *testing.T, id string, ts time.Time, body string) http.Header {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(secret[len("whsec_"):])
	require.NoError(t, err)
	h := http.Header{}
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", strconv.FormatInt(ts.Unix(), 10))
	h.Set("webhook-signature", webhook.Sign(key, id, ts.Unix(), []byte(body)))
	return h
}

func TestVerifier(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	body := `{"type":"ticket.called","timestamp":"2026-12-04T12:00:00Z","data":{"code":"E-012"}}`
	newV := func(t *testing.T) *Verifier {
		v, err := NewVerifier(secret, func() time.Time { return now })
		require.NoError(t, err)
		return v
	}
	t.Run("AcceptsAValidDelivery", func(t *testing.T) {
		t.Parallel()
		require.NoError(t, newV(t).Verify(sign(t, "msg_1", now.Add(-time.Minute), body), []byte(body)))
	})
	t.Run("RefusesAForgedSignature", func(t *testing.T) {
		t.Parallel()
		h := sign(t, "msg_1", now, body)
		m := hmac.New(sha256.New, []byte("not the secret"))
		m.Write([]byte("msg_1." + h.Get("webhook-timestamp") + "." + body))
		h.Set("webhook-signature", "v1,"+base64.StdEncoding.EncodeToString(m.Sum(nil)))
		require.ErrorIs(t, newV(t).Verify(h, []byte(body)), ErrBadSignature)
		h.Set("webhook-signature", "v1,not base64!")
		require.ErrorIs(t, newV(t).Verify(h, []byte(body)), ErrBadSignature)
		h.Set("webhook-signature", "v2,"+sign(t, "msg_1", now, body).Get("webhook-signature")[3:])
		require.ErrorIs(t, newV(t).Verify(h, []byte(body)), ErrBadSignature, "only v1 signatures count")
	})
	t.Run("RefusesAnOldOrFutureTimestamp", func(t *testing.T) {
		t.Parallel()
		v := newV(t)
		require.ErrorIs(t, v.Verify(sign(t, "msg_1", now.Add(-6*time.Minute), body), []byte(body)), ErrBadTimestamp)
		require.ErrorIs(t, v.Verify(sign(t, "msg_2", now.Add(6*time.Minute), body), []byte(body)), ErrBadTimestamp)
		h := sign(t, "msg_3", now, body)
		h.Set("webhook-timestamp", strconv.FormatInt(now.Add(-time.Hour).Unix(), 10))
		require.Error(t, v.Verify(h, []byte(body)), "a fresh timestamp on an old signature")
		h.Set("webhook-timestamp", "soon")
		require.ErrorIs(t, v.Verify(h, []byte(body)), ErrBadTimestamp)
	})
	t.Run("RefusesAReplayedID", func(t *testing.T) {
		t.Parallel()
		v := newV(t)
		h := sign(t, "msg_1", now, body)
		require.NoError(t, v.Verify(h, []byte(body)))
		require.ErrorIs(t, v.Verify(h, []byte(body)), ErrReplayed)
		require.ErrorIs(t, v.Verify(sign(t, "msg_1", now.Add(time.Second), body), []byte(body)), ErrReplayed,
			"a retry signs again with a new timestamp, but keeps the id")
	})
	t.Run("RefusesABodyChangedAfterSigning", func(t *testing.T) {
		t.Parallel()
		h := sign(t, "msg_1", now, body)
		changed := bytes.Replace([]byte(body), []byte("E-012"), []byte("E-013"), 1)
		require.ErrorIs(t, newV(t).Verify(h, changed), ErrBadSignature)
		h.Set("webhook-id", "msg_2")
		require.ErrorIs(t, newV(t).Verify(h, []byte(body)), ErrBadSignature, "the id is signed too")
	})
	t.Run("RefusesMissingHeaders", func(t *testing.T) {
		t.Parallel()
		require.ErrorIs(t, newV(t).Verify(http.Header{}, []byte(body)), ErrMissingHeaders)
	})
	t.Run("RefusesABadSecret", func(t *testing.T) {
		t.Parallel()
		_, err := NewVerifier("whsec_***", nil)
		require.Error(t, err)
		_, err = NewVerifier("", nil)
		require.Error(t, err)
	})
	t.Run("Handler", func(t *testing.T) {
		t.Parallel()
		handled := make(chan string, 10)
		srv := httptest.NewServer(newV(t).Handler(func(b []byte) { handled <- string(b) }))
		defer srv.Close()
		post := func(h http.Header, b string) int {
			req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewBufferString(b))
			for k := range h {
				req.Header.Set(k, h.Get(k))
			}
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			res.Body.Close()
			return res.StatusCode
		}
		h := sign(t, "msg_9", now, body)
		require.Equal(t, http.StatusNoContent, post(h, body))
		require.Equal(t, http.StatusOK, post(h, body), "a replay is acknowledged, not handled twice")
		require.Equal(t, http.StatusUnauthorized, post(h, body+" "))
		require.Equal(t, http.StatusBadRequest, post(sign(t, "msg_10", now.Add(-time.Hour), body), body))
		close(handled)
		var got []string
		for b := range handled {
			got = append(got, b)
		}
		require.Equal(t, []string{body}, got)
	})
}
