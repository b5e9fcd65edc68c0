package main

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store/storetest"
)

// TestIdleSubscribersHoldOneGoroutineEach: a graphql-transport-ws connection watching its own ticket
// (a distinct subscription: a group of one) holds one goroutine while idle, its reader; gqlgen's
// transport held three (the reader, a context watcher, the subscription's wait). The watchers still
// get the next change. Not parallel: it counts the process's goroutines, so no other test may run.
func TestIdleSubscribersHoldOneGoroutineEach(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			s := startServerWith(t, d, map[string]string{"WS_MAX_SOCKETS_PER_USER": "100"})
			h := setupHospital(t, s)
			const n = 30
			const doc = `subscription($t:ID!){ ticketChanged(ticketID:$t){ version ticket{ code status } } }`
			tickets := make([]node, n+1)
			for i := range tickets {
				tickets[i] = h.checkIn(t, s, h.triage, fmt.Sprintf("Idle%d", i), "STANDARD")
			}
			// One watcher first: the queue's topic and the broker's subscription exist from then on.
			first := s.subscribe(t, h.reception, doc, map[string]any{"t": tickets[0].ID})
			require.Equal(t, "next", s.read(t, first).Type)
			// The count once it holds still for half a second: writers that just sent and the jobs the
			// check-ins queued end first.
			settle := func() int {
				n, still := runtime.NumGoroutine(), 0
				for deadline := time.Now().Add(10 * time.Second); still < 5 && time.Now().Before(deadline); {
					time.Sleep(100 * time.Millisecond)
					if m := runtime.NumGoroutine(); m == n {
						still++
					} else {
						n, still = m, 0
					}
				}
				return n
			}
			before := settle()
			watchers := make([]*websocket.Conn, n)
			for i := range watchers {
				watchers[i] = s.subscribe(t, h.reception, doc, map[string]any{"t": tickets[i+1].ID})
				require.Equal(t, "next", s.read(t, watchers[i]).Type)
			}
			// The client side adds none: gorilla's client reads only when asked.
			perWatcher := float64(settle()-before) / n
			t.Logf("goroutines per idle subscriber: %.2f", perWatcher)
			require.Less(t, perWatcher, 1.5, "an idle subscriber holds its reader only")

			h.callTriageNext(t, s) // the queue changes: every watcher gets its ticket's new version
			for i, c := range watchers {
				m := s.read(t, c)
				require.Equal(t, "next", m.Type, "watcher %d", i)
			}
		})
	}
}
