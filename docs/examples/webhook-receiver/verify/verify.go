// Package verify checks deliveries of CareQueue's outbound webhooks the Standard Webhooks way
// (webhook-id, webhook-timestamp, webhook-signature over "id.timestamp.body" with HMAC-SHA256): it
// refuses timestamps more than five minutes away from its clock and ignores a webhook-id it has
// already accepted (a retry or a replay). Copy it into your receiver; ../main.go and the EHR client
// example (docs/examples/ehr-client) use it.
//
// Answer 2xx quickly and do the work afterwards: CareQueue retries on timeouts, 408, 429 and 5xx, and
// gives up on other 4xx answers.
package verify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Tolerance is how far a delivery's timestamp may be from the receiver's clock.
const Tolerance = 5 * time.Minute

// maxBody bounds a delivery's body; CareQueue's are a few kilobytes.
const maxBody = 1 << 20

// Errors a delivery is refused with.
var (
	ErrMissingHeaders = errors.New("missing webhook headers")
	ErrBadTimestamp   = errors.New("timestamp outside the tolerance")
	ErrBadSignature   = errors.New("no valid signature")
	ErrReplayed       = errors.New("webhook-id already seen")
)

// Verifier checks deliveries signed with one secret and remembers the ids it accepted.
type Verifier struct {
	key []byte
	now func() time.Time
	mu  sync.Mutex
	// seen maps accepted ids to when they were accepted; ids older than twice the tolerance are
	// forgotten (a delivery that old is refused by its timestamp anyway).
	seen map[string]time.Time
}

// NewVerifier returns a Verifier for secret ("whsec_" + base64 key).
func NewVerifier(secret string, now func() time.Time) (*Verifier, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(key) == 0 {
		return nil, errors.New("the secret is not whsec_ followed by base64")
	}
	if now == nil {
		now = time.Now
	}
	return &Verifier{key: key, now: now, seen: map[string]time.Time{}}, nil
}

// Verify checks one delivery's headers and body and, when it is valid and new, remembers its id.
func (v *Verifier) Verify(h http.Header, body []byte) error {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return ErrMissingHeaders
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrBadTimestamp
	}
	now := v.now()
	if d := now.Sub(time.Unix(sec, 0)); d > Tolerance || d < -Tolerance {
		return ErrBadTimestamp
	}
	m := hmac.New(sha256.New, v.key)
	m.Write([]byte(id + "." + ts + "."))
	m.Write(body)
	want := m.Sum(nil)
	ok := false
	// The header may carry several space-separated signatures (e.g. during a secret rotation).
	for _, s := range strings.Fields(sigs) {
		version, sig, found := strings.Cut(s, ",")
		got, err := base64.StdEncoding.DecodeString(sig)
		if found && version == "v1" && err == nil && hmac.Equal(got, want) {
			ok = true
		}
	}
	if !ok {
		return ErrBadSignature
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for old, at := range v.seen {
		if now.Sub(at) > 2*Tolerance {
			delete(v.seen, old)
		}
	}
	if _, dup := v.seen[id]; dup {
		return ErrReplayed
	}
	v.seen[id] = now
	return nil
}

// Handler serves deliveries: 204 for a valid new one (handled by handle), 200 for a replay already
// handled (so the sender stops retrying), 400 or 401 otherwise.
func (v *Verifier) Handler(handle func(body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil || len(body) > maxBody {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		switch err := v.Verify(r.Header, body); {
		case errors.Is(err, ErrReplayed):
			w.WriteHeader(http.StatusOK)
		case errors.Is(err, ErrBadSignature), errors.Is(err, ErrMissingHeaders):
			http.Error(w, err.Error(), http.StatusUnauthorized)
		case err != nil:
			http.Error(w, err.Error(), http.StatusBadRequest)
		default:
			handle(body)
			w.WriteHeader(http.StatusNoContent)
		}
	})
}
