package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestTwoReplicasShareLiveUpdates runs two real servers on one PostgreSQL database and one Redis: a
// callNext on replica A reaches a ticketChanged watcher connected to replica B.
func TestTwoReplicasShareLiveUpdates(t *testing.T) {
	t.Parallel()
	a, b := startTwoReplicas(t)
	h := setupHospital(t, a)
	h.checkIn(t, a, h.triage, "First", "STANDARD")
	second := h.checkIn(t, a, h.triage, "Second", "STANDARD")

	// Tokens are valid on every replica: they share the JWT secret.
	c := b.subscribe(t, h.reception, `subscription($t:ID!){ ticketChanged(ticketID:$t){ position version } }`, map[string]any{"t": second.ID})
	type update struct {
		Data struct {
			TicketChanged struct{ Position, Version int }
		}
	}
	next := func() update {
		m := b.read(t, c)
		require.Equal(t, "next", m.Type, string(m.Payload))
		var u update
		require.NoError(t, json.Unmarshal(m.Payload, &u))
		return u
	}
	before := next().Data.TicketChanged
	require.Equal(t, 2, before.Position)

	a.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`,
		map[string]any{"q": h.triage, "sp": h.room1}, "callNext", nil)
	after := next().Data.TicketChanged
	require.Equal(t, 1, after.Position, "replica B heard replica A's change through Redis")
	require.Equal(t, before.Version+1, after.Version)
}

// startTwoReplicas starts two servers on one new PostgreSQL database and one Redis prefix, with env
// (if any) added to both servers' environment.
func startTwoReplicas(t *testing.T, env ...map[string]string) (a, b *testServer) {
	t.Helper()
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		redisURL = "redis://127.0.0.1:6379/0"
	}
	prefix := fmt.Sprintf("cqt%d:", time.Now().UnixNano())
	with := func(kv ...string) map[string]string {
		out := map[string]string{"REDIS_URL": redisURL, "REDIS_PREFIX": prefix}
		for _, e := range env {
			maps.Copy(out, e)
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	a = startServerWith(t, store.Postgres, with())
	b = startServerWith(t, store.Postgres, with("DATABASE_URL", a.env["DATABASE_URL"]))
	return a, b
}
