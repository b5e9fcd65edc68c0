// Package document owns the GraphQL documents CareQueue trusts: the persisted-document manifests
// (sha256 hash → document text) that the web and patient apps' code generator writes at build time
// and that operators add for their integrators, and the rule that says, per mode and per caller,
// whether a caller may send a free-form query or must name a trusted document by its hash.
//
// The wire format is Apollo's automatic persisted queries (APQ):
// extensions.persistedQuery = {"version": 1, "sha256Hash": "<64 hex>"}, with or without the query text.
package document

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
)

// Hash is a document's id: the lowercase hex SHA-256 of its exact text (what GraphQL Code Generator's
// persistedDocuments with hashAlgorithm "sha256" and Apollo's persisted-queries link compute).
func Hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// ValidHash reports whether h has the shape of a Hash (64 lowercase hex digits).
func ValidHash(h string) bool {
	if len(h) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Manifest maps hashes to document texts: the JSON object GraphQL Code Generator writes as
// persisted-documents.json, and the format of operator-provided TRUSTED_DOCUMENTS_FILES.
type Manifest map[string]string

// ParseManifest reads a manifest and checks that every key is the hash of its document, so a
// hand-edited or corrupted file fails at start-up rather than trusting text nobody hashed.
func ParseManifest(data []byte) (Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("not a JSON object of hash to document: %w", err)
	}
	for _, h := range sortedKeys(m) {
		if !ValidHash(h) {
			return nil, fmt.Errorf("key %q is not a lowercase hex SHA-256", h)
		}
		if Hash(m[h]) != h {
			return nil, fmt.Errorf("key %s is not the SHA-256 of its document", h)
		}
	}
	return m, nil
}

// Store holds the trusted documents. It is read-only after NewStore, so safe for concurrent use.
type Store struct {
	docs map[string]string
}

// NewStore returns a store holding every document of the manifests.
func NewStore(manifests ...Manifest) *Store {
	s := &Store{docs: map[string]string{}}
	for _, m := range manifests {
		for h, text := range m {
			s.docs[h] = text
		}
	}
	return s
}

// Lookup returns the trusted document with hash h.
func (s *Store) Lookup(h string) (string, bool) {
	text, ok := s.docs[h]
	return text, ok
}

// Len is the number of trusted documents.
func (s *Store) Len() int { return len(s.docs) }

// Each calls f for every trusted document, in hash order.
func (s *Store) Each(f func(hash, text string) error) error {
	for _, h := range sortedKeys(s.docs) {
		if err := f(h, s.docs[h]); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
