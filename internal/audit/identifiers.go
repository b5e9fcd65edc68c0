package audit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync/atomic"
)

// identifierFields are the fields of a recorded state that identify a patient (HIPAA's direct
// identifiers as CareQueue stores them) or may carry clinical free text about one. Their values are
// stored as a keyed hash: the log still shows that a phone changed, and someone holding the key can
// check whether it was a given number, but a copy of the table alone does not reveal them.
var identifierFields = map[string]bool{
	"mrn": true, "given_name": true, "family_name": true, "date_of_birth": true,
	"phone": true, "email": true, "note": true, "external_ref": true,
}

// HashedPrefix starts every keyed hash in a recorded state.
const HashedPrefix = "hmac-sha256:"

// processKey is a key held process-wide: Record is called from every service inside its own
// transaction, so the audit keys are not threaded through each. Until set, a random key keeps values
// out of the log all the same (unlinkable across restarts).
type processKey struct{ p atomic.Pointer[[]byte] }

func newProcessKey() *processKey {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read never fails
	var pk processKey
	pk.p.Store(&k)
	return &pk
}

// set replaces the key by a copy of key; an empty key is ignored.
func (pk *processKey) set(key []byte) {
	if len(key) == 0 {
		return
	}
	k := append([]byte(nil), key...)
	pk.p.Store(&k)
}

func (pk *processKey) get() []byte { return *pk.p.Load() }

// identifierKey is the key of those hashes.
var identifierKey = newProcessKey()

// UseKey sets the key identifiers are hashed under; cmd/carequeue derives it from the server secret.
// An empty key is ignored.
func UseKey(key []byte) { identifierKey.set(key) }

// HashIdentifier returns the keyed hash Record stores for v (any JSON value), e.g. to find the entries
// about a known phone number.
func HashIdentifier(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte("?")
	}
	m := hmac.New(sha256.New, identifierKey.get())
	m.Write(b)
	return HashedPrefix + hex.EncodeToString(m.Sum(nil))
}

// pseudonymise replaces identifier values in state (in place) by their keyed hash; a patient account's
// name is one too. Absent and null values stay as they are.
func pseudonymise(state map[string]any) map[string]any {
	for k, v := range state {
		if v == nil {
			continue
		}
		if identifierFields[k] || (k == "name" && state["role"] == "PATIENT") {
			state[k] = HashIdentifier(v)
		}
	}
	return state
}
