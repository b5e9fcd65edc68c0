package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
)

// SecretPrefix starts every endpoint secret, as in the Standard Webhooks convention: the rest is the
// base64 of the key bytes the signature is computed with.
const SecretPrefix = "whsec_"

// newSalt returns a fresh random salt for an endpoint's secret.
func newSalt() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// secretKey is the signing key of the endpoint id with salt under the server's key.
func secretKey(serverKey []byte, endpointID, salt string) []byte {
	m := hmac.New(sha256.New, serverKey)
	m.Write([]byte("webhook-secret\x00" + endpointID + "\x00" + salt))
	return m.Sum(nil)
}

// FormatSecret is the secret as shown to the admin once: whsec_ + base64(key).
func FormatSecret(key []byte) string { return SecretPrefix + base64.StdEncoding.EncodeToString(key) }

// Sign returns the webhook-signature header value for one attempt: "v1," + base64(HMAC-SHA256(key,
// id + "." + timestamp + "." + body)).
func Sign(key []byte, id string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + strconv.FormatInt(timestamp, 10) + "."))
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// newMessageID returns a webhook-id: "msg_" and 16 random bytes, unguessable and unique per event and
// endpoint; kept across retries and replays so that receivers can deduplicate.
func newMessageID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "msg_" + base64.RawURLEncoding.EncodeToString(b)
}
