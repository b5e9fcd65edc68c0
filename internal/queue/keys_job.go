package queue

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/carequeue/carequeue/internal/auth"
)

// MaintenanceQueue is the River queue of housekeeping jobs, apart from notifications and reports.
const MaintenanceQueue = "maintenance"

// PruneKeysEvery is how often expired idempotency keys are deleted. Expired keys are already ignored
// (replay forgets them), so this only bounds the table: about one window and one period of keys.
const PruneKeysEvery = time.Hour

// PruneKeysArgs is the periodic job that deletes idempotency keys older than KeyWindow.
type PruneKeysArgs struct{}

// Kind is stored in river_job.kind: never rename it.
func (PruneKeysArgs) Kind() string { return "idempotency_keys_prune" }

// InsertOpts: one prune per period even with several leaders in a row; a failed one waits for the next.
func (PruneKeysArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: MaintenanceQueue, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: PruneKeysEvery}}
}

// PruneKeysJob schedules the prune every PruneKeysEvery, and once at start.
func PruneKeysJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(PruneKeysEvery), func() (river.JobArgs, *river.InsertOpts) {
		return PruneKeysArgs{}, nil
	}, &river.PeriodicJobOpts{RunOnStart: true})
}

// PruneKeysWorker runs the prune with s.
type PruneKeysWorker struct {
	river.WorkerDefaults[PruneKeysArgs]
	s *Service
}

// NewPruneKeysWorker returns the worker.
func NewPruneKeysWorker(s *Service) *PruneKeysWorker { return &PruneKeysWorker{s: s} }

// Work deletes the expired keys.
func (w *PruneKeysWorker) Work(ctx context.Context, _ *river.Job[PruneKeysArgs]) error {
	n, err := w.s.PruneKeys(auth.SystemContext(ctx))
	if err == nil && n > 0 {
		w.s.log.InfoContext(ctx, "pruned expired idempotency keys", "deleted", n)
	}
	return err
}
