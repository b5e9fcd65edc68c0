package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// These tests are in package auth so hostile tokens can be built from the real wire claims.

var (
	testSecret = []byte("0123456789abcdef0123456789abcdef")
	testNow    = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
)

func testTokens(t testing.TB, now time.Time) *Tokens {
	t.Helper()
	tok, err := NewTokens(TokenConfig{
		Secret: testSecret, Issuer: "https://carequeue.test", Audience: "carequeue-api",
		AccessTTL: 15 * time.Minute, Now: func() time.Time { return now },
	})
	require.NoError(t, err)
	return tok
}

func testClaims() AccessClaims {
	return AccessClaims{UserID: "usr_01J", Role: RoleClinician, FacilityID: "fac_01J", SessionID: "ses_01J"}
}

// wireClaims are valid claims as IssueAccess writes them at testNow; cases spoil one field each.
func wireClaims() jwtClaims {
	return jwtClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: "https://carequeue.test", Subject: "usr_01J", Audience: jwt.ClaimStrings{"carequeue-api"},
			IssuedAt: jwt.NewNumericDate(testNow), ExpiresAt: jwt.NewNumericDate(testNow.Add(15 * time.Minute)),
		},
		Type: "access", Role: RoleClinician, SessionID: "ses_01J",
	}
}

func sign(t *testing.T, m jwt.SigningMethod, c jwt.Claims, key any) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, c).SignedString(key)
	require.NoError(t, err)
	return s
}

// hmacWithHeader signs claims with HMAC-SHA256 under an arbitrary header, as a forger would.
func hmacWithHeader(t *testing.T, header map[string]any, c jwt.Claims) string {
	t.Helper()
	h, err := json.Marshal(header)
	require.NoError(t, err)
	p, err := json.Marshal(c)
	require.NoError(t, err)
	enc := base64.RawURLEncoding
	unsigned := enc.EncodeToString(h) + "." + enc.EncodeToString(p)
	mac := hmac.New(sha256.New, testSecret)
	mac.Write([]byte(unsigned))
	return unsigned + "." + enc.EncodeToString(mac.Sum(nil))
}

func TestTokens(t *testing.T) {
	t.Parallel()

	t.Run("RoundTripsClaims", func(t *testing.T) {
		t.Parallel()
		tok := testTokens(t, testNow)
		in := testClaims()
		in.PatientID = "pat_01J"
		s, exp, err := tok.IssueAccess(in)
		require.NoError(t, err)
		require.Equal(t, testNow.Add(15*time.Minute), exp)
		require.True(t, strings.HasPrefix(s, "eyJ"))

		got, err := tok.ParseAccess(s)
		require.NoError(t, err)
		in.ExpiresAt = exp
		require.Equal(t, in, got)
	})

	t.Run("AcceptsSlightClockSkew", func(t *testing.T) {
		t.Parallel()
		s, _, err := testTokens(t, testNow).IssueAccess(testClaims())
		require.NoError(t, err)
		for _, at := range []time.Time{testNow.Add(-10 * time.Second), testNow.Add(15*time.Minute + 10*time.Second)} {
			_, err := testTokens(t, at).ParseAccess(s)
			require.NoError(t, err, at)
		}
	})

	t.Run("RequiresUserRoleAndSession", func(t *testing.T) {
		t.Parallel()
		tok := testTokens(t, testNow)
		for _, c := range []AccessClaims{{Role: RoleAdmin, SessionID: "s"}, {UserID: "u", SessionID: "s"}, {UserID: "u", Role: RoleAdmin}} {
			_, _, err := tok.IssueAccess(c)
			require.Error(t, err)
		}
	})

	t.Run("DefaultsTTLAndClock", func(t *testing.T) {
		t.Parallel()
		tok, err := NewTokens(TokenConfig{Secret: testSecret, Issuer: "i", Audience: "a"})
		require.NoError(t, err)
		_, exp, err := tok.IssueAccess(testClaims())
		require.NoError(t, err)
		require.WithinDuration(t, time.Now().Add(DefaultAccessTTL), exp, 2*time.Second)
	})
}

func TestNewTokensRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  TokenConfig
	}{
		{"ShortSecret", TokenConfig{Secret: testSecret[:31], Issuer: "i", Audience: "a"}},
		{"NoSecret", TokenConfig{Issuer: "i", Audience: "a"}},
		{"NoIssuer", TokenConfig{Secret: testSecret, Audience: "a"}},
		{"NoAudience", TokenConfig{Secret: testSecret, Issuer: "i"}},
		{"NegativeTTL", TokenConfig{Secret: testSecret, Issuer: "i", Audience: "a", AccessTTL: -time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewTokens(tc.cfg)
			require.Error(t, err)
		})
	}
}

