package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestRunFailsFastOnBadConfiguration: a bad value stops the binary at once with one line naming the
// variable, and nothing is served.
func TestRunFailsFastOnBadConfiguration(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"UnparseableDatabaseURL", map[string]string{"DATABASE_URL": "postgres//nope"}, "DATABASE_URL: "},
		{"UnreachablePostgres", map[string]string{"DATABASE_URL": "postgres://cq:secret-pw@127.0.0.1:1/cq?sslmode=disable&connect_timeout=2"}, "DATABASE_URL: cannot reach PostgreSQL"},
		{"UnreachableRedis", map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0"}, "REDIS_URL: cannot reach Redis"},
		{"BadRedisURL", map[string]string{"REDIS_URL": "http://x"}, "REDIS_URL: "},
		{"BadPort", map[string]string{"PORT": "eighty"}, "PORT: "},
		{"ShortSecretInProduction", map[string]string{"JWT_SECRET": "short"}, "JWT_SECRET: "},
		{"PlainHTTPTwilioAPIInProduction", map[string]string{"TWILIO_API_URL": "http://127.0.0.1:4010"}, "TWILIO_API_URL: "},
		{"LowerCaseAppLinksFingerprint", map[string]string{"APP_LINKS_ANDROID_SHA256": "14:6d:e9"}, "APP_LINKS_ANDROID_SHA256: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"APP_ENV": "production", "JWT_SECRET": testSecret, "PORT": "0", "HOST": "127.0.0.1",
				"SQLITE_PATH": t.TempDir() + "/x.db", "LOG_LEVEL": "error"}
			for k, v := range tc.env {
				env[k] = v
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var out bytes.Buffer
			err := run(ctx, []string{"serve", "--migrate"}, func(k string) string { return env[k] }, &out, io.Discard)
			require.Error(t, err)
			msg := err.Error()
			require.True(t, strings.HasPrefix(msg, tc.want), "got %q", msg)
			require.NotContains(t, msg, "\n", "one line")
			require.NotContains(t, msg, "secret-pw", "no password in the message")
			require.NotContains(t, out.String(), "running at", "nothing served")
		})
	}
}

func TestUserCreateRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"user"}, "usage: carequeue user create"},
		{[]string{"user", "create", "--email", "a@b.org"}, "--email and --role are required"},
		{[]string{"user", "create", "--email", "a@b.org", "--password", "long-enough-pw", "--role", "PATIENT"}, "--role must be"},
		{[]string{"user", "create", "--email", "a@b.org", "--password", "short", "--role", "ADMIN"}, "password is too short"},
		{[]string{"user", "create", "--email", "not-an-email", "--password", "long-enough-pw", "--role", "ADMIN"}, "email"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	} {
		err := run(context.Background(), tc.args, s.getenv, io.Discard, io.Discard)
		require.ErrorContains(t, err, tc.want, "%v", tc.args)
	}
	err := run(context.Background(), []string{"user", "create", "--email", "n@example.org", "--password", "long-enough-pw", "--role", "CLINICIAN"}, s.getenv, io.Discard, io.Discard)
	require.ErrorContains(t, err, "belong to a facility", "only admins may be global")
	out := s.cli(t, "user", "create", "--email", "Nurse@Example.org", "--password", "long-enough-pw", "--role", "admin")
	require.Contains(t, out, "created ADMIN nurse@example.org")
	err = run(context.Background(), []string{"user", "create", "--email", "nurse@example.org", "--password", "long-enough-pw", "--role", "ADMIN"}, s.getenv, io.Discard, io.Discard)
	require.ErrorContains(t, err, "already", "duplicate email")
}
