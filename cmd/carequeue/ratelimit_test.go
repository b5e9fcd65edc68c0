package main

import (
	"context"
	"fmt"
	"os"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestLoginRateLimitSharedThroughRedis: with REDIS_URL set, the limit lives in Redis, so replicas share
// it; the sixth attempt in a minute is RATE_LIMITED even with the right password.
func TestLoginRateLimitSharedThroughRedis(t *testing.T) {
	t.Parallel()
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		redisURL = "redis://127.0.0.1:6379/0"
	}
	s := startServerWith(t, store.SQLite, map[string]string{"REDIS_URL": redisURL, "LOGIN_RATE_LIMIT": "5"})
	// Another replica on the same Redis (a second server on its own database) shares the address limit.
	other := startServerWith(t, store.SQLite, map[string]string{"REDIS_URL": redisURL, "LOGIN_RATE_LIMIT": "5"})
	// A fresh account and address count per run, so a rerun within the minute starts clean.
	email := fmt.Sprintf("limited-%d@test.org", time.Now().UnixNano())
	opt, err := goredis.ParseURL(redisURL)
	require.NoError(t, err)
	rdb := goredis.NewClient(opt)
	defer rdb.Close()
	require.NoError(t, rdb.Del(context.Background(), "cq:rl:login:addr:127.0.0.1").Err())
	s.cli(t, "user", "create", "--email", email, "--password", "right-password-1", "--role", "ADMIN")
	login := func(srv *testServer, password string) string {
		return srv.gql(t, "", `mutation($e:String!,$p:String!){ login(email:$e, password:$p){ accessToken } }`, map[string]any{"e": email, "p": password}).code()
	}
	for range 4 {
		require.Equal(t, "UNAUTHENTICATED", login(s, "wrong-password-1"))
	}
	require.Equal(t, "UNAUTHENTICATED", login(other, "wrong-password-1"), "the fifth attempt, on the other replica")
	require.Equal(t, "RATE_LIMITED", login(s, "right-password-1"), "the sixth attempt is refused, password or not")
}
