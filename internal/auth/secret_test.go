package auth_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

func TestRefreshToken(t *testing.T) {
	t.Parallel()

	t.Run("IsPrefixedAndStoredAsItsHash", func(t *testing.T) {
		t.Parallel()
		plain, hash := auth.NewRefreshToken()
		require.Regexp(t, `^cqr_[A-Za-z0-9_-]{43}$`, plain)
		require.Equal(t, auth.HashSecret(plain), hash)
		require.Regexp(t, `^[0-9a-f]{64}$`, hash)
		require.NotContains(t, hash, strings.TrimPrefix(plain, auth.RefreshTokenPrefix))
	})

	t.Run("IsUnique", func(t *testing.T) {
		t.Parallel()
		seen := map[string]bool{}
		for range 1000 {
			plain, _ := auth.NewRefreshToken()
			require.False(t, seen[plain])
			seen[plain] = true
		}
	})

	t.Run("RecognisesItsShape", func(t *testing.T) {
		t.Parallel()
		plain, _ := auth.NewRefreshToken()
		require.True(t, auth.IsRefreshToken(plain))
		for _, s := range []string{
			"", "cqr_", plain[4:], "xyz_" + plain[4:], plain + "A", plain[:len(plain)-1],
			"cqr_" + strings.Repeat("!", 43), "eyJhbGciOiJIUzI1NiJ9.e30.sig",
		} {
			require.False(t, auth.IsRefreshToken(s), s)
		}
	})
}

func TestPatientCode(t *testing.T) {
	t.Parallel()

	t.Run("IsSixDigits", func(t *testing.T) {
		t.Parallel()
		six := regexp.MustCompile(`^[0-9]{6}$`)
		for range 1000 {
			code, err := auth.NewPatientCode()
			require.NoError(t, err)
			require.Regexp(t, six, code)
		}
	})

	t.Run("SpreadsEvenlyOverDigits", func(t *testing.T) {
		t.Parallel()
		// 20,000 codes: every digit in every position should appear ~2,000 times. The bounds are
		// > 8 standard deviations wide, so this fails on bias, not on bad luck.
		const n = 20000
		var counts [6][10]int
		for range n {
			code, err := auth.NewPatientCode()
			require.NoError(t, err)
			for pos, d := range code {
				counts[pos][d-'0']++
			}
		}
		for pos := range counts {
			for d, c := range counts[pos] {
				require.InDelta(t, n/10, c, 350, "position %d digit %d", pos, d)
			}
		}
	})

	t.Run("HashIsKeyedAndBoundToPhone", func(t *testing.T) {
		t.Parallel()
		key := []byte("server-secret-0123456789abcdef!!")
		h := auth.HashCode("+447700900123", "042917", key)
		require.Regexp(t, `^[0-9a-f]{64}$`, h)
		require.Equal(t, h, auth.HashCode("+447700900123", "042917", key))
		require.NotEqual(t, h, auth.HashCode("+447700900124", "042917", key))
		require.NotEqual(t, h, auth.HashCode("+447700900123", "042918", key))
		require.NotEqual(t, h, auth.HashCode("+447700900123", "042917", []byte("another-key")))
		require.NotEqual(t, h, auth.HashSecret("+447700900123042917"))
	})
}

func TestEqualHash(t *testing.T) {
	t.Parallel()
	a := auth.HashSecret("one")
	require.True(t, auth.EqualHash(a, auth.HashSecret("one")))
	require.False(t, auth.EqualHash(a, auth.HashSecret("two")))
	require.False(t, auth.EqualHash(a, a[:63]))
	require.False(t, auth.EqualHash(a, ""))
}

func TestTooManyAttempts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		after time.Duration
		msg   string
	}{
		{"RoundsUpToWholeSeconds", 1500 * time.Millisecond, "too many attempts, try again in 2 seconds"},
		{"SaysAtLeastOneSecond", 0, "too many attempts, try again in 1 second"},
		{"KeepsWholeSeconds", 42 * time.Second, "too many attempts, try again in 42 seconds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := auth.TooManyAttempts(tc.after)
			require.Equal(t, cqerr.RateLimited, cqerr.CodeOf(err))
			require.Equal(t, tc.msg, cqerr.MessageOf(err))
		})
	}
}
