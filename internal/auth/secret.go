package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
)

const (
	// RefreshTokenPrefix starts every refresh token. An access JWT always starts with "eyJ", so
	// neither can be mistaken for the other, and secret scanners can recognise a leaked token.
	RefreshTokenPrefix = "cqr_"
	// PatientCodeDigits is the length of a one-time patient sign-in code.
	PatientCodeDigits = 6

	refreshTokenBytes = 32
)

var refreshTokenLen = len(RefreshTokenPrefix) + base64.RawURLEncoding.EncodedLen(refreshTokenBytes)

// NewRefreshToken returns a new refresh token (give plain to the client, once) and the hash to
// store. plain is "cqr_" followed by 32 random bytes in unpadded base64url.
func NewRefreshToken() (plain, hash string) {
	b := make([]byte, refreshTokenBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	plain = RefreshTokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, HashSecret(plain)
}

// IsRefreshToken reports whether s has the shape of a refresh token. It says nothing about
// whether the token is valid; it lets a caller refuse garbage before a database lookup.
func IsRefreshToken(s string) bool {
	if len(s) != refreshTokenLen || !strings.HasPrefix(s, RefreshTokenPrefix) {
		return false
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(s[len(RefreshTokenPrefix):])
	return err == nil
}

// HashSecret returns the hex SHA-256 of a high-entropy secret, the form it is stored and looked up
// in. A plain hash suffices because the secret has 256 random bits; never use it for passwords or
// short codes.
func HashSecret(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

var maxPatientCode = big.NewInt(1_000_000) // 10^PatientCodeDigits

// NewPatientCode returns a one-time code of PatientCodeDigits decimal digits, uniform over
// 000000–999999 (rand.Int rejects biased samples instead of taking a modulus).
func NewPatientCode() (code string, err error) {
	n, err := rand.Int(rand.Reader, maxPatientCode)
	if err != nil {
		return "", fmt.Errorf("generating patient code: %w", err)
	}
	return fmt.Sprintf("%0*d", PatientCodeDigits, n.Int64()), nil
}

// HashCode returns the hex HMAC-SHA256 of a one-time code bound to the phone it was sent to. A
// million codes are quickly brute-forced from a plain hash; keyed with the server secret, a leaked
// table is useless without the key.
func HashCode(phone, code string, key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(phone))
	m.Write([]byte{0}) // separator: phone and code can never run into each other
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}

// EqualHash compares two hashes in constant time, so a lookup that compares in Go does not leak
// how many leading characters matched.
func EqualHash(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// DeriveKey returns the key for one purpose (e.g. "audit identifiers") derived from the server secret,
// so that a value hashed for one use is not the same hash under another.
func DeriveKey(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("carequeue/" + purpose))
	return m.Sum(nil)
}
