package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// subscribeWithApollo runs apollo.mjs, which drives Apollo Client's GraphQLWsLink and prints each
// result's data rather than the whole payload.
func (s *testServer) subscribeWithApollo(t *testing.T, token, query string, vars map[string]any, expect int) *nodeSubscriber {
	t.Helper()
	return s.runNodeClient(t, "apollo.mjs", "http://127.0.0.1", token, query, vars, expect)
}

// TestApolloClientSubscription subscribes through Apollo Client 4 over graphql-ws, the client stack the
// apps ship, so the server is proven against Apollo's link and cache and not only the bare protocol.
func TestApolloClientSubscription(t *testing.T) {
	t.Parallel()
	requireNode(t)
	s := startServer(t, store.SQLite)
	h := setupHospital(t, s)
	first := h.checkIn(t, s, h.triage, "First", "STANDARD")
	second := h.checkIn(t, s, h.triage, "Second", "STANDARD")

	t.Run("TicketWatcherMovesUpAfterCallNext", func(t *testing.T) {
		var data struct {
			TicketChanged struct {
				Position *int
				Version  int
				Ticket   struct{ Code, Status string }
			}
		}
		c := s.subscribeWithApollo(t, h.reception,
			`subscription($t:ID!){ ticketChanged(ticketID:$t){ position version ticket{ code status } } }`,
			map[string]any{"t": second.ID}, 2)
		c.next(t, &data)
		before := data.TicketChanged
		require.NotNil(t, before.Position)
		require.Equal(t, 2, *before.Position, "the current state comes first")
		require.Equal(t, "WAITING", before.Ticket.Status)
		require.Equal(t, second.Code, before.Ticket.Code)

		require.Equal(t, first.ID, h.callTriageNext(t, s).ID)

		c.next(t, &data)
		after := data.TicketChanged
		require.NotNil(t, after.Position)
		require.Equal(t, 1, *after.Position, "the watcher moved up")
		require.Equal(t, before.Version+1, after.Version)
		stderr, err := c.wait(t)
		require.NoError(t, err, stderr)
	})
}
