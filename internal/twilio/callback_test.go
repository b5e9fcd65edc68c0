package twilio_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/twilio"
)

// sign computes X-Twilio-Signature from Twilio's documented algorithm, independently of twilio-go.
func sign(authToken, u string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := u
	for _, k := range keys {
		for _, v := range form[k] {
			s += k + v
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func statusForm() url.Values {
	return url.Values{
		"AccountSid":    {sid},
		"ApiVersion":    {"2010-04-01"},
		"From":          {from},
		"To":            {to},
		"MessageSid":    {"SM0123456789abcdef0123456789abcdef"},
		"SmsSid":        {"SM0123456789abcdef0123456789abcdef"},
		"MessageStatus": {"undelivered"},
		"SmsStatus":     {"undelivered"},
		"ErrorCode":     {"30003"},
	}
}

func TestVerifySignature(t *testing.T) {
	t.Parallel()
	form := statusForm()
	good := sign(token, callback, form)

	for _, tc := range []struct {
		name      string
		token     string
		url       string
		form      url.Values
		signature string
		want      bool
	}{
		{"AcceptsTwiliosSignature", token, callback, form, good, true},
		{"AcceptsURLWithDefaultPort", token, "https://carequeue.example.org:443/webhooks/twilio/status", form, good, true},
		{"RefusesForgedSignature", token, callback, form, sign("not-the-token", callback, form), false},
		{"RefusesDifferentURL", token, "https://evil.example.org/webhooks/twilio/status", form, good, false},
		{"RefusesDifferentQuery", token, callback + "?x=1", form, good, false},
		{"RefusesTamperedForm", token, callback, func() url.Values {
			f := statusForm()
			f.Set("MessageStatus", "delivered")
			return f
		}(), good, false},
		{"RefusesEmptySignature", token, callback, form, "", false},
		{"RefusesEmptyToken", "", callback, form, sign("", callback, form), false},
		{"RefusesRepeatedKeys", token, callback, url.Values{"To": {"a", "b"}}, sign(token, callback, url.Values{"To": {"a", "b"}}), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, twilio.VerifySignature(tc.token, tc.url, tc.form, tc.signature))
		})
	}
}

func TestParseStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                string
		form                url.Values
		sid, status, errors string
	}{
		{"ReadsFailedDelivery", statusForm(), "SM0123456789abcdef0123456789abcdef", twilio.StatusUndelivered, "30003"},
		{"ReadsDelivered", url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"delivered"}}, "SM1", twilio.StatusDelivered, ""},
		{"FallsBackToLegacyFields", url.Values{"SmsSid": {"SM2"}, "SmsStatus": {"sent"}}, "SM2", twilio.StatusSent, ""},
		{"ReturnsEmptyForEmptyForm", url.Values{}, "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sid, status, code := twilio.ParseStatus(tc.form)
			require.Equal(t, tc.sid, sid)
			require.Equal(t, tc.status, status)
			require.Equal(t, tc.errors, code)
		})
	}
}
