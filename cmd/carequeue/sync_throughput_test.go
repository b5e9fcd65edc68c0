package main

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestSyncThroughput measures syncPush on a 1,000-operation batch through the real handler, with the
// default request deadline: 1,000 check-ins of new patients (each a workflow transaction with its
// patient, ticket, event, audit entry and jobs), then the same batch again (1,000 replays of stored
// keys). It is a measurement, not a gate: it runs only when CAREQUEUE_SYNC_THROUGHPUT is set and
// prints operations per second (docs/BENCHMARKS.md). Operations the deadline leaves NOT_REACHED are
// counted and sent again, as a client does.
func TestSyncThroughput(t *testing.T) {
	if os.Getenv("CAREQUEUE_SYNC_THROUGHPUT") == "" {
		t.Skip("set CAREQUEUE_SYNC_THROUGHPUT=1 to measure")
	}
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		ops := make([]map[string]any, 1000)
		for i := range ops {
			ops[i] = op(i+1, "CHECK_IN", fmt.Sprintf("bench-%04d", i), map[string]any{"checkIn": map[string]any{"queueID": h.lab,
				"patient": map[string]any{"givenName": fmt.Sprintf("P%04d", i), "familyName": "Bench", "facilityID": h.facility}}})
		}
		const lean = `mutation($ops:[SyncOperationInput!]!){ syncPush(operations:$ops){ sequence status ticket{ id } error{ code reason } } }`
		run := func(name string) {
			pending, requests, start := ops, 0, time.Now()
			for len(pending) > 0 {
				var res []syncResult
				s.ok(t, h.reception, lean, map[string]any{"ops": pending}, "syncPush", &res)
				requests++
				var rest []map[string]any
				for i, r := range res {
					switch r.Status {
					case "APPLIED":
					case "SKIPPED":
						rest = append(rest, pending[i])
					default:
						t.Fatalf("%s: operation %d: %+v", name, r.Sequence, r.Error)
					}
				}
				for i := range rest { // a new batch numbers its operations from 1 again
					rest[i] = cloneWithSequence(rest[i], i+1)
				}
				pending = rest
				require.Less(t, requests, 20)
			}
			took := time.Since(start)
			t.Logf("%s %s: 1000 operations in %v over %d request(s): %.0f ops/s", d, name, took.Round(time.Millisecond), requests, 1000/took.Seconds())
		}
		run("first push (1000 check-ins)")
		run("replay (1000 stored keys)")
		var total struct{ TotalCount int }
		s.ok(t, h.admin, `query($q:ID!){ tickets(first:1, where:{hasQueueWith:{id:$q}}){ totalCount } }`, map[string]any{"q": h.lab}, "tickets", &total)
		require.Equal(t, 1000, total.TotalCount, "each check-in once")
	})
}

func cloneWithSequence(m map[string]any, seq int) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	c["sequence"] = seq
	return c
}
