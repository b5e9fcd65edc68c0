package server_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/server"
)

// stackedSchema records the stack its operations start on.
type stackedSchema struct {
	graphql.ExecutableSchema
	stacks chan string
}

func (s stackedSchema) Exec(ctx context.Context) graphql.ResponseHandler {
	s.stacks <- stackNow()
	return s.ExecutableSchema.Exec(ctx)
}

func stackNow() string {
	b := make([]byte, 16<<10)
	return string(b[:runtime.Stack(b, false)])
}

// TestLeanConnectionCallsDeepOffItsReader: a graphql-transport-ws connection's reading goroutine is
// what an idle subscriber keeps, and it keeps the stack its deepest call grew. Signing in and starting
// an operation run on a worker instead, and the connection still answers in order: ack, the
// subscription's first event, a pong, a refusal of a duplicate id.
func TestLeanConnectionCallsDeepOffItsReader(t *testing.T) {
	t.Parallel()
	signIns, ops := make(chan string, 4), make(chan string, 4)
	c, _, err := dialWS(t, server.Config{}, "", "graphql-transport-ws", func(d *server.Deps) {
		d.Viewer = func(ctx context.Context, token string) (auth.Viewer, error) {
			signIns <- stackNow()
			return stubViewer(ctx, token)
		}
		d.Schema = stackedSchema{ExecutableSchema: d.Schema, stacks: ops}
	})
	require.NoError(t, err)

	send(t, c, initMsg("Bearer admin-token"))
	_, err = readUntil(t, c, "connection_ack")
	require.NoError(t, err)
	send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: mustJSON(map[string]any{"query": "subscription { tick }"})})
	m, err := readUntil(t, c, "next")
	require.NoError(t, err)
	require.JSONEq(t, `{"data":{"tick":"ADMIN"}}`, string(m.Payload))
	send(t, c, wsMessage{Type: "ping"})
	_, err = readUntil(t, c, "pong")
	require.NoError(t, err)

	for what, stack := range map[string]string{"signing in": <-signIns, "starting the operation": <-ops} {
		require.Contains(t, stack, "(*workers).work", "%s did not run on a worker:\n%s", what, stack)
		require.NotContains(t, stack, "(*leanConn).run(", "%s ran on the connection's reader:\n%s", what, stack)
		require.NotContains(t, stack, "(*leanConn).serve(", "%s ran on the connection's reader:\n%s", what, stack)
	}

	// The connection's limits still apply to what the reader read: a second subscribe with a running
	// id closes the connection (4409).
	send(t, c, wsMessage{ID: "1", Type: "subscribe", Payload: mustJSON(map[string]any{"query": "subscription { tick }"})})
	_, err = readUntil(t, c, "next")
	require.Equal(t, 4409, closeCode(err), "%v", err)
}
