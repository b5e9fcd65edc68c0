package webhook

import (
	"context"
	"fmt"
	"time"

	"github.com/carequeue/carequeue/internal/store"
)

// orderWait bounds how long a delivery waits for the endpoint's earlier ones: past it, it goes anyway
// (a stuck worker elsewhere must not hold an endpoint's stream).
const orderWait = 5 * time.Second

// waitForEarlier waits while a delivery to the same endpoint enqueued before this job (a lower River id:
// workflows on one queue commit in order under its lock) is waiting to run or running, so a receiver
// gets a ticket's check-in before its call. Deliveries waiting for a retry do not hold later ones back:
// order is kept on the healthy path, and an endpoint that was down gets its backlog as it comes.
func waitForEarlier(ctx context.Context, db *store.DB, jobID int64, endpointID string) error {
	q := `SELECT COUNT(*) FROM river_job WHERE kind = $1 AND id < $2 AND state IN ('available', 'running') AND args->>'endpoint_id' = $3`
	if db.Dialect == store.SQLite {
		q = `SELECT COUNT(*) FROM river_job WHERE kind = ? AND id < ? AND state IN ('available', 'running') AND json_extract(args, '$.endpoint_id') = ?`
	}
	deadline := time.Now().Add(orderWait)
	for {
		var n int
		if err := db.SQL.QueryRowContext(ctx, q, DeliverArgs{}.Kind(), jobID, endpointID).Scan(&n); err != nil {
			return fmt.Errorf("looking for earlier webhook deliveries: %w", err)
		}
		if n == 0 || time.Now().After(deadline) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
