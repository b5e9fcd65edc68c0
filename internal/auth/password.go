package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id cost parameters. They are written into every hash, so changing
// them never locks anyone out: old hashes still verify and NeedsRehash reports them for upgrade.
type PasswordParams struct {
	Memory      uint32 // KiB
	Iterations  uint32
	Parallelism uint8
	SaltLength  uint32 // bytes
	KeyLength   uint32 // bytes
}

// DefaultPasswordParams returns the OWASP Password Storage Cheat Sheet minimum for argon2id:
// 19 MiB of memory, 2 iterations, 1 lane.
func DefaultPasswordParams() PasswordParams {
	return PasswordParams{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}
}

// FastPasswordParams returns deliberately weak parameters that keep tests fast. Never use them
// for real accounts.
func FastPasswordParams() PasswordParams {
	return PasswordParams{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
}

// Bounds on parameters read back from a stored hash, so a corrupted or planted row cannot make a
// login allocate gigabytes or spin for minutes.
const (
	maxMemoryKiB  = 1 << 20 // 1 GiB
	maxIterations = 64
	minKeyLength  = 16
	maxKeyLength  = 128
	minSaltLength = 8
	maxSaltLength = 64
)

var b64 = base64.RawStdEncoding // PHC strings use unpadded standard base64

// PasswordHasher hashes and verifies passwords with one set of parameters. It is safe for
// concurrent use.
type PasswordHasher struct {
	params PasswordParams

	dummyOnce sync.Once
	dummy     string
}

// NewPasswordHasher returns a hasher that writes new hashes with p. It panics if p is outside the
// bounds Verify accepts (a programming error: such hashes could never be verified).
func NewPasswordHasher(p PasswordParams) *PasswordHasher {
	if err := p.check(); err != nil {
		panic("auth.NewPasswordHasher: " + err.Error())
	}
	return &PasswordHasher{params: p}
}

// Hash returns pw hashed with a fresh random salt, in PHC format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>. A password over MaxPasswordBytes is BAD_USER_INPUT.
func (h *PasswordHasher) Hash(pw string) (string, error) {
	if len(pw) > MaxPasswordBytes {
		return "", errPasswordTooLong()
	}
	p := h.params
	salt := make([]byte, p.SaltLength)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails
	key := argon2.IDKey([]byte(pw), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLength)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Iterations, p.Parallelism, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches encoded, using the parameters stored in encoded and a
// constant-time comparison. A wrong password is (false, nil); an error means encoded is not a
// hash this package can read (a data problem, not the user's).
func (h *PasswordHasher) Verify(encoded, pw string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	if len(pw) > MaxPasswordBytes {
		return false, nil // no stored password can be this long
	}
	got := argon2.IDKey([]byte(pw), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLength)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with other parameters than h's (or cannot be
// read), so the caller should store a fresh Hash after the next successful Verify.
func (h *PasswordHasher) NeedsRehash(encoded string) bool {
	p, _, _, err := decodeHash(encoded)
	return err != nil || p != h.params
}

// DummyVerify spends the same time as Verify on a real hash. Call it when the account does not
// exist, so response time does not tell an attacker which e-mail addresses are registered.
func (h *PasswordHasher) DummyVerify() {
	h.dummyOnce.Do(func() {
		h.dummy, _ = h.Hash("carequeue-dummy-password") // cannot fail: the input is short
	})
	_, _ = h.Verify(h.dummy, "not-the-dummy-password")
}

var defaultHasher = NewPasswordHasher(DefaultPasswordParams())

// HashPassword hashes pw with DefaultPasswordParams; see PasswordHasher.Hash.
func HashPassword(pw string) (string, error) { return defaultHasher.Hash(pw) }

// VerifyPassword checks pw against encoded; see PasswordHasher.Verify.
func VerifyPassword(encoded, pw string) (bool, error) { return defaultHasher.Verify(encoded, pw) }

// NeedsRehash reports whether encoded differs from DefaultPasswordParams; see PasswordHasher.NeedsRehash.
func NeedsRehash(encoded string) bool { return defaultHasher.NeedsRehash(encoded) }

// DummyVerify equalises timing with DefaultPasswordParams; see PasswordHasher.DummyVerify.
func DummyVerify() { defaultHasher.DummyVerify() }

var errMalformedHash = errors.New("auth: malformed argon2id hash")

func decodeHash(encoded string) (p PasswordParams, salt, key []byte, err error) {
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errMalformedHash
	}
	var version int
	// Sscanf ignores trailing input and accepts signs, so compare with the canonical form too.
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil ||
		version != argon2.Version || parts[2] != fmt.Sprintf("v=%d", version) {
		return p, nil, nil, fmt.Errorf("%w: unsupported version %q", errMalformedHash, parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Iterations, &p.Parallelism); err != nil ||
		parts[3] != fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Iterations, p.Parallelism) {
		return p, nil, nil, fmt.Errorf("%w: parameters %q", errMalformedHash, parts[3])
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: salt: %w", errMalformedHash, err)
	}
	if key, err = b64.DecodeString(parts[5]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: key: %w", errMalformedHash, err)
	}
	p.SaltLength, p.KeyLength = uint32(len(salt)), uint32(len(key))
	if err := p.check(); err != nil {
		return p, nil, nil, fmt.Errorf("%w: %w", errMalformedHash, err)
	}
	return p, salt, key, nil
}

func (p PasswordParams) check() error {
	switch {
	case p.Memory == 0 || p.Memory > maxMemoryKiB,
		p.Iterations == 0 || p.Iterations > maxIterations,
		p.Parallelism == 0,
		p.Memory < 8*uint32(p.Parallelism), // argon2 needs 8 KiB per lane
		p.SaltLength < minSaltLength || p.SaltLength > maxSaltLength,
		p.KeyLength < minKeyLength || p.KeyLength > maxKeyLength:
		return fmt.Errorf("argon2id parameters out of range: %+v", p)
	}
	return nil
}
