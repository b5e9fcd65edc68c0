package webhook

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/carequeue/carequeue/internal/store"
)

// orderWait bounds how long a delivery waits for the endpoint's earlier ones: past it, it goes anyway
// (a stuck worker elsewhere must not hold an endpoint's stream).
const orderWait = 5 * time.Second

// finishedJobs remembers the delivery jobs this process has finished working but River may not yet
// have marked completed (its completer writes in batches, a little later): an earlier delivery that is
// done must not hold later ones back until then.
type finishedJobs struct {
	mu   sync.Mutex
	done map[int64]time.Time
}

func (f *finishedJobs) add(id int64, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done == nil {
		f.done = map[int64]time.Time{}
	}
	for old, at := range f.done {
		if now.Sub(at) > time.Minute {
			delete(f.done, old)
		}
	}
	f.done[id] = now
}

func (f *finishedJobs) has(id int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.done[id]
	return ok
}

// waitForEarlier waits while a delivery to the same endpoint enqueued before this job (a lower River id:
// workflows on one queue commit in order under its lock) is running, so a receiver gets a ticket's
// check-in before its call. River fetches jobs in id order, marking them running as it does, so an
// earlier delivery is running whenever a later one is: waiting only for running ones cannot leave every
// worker waiting for a job none of them is free to fetch. Deliveries waiting for a retry do not hold
// later ones back: order is kept on the healthy path, and an endpoint that was down gets its backlog as
// it comes.
func waitForEarlier(ctx context.Context, db *store.DB, finished *finishedJobs, jobID int64, endpointID string) error {
	q := `SELECT id FROM river_job WHERE kind = $1 AND id < $2 AND state = 'running' AND args->>'endpoint_id' = $3`
	if db.Dialect == store.SQLite {
		q = `SELECT id FROM river_job WHERE kind = ? AND id < ? AND state = 'running' AND json_extract(args, '$.endpoint_id') = ?`
	}
	deadline := time.Now().Add(orderWait)
	for {
		pending, err := runningBefore(ctx, db, q, jobID, endpointID, finished)
		if err != nil {
			return err
		}
		if !pending || time.Now().After(deadline) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// runningBefore reports whether q finds a running earlier delivery that this process has not finished.
func runningBefore(ctx context.Context, db *store.DB, q string, jobID int64, endpointID string, finished *finishedJobs) (bool, error) {
	rows, err := db.SQL.QueryContext(ctx, q, DeliverArgs{}.Kind(), jobID, endpointID)
	if err != nil {
		return false, fmt.Errorf("looking for earlier webhook deliveries: %w", err)
	}
	defer rows.Close()
	pending := false
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return false, fmt.Errorf("looking for earlier webhook deliveries: %w", err)
		}
		if !finished.has(id) {
			pending = true
		}
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("looking for earlier webhook deliveries: %w", err)
	}
	return pending, nil
}
