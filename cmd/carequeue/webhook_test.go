package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// twilioSignature computes X-Twilio-Signature as Twilio documents it, independently of the code
// under test: base64(HMAC-SHA1(token, url + each key and value, keys sorted)).
func twilioSignature(token, u string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(u)
	for _, k := range keys {
		b.WriteString(k + form.Get(k))
	}
	m := hmac.New(sha1.New, []byte(token))
	m.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// TestTwilioStatusCallback: a signed delivery report marks the message DELIVERED; a forged one is
// refused and changes nothing.
func TestTwilioStatusCallback(t *testing.T) {
	t.Parallel()
	// The SMS goes to a fake Twilio (TWILIO_API_URL), whose message id the report then names.
	const account, token = "AC0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"
	fake := newFakeTwilio(t, account, token)
	s := startServerWith(t, store.SQLite, map[string]string{"APP_ENV": "test", "TWILIO_ACCOUNT_SID": account,
		"TWILIO_AUTH_TOKEN": token, "TWILIO_FROM": "+15005550006", "TWILIO_API_URL": fake.srv.URL})
	h := setupHospital(t, s)
	tk := h.checkIn(t, s, h.triage, "Ann", "STANDARD")
	var sent struct {
		Edges []struct {
			Node struct{ ProviderID, Status string }
		}
	}
	require.Eventually(t, func() bool {
		s.ok(t, h.admin, `query($t:String!){ notifications(first:100, where:{ticketID:$t, kind:"checked_in"}){ edges{ node{ providerID status } } } }`,
			map[string]any{"t": tk.ID}, "notifications", &sent)
		return len(sent.Edges) == 1 && sent.Edges[0].Node.Status == "SENT"
	}, 15*time.Second, 200*time.Millisecond)
	sid := sent.Edges[0].Node.ProviderID

	post := func(form url.Values, signature string) int {
		req, _ := http.NewRequest(http.MethodPost, s.url+"/webhooks/twilio/status", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", signature)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	status := func() string {
		s.ok(t, h.admin, `query($t:String!){ notifications(first:100, where:{ticketID:$t, kind:"checked_in"}){ edges{ node{ providerID status } } } }`,
			map[string]any{"t": tk.ID}, "notifications", &sent)
		return sent.Edges[0].Node.Status
	}
	// The signature covers PUBLIC_URL's address, not the one the request reached.
	callback := s.env["PUBLIC_URL"] + "/webhooks/twilio/status"
	form := url.Values{"MessageSid": {sid}, "MessageStatus": {"delivered"}, "AccountSid": {"AC123"}}

	require.Equal(t, http.StatusForbidden, post(form, twilioSignature("wrong-token", callback, form)))
	require.Equal(t, http.StatusForbidden, post(form, ""))
	require.Equal(t, http.StatusForbidden, post(form, twilioSignature(token, s.url+"/webhooks/twilio/status", form)),
		"signed for another URL")
	require.Equal(t, "SENT", status(), "forged reports change nothing")

	require.Equal(t, http.StatusNoContent, post(form, twilioSignature(token, callback, form)))
	require.Equal(t, "DELIVERED", status())
}