func TestParseAccessRejectsHostileTokens(t *testing.T) {
	t.Parallel()
	tok := testTokens(t, testNow)
	valid, _, err := tok.IssueAccess(testClaims())
	require.NoError(t, err)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	refresh, _ := NewRefreshToken()
	// The cases below spoil one field of wireClaims each; unspoiled, they must pass.
	_, err = tok.ParseAccess(sign(t, jwt.SigningMethodHS256, wireClaims(), testSecret))
	require.NoError(t, err)

	with := func(spoil func(*jwtClaims)) jwtClaims {
		c := wireClaims()
		spoil(&c)
		return c
	}
	const invalid, expired = "invalid access token", "session expired, sign in again"

	for _, tc := range []struct {
		name  string
		token string
		msg   string
		cause string // proves the case fails for its own reason
	}{
		{"Empty", "", invalid, `invalid access token`},
		{"Garbage", "not-a-token", invalid, `invalid number of segments`},
		{"ThreeGarbageParts", "a.b.c", invalid, `malformed`},
		{"RefreshToken", refresh, invalid, `invalid access token`},
		{"Oversized", valid + strings.Repeat("A", maxTokenBytes), invalid, `invalid access token`},
		{"AlgNone", sign(t, jwt.SigningMethodNone, wireClaims(), jwt.UnsafeAllowNoneSignatureType), invalid, `signing method none is invalid`},
		{"AlgNoneUnsigned", strings.Join(strings.Split(hmacWithHeader(t, map[string]any{"alg": "none", "typ": "JWT"}, wireClaims()), ".")[:2], ".") + ".", invalid, `signing method none is invalid`},
		{"HS512", sign(t, jwt.SigningMethodHS512, wireClaims(), testSecret), invalid, `signing method HS512 is invalid`},
		{"RS256", sign(t, jwt.SigningMethodRS256, wireClaims(), rsaKey), invalid, `signing method RS256 is invalid`},
		{"RS256HeaderWithHMACSignature", hmacWithHeader(t, map[string]any{"alg": "RS256", "typ": "JWT"}, wireClaims()), invalid, `signing method RS256 is invalid`},
		{"WrongSecret", sign(t, jwt.SigningMethodHS256, wireClaims(), []byte("another-secret-that-is-32-bytes!")), invalid, `signature is invalid`},
		{"TamperedSignature", valid[:len(valid)-2] + flip(valid[len(valid)-2]) + valid[len(valid)-1:], invalid, `signature is invalid`},
		{"TamperedPayload", tamperRole(t, valid), invalid, `signature is invalid`},
		{"Expired", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) {
			c.IssuedAt = jwt.NewNumericDate(testNow.Add(-time.Hour))
			c.ExpiresAt = jwt.NewNumericDate(testNow.Add(-45 * time.Minute))
		}), testSecret), expired, `token is expired`},
		{"NoExp", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) { c.ExpiresAt = nil }), testSecret), invalid, `exp claim is required`},
		{"WrongIssuer", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) { c.Issuer = "https://evil.test" }), testSecret), invalid, `invalid issuer`},
		{"NoIssuer", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) { c.Issuer = "" }), testSecret), invalid, `iss claim is required`},
		{"WrongAudience", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) { c.Audience = jwt.ClaimStrings{"other-api"} }), testSecret), invalid, `invalid audience`},
		{"NoAudience", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) { c.Audience = nil }), testSecret), invalid, `aud claim is required`},
		{"TypeRefresh", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) { c.Type = "refresh" }), testSecret), invalid, `token type "refresh"`},
		{"NoType", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) { c.Type = "" }), testSecret), invalid, `token type ""`},
		{"FutureIssuedAt", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) {
			c.IssuedAt = jwt.NewNumericDate(testNow.Add(5 * time.Minute))
		}), testSecret), invalid, `used before issued`},
		{"NotYetValid", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) {
			c.NotBefore = jwt.NewNumericDate(testNow.Add(5 * time.Minute))
		}), testSecret), invalid, `not valid yet`},
		{"NoSubject", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) { c.Subject = "" }), testSecret), invalid, `missing sub`},
		{"NoRole", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) { c.Role = "" }), testSecret), invalid, `missing sub`},
		{"NoSession", sign(t, jwt.SigningMethodHS256, with(func(c *jwtClaims) { c.SessionID = "" }), testSecret), invalid, `missing sub`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := tok.ParseAccess(tc.token)
			require.Error(t, err)
			require.Equal(t, cqerr.Unauthenticated, cqerr.CodeOf(err))
			require.Equal(t, tc.msg, cqerr.MessageOf(err))
			require.ErrorContains(t, err, tc.cause)
			if tc.token != "" {
				require.NotContains(t, err.Error(), tc.token, "error must not echo the token")
			}
		})
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// tamperRole re-encodes the payload with a higher role, keeping the original signature.
func tamperRole(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	m["role"] = "ADMIN"
	raw, err = json.Marshal(m)
	require.NoError(t, err)
	parts[1] = base64.RawURLEncoding.EncodeToString(raw)
	return strings.Join(parts, ".")
}
