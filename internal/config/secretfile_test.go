package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSecretFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	secret := write("jwt", goodSecret+"\n")
	crlf := write("crlf", "s3cr3t-token\r\n")
	spaces := write("spaces", "  inner spaces kept  \n")
	empty := write("empty", "\n")
	huge := write("huge", strings.Repeat("x", maxSecretFile+1))
	unreadable := write("unreadable", "hidden-value")
	require.NoError(t, os.Chmod(unreadable, 0))

	t.Run("ReadsTheFileAndDropsTheLineBreak", func(t *testing.T) {
		t.Parallel()
		get, err := WithSecretFiles(env(map[string]string{
			"JWT_SECRET_FILE": secret, "TWILIO_AUTH_TOKEN_FILE": crlf, "REDIS_URL_FILE": spaces,
		}), nil)
		require.NoError(t, err)
		require.Equal(t, goodSecret, get("JWT_SECRET"))
		require.Equal(t, "s3cr3t-token", get("TWILIO_AUTH_TOKEN"))
		require.Equal(t, "  inner spaces kept  ", get("REDIS_URL"))
		require.Empty(t, get("DATABASE_URL"), "an unset secret stays unset")
	})

	t.Run("OnlySecretsAreReadFromFiles", func(t *testing.T) {
		t.Parallel()
		get, err := WithSecretFiles(env(map[string]string{"LOG_LEVEL_FILE": secret}), nil)
		require.NoError(t, err)
		require.Empty(t, get("LOG_LEVEL"))
	})

	t.Run("LoadUsesTheFile", func(t *testing.T) {
		t.Parallel()
		c, err := Load(env(map[string]string{"JWT_SECRET_FILE": secret}), "")
		require.NoError(t, err)
		require.Equal(t, Secret(goodSecret), c.JWTSecret)
	})

	bad := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"Both", map[string]string{"JWT_SECRET": goodSecret, "JWT_SECRET_FILE": secret}, "JWT_SECRET_FILE: set JWT_SECRET or JWT_SECRET_FILE, not both"},
		{"Missing", map[string]string{"DATABASE_URL_FILE": filepath.Join(dir, "nope")}, "DATABASE_URL_FILE: " + filepath.Join(dir, "nope") + " does not exist"},
		{"Empty", map[string]string{"JWT_SECRET_FILE": empty}, "JWT_SECRET_FILE: " + empty + " is empty"},
		{"Huge", map[string]string{"JWT_SECRET_FILE": huge}, "is over 64 KiB"},
		{"Directory", map[string]string{"TWILIO_AUTH_TOKEN_FILE": dir}, "TWILIO_AUTH_TOKEN_FILE: " + dir + " cannot be read"},
	}
	if os.Geteuid() != 0 { // root reads a mode-0 file all the same
		bad = append(bad, struct {
			name string
			env  map[string]string
			want string
		}{"Unreadable", map[string]string{"JWT_SECRET_FILE": unreadable}, "cannot be read by this user"})
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(env(tc.env), "")
			require.ErrorContains(t, err, tc.want)
			var e *Error
			require.ErrorAs(t, err, &e)
			require.NotContains(t, err.Error(), "hidden-value")
			require.NotContains(t, err.Error(), "xxxx")
		})
	}
}
