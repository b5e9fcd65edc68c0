package auth_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

func TestPasswordHasher(t *testing.T) {
	t.Parallel()
	h := auth.NewPasswordHasher(auth.FastPasswordParams())

	t.Run("HashesInPHCFormat", func(t *testing.T) {
		t.Parallel()
		enc, err := h.Hash("correct horse battery")
		require.NoError(t, err)
		require.Regexp(t, `^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`, enc)
	})

	t.Run("VerifiesOnlyTheRightPassword", func(t *testing.T) {
		t.Parallel()
		enc, err := h.Hash("correct horse battery")
		require.NoError(t, err)
		ok, err := h.Verify(enc, "correct horse battery")
		require.NoError(t, err)
		require.True(t, ok)
		for _, wrong := range []string{"", "correct horse batter", "Correct horse battery", strings.Repeat("x", 300)} {
			ok, err := h.Verify(enc, wrong)
			require.NoError(t, err)
			require.False(t, ok, wrong)
		}
	})

	t.Run("SaltsEveryHash", func(t *testing.T) {
		t.Parallel()
		a, err := h.Hash("same password here")
		require.NoError(t, err)
		b, err := h.Hash("same password here")
		require.NoError(t, err)
		require.NotEqual(t, a, b)
	})

	t.Run("VerifiesWithTheParametersInTheHash", func(t *testing.T) {
		t.Parallel()
		strong := auth.NewPasswordHasher(auth.PasswordParams{Memory: 128, Iterations: 2, Parallelism: 2, SaltLength: 16, KeyLength: 32})
		enc, err := strong.Hash("upgraded later")
		require.NoError(t, err)
		ok, err := h.Verify(enc, "upgraded later")
		require.NoError(t, err)
		require.True(t, ok)
	})

	t.Run("NeedsRehashWhenParametersDiffer", func(t *testing.T) {
		t.Parallel()
		enc, err := h.Hash("some password")
		require.NoError(t, err)
		require.False(t, h.NeedsRehash(enc))
		require.True(t, auth.NewPasswordHasher(auth.DefaultPasswordParams()).NeedsRehash(enc))
		require.True(t, h.NeedsRehash("garbage"))
	})

	t.Run("RejectsTooLongPassword", func(t *testing.T) {
		t.Parallel()
		_, err := h.Hash(strings.Repeat("a", auth.MaxPasswordBytes+1))
		require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err))
	})

	t.Run("PanicsOnUnverifiableParameters", func(t *testing.T) {
		t.Parallel()
		p := auth.FastPasswordParams()
		p.SaltLength = 0
		require.Panics(t, func() { auth.NewPasswordHasher(p) })
	})

	t.Run("DummyVerifyDoesNotPanic", func(t *testing.T) {
		t.Parallel()
		h.DummyVerify()
		h.DummyVerify()
	})
}

func TestPasswordHasherRejectsMalformedHash(t *testing.T) {
	t.Parallel()
	h := auth.NewPasswordHasher(auth.FastPasswordParams())
	good, err := h.Hash("a fine password")
	require.NoError(t, err)
	parts := strings.Split(good, "$") // "", argon2id, v=19, m=..., salt, hash
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}

	for name, enc := range map[string]string{
		"Empty":           "",
		"Bcrypt":          "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"Argon2i":         with(1, "argon2i"),
		"OldVersion":      with(2, "v=16"),
		"VersionTrailing": with(2, "v=19x"),
		"HugeMemory":      with(3, "m=4194304,t=1,p=1"),
		"ZeroIterations":  with(3, "m=64,t=0,p=1"),
		"ManyIterations":  with(3, "m=64,t=1000,p=1"),
		"ZeroLanes":       with(3, "m=64,t=1,p=0"),
		"ParamsReordered": with(3, "t=1,m=64,p=1"),
		"SaltNotBase64":   with(4, "!!!!"),
		"SaltTooShort":    with(4, "AAAA"),
		"KeyNotBase64":    with(5, "@@@"),
		"KeyTooShort":     with(5, "AAAA"),
		"MissingSection":  strings.Join(parts[:5], "$"),
		"ExtraSection":    good + "$x",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ok, err := h.Verify(enc, "a fine password")
			require.Error(t, err)
			require.False(t, ok)
			require.True(t, h.NeedsRehash(enc))
		})
	}
}

func TestDefaultPasswordFunctions(t *testing.T) {
	t.Parallel()

	t.Run("UseOWASPParameters", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, auth.PasswordParams{Memory: 19456, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32},
			auth.DefaultPasswordParams())
		enc, err := auth.HashPassword("a real password")
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$"), enc)
		require.False(t, auth.NeedsRehash(enc))

		ok, err := auth.VerifyPassword(enc, "a real password")
		require.NoError(t, err)
		require.True(t, ok)
		ok, err = auth.VerifyPassword(enc, "a real passworD")
		require.NoError(t, err)
		require.False(t, ok)
		auth.DummyVerify()
	})
}

func TestValidatePassword(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, pw, msg string
	}{
		{"AcceptsTenCharacters", "abcdefghij", ""},
		{"AcceptsTenMultibyteCharacters", "ññññññññññ", ""},
		{"AcceptsMaxBytes", strings.Repeat("a", auth.MaxPasswordBytes), ""},
		{"RejectsEmpty", "", "password is too short: use at least 10 characters"},
		{"RejectsNineCharacters", "abcdefghi", "password is too short: use at least 10 characters"},
		{"CountsCharactersNotBytes", "ñññññ", "password is too short: use at least 10 characters"},
		{"RejectsOverMaxBytes", strings.Repeat("a", auth.MaxPasswordBytes+1), "password is too long: use at most 256 bytes"},
		{"RejectsInvalidUTF8", "abcdefghij\xff", "password contains characters that are not valid text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := auth.ValidatePassword(tc.pw)
			if tc.msg == "" {
				require.NoError(t, err)
				return
			}
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err))
			require.Equal(t, tc.msg, cqerr.MessageOf(err))
			var e *cqerr.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, "password", e.Field)
		})
	}
}
