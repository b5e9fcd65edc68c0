package main

import (
	"fmt"
	"os"
	"time"

	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestLoginRateLimitSharedThroughRedis: with REDIS_URL set, the limits live in Redis, so replicas share
// them: the sixth attempt on an account in a minute is RATE_LIMITED even with the right password, and
// failures from one address past LOGIN_ADDRESS_FAILURE_LIMIT stop sign-ins from it on every replica.
func TestLoginRateLimitSharedThroughRedis(t *testing.T) {
	t.Parallel()
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		redisURL = "redis://127.0.0.1:6379/0"
	}
	// Its own key prefix keeps this test's counts apart from other tests' servers on the same Redis.
	env := map[string]string{"REDIS_URL": redisURL, "LOGIN_RATE_LIMIT": "5", "LOGIN_ADDRESS_FAILURE_LIMIT": "8",
		"REDIS_PREFIX": fmt.Sprintf("cqt%d:", time.Now().UnixNano())}
	s := startServerWith(t, store.SQLite, env)
	// Another replica on the same Redis (a second server on its own database) shares the limits.
	other := startServerWith(t, store.SQLite, env)
	email := "limited@test.org"
	s.cli(t, "user", "create", "--email", email, "--password", "right-password-1", "--role", "ADMIN")
	login := func(srv *testServer, password string) string {
		return srv.gql(t, "", `mutation($e:String!,$p:String!){ login(email:$e, password:$p){ accessToken } }`, map[string]any{"e": email, "p": password}).code()
	}
	for range 4 {
		require.Equal(t, "UNAUTHENTICATED", login(s, "wrong-password-1"))
	}
	require.Equal(t, "UNAUTHENTICATED", login(other, "wrong-password-1"), "the fifth attempt, on the other replica")
	require.Equal(t, "RATE_LIMITED", login(s, "right-password-1"), "the sixth attempt is refused, password or not")

	// Five failures so far from this address; three more on other accounts use up its eight.
	for i := range 3 {
		r := other.gql(t, "", `mutation($e:String!){ login(email:$e, password:"guess-password"){ accessToken } }`,
			map[string]any{"e": fmt.Sprintf("guess%d@test.org", i)})
		require.Equal(t, "UNAUTHENTICATED", r.code(), "failure %d", 6+i)
	}
	s.cli(t, "user", "create", "--email", "fresh@test.org", "--password", "fresh-password-1", "--role", "ADMIN")
	r := s.gql(t, "", `mutation{ login(email:"fresh@test.org", password:"fresh-password-1"){ accessToken } }`, nil)
	require.Equal(t, "RATE_LIMITED", r.code(), "an untouched account from an address past its failures")
}
