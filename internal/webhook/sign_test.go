package webhook

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSign checks the signature against the Standard Webhooks specification's own example, computed by
// its reference libraries, so a change of format breaks here and not at a receiver.
func TestSign(t *testing.T) {
	t.Parallel()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", SecretPrefix))
	require.NoError(t, err)
	got := Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	require.Equal(t, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", got)

	t.Run("EachPartCounts", func(t *testing.T) {
		t.Parallel()
		base := Sign(key, "msg_1", 100, []byte("{}"))
		require.NotEqual(t, base, Sign(key, "msg_2", 100, []byte("{}")))
		require.NotEqual(t, base, Sign(key, "msg_1", 101, []byte("{}")))
		require.NotEqual(t, base, Sign(key, "msg_1", 100, []byte("{ }")))
		require.NotEqual(t, base, Sign([]byte("other"), "msg_1", 100, []byte("{}")))
	})
	t.Run("SecretsAreDerivedPerEndpointAndSalt", func(t *testing.T) {
		t.Parallel()
		server := []byte("server key")
		a := secretKey(server, "WH1", "salt")
		require.Equal(t, a, secretKey(server, "WH1", "salt"), "the server re-derives the same key to sign")
		require.NotEqual(t, a, secretKey(server, "WH2", "salt"))
		require.NotEqual(t, a, secretKey(server, "WH1", "salt2"), "rotating the salt replaces the secret")
		require.NotEqual(t, a, secretKey([]byte("another server"), "WH1", "salt"))
		s := FormatSecret(a)
		require.True(t, strings.HasPrefix(s, "whsec_"))
		back, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, SecretPrefix))
		require.NoError(t, err)
		require.Equal(t, a, back)
		salt, id := newSalt(), newMessageID()
		require.NotEqual(t, salt, newSalt())
		require.NotEqual(t, id, newMessageID())
		require.Regexp(t, `^msg_[A-Za-z0-9_-]{22}$`, id)
	})
}
