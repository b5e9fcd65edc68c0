package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// notifyArgs follows the package's pattern for notification kinds.
type notifyArgs struct {
	EventID string `json:"event_id"`
}

func (notifyArgs) Kind() string                 { return "test_notify" }
func (notifyArgs) InsertOpts() river.InsertOpts { return jobs.NotifyInsertOpts() }

func enqueueNotify(t *testing.T, db *store.DB, c *jobs.Client, args ...notifyArgs) []*rivertype.JobInsertResult {
	t.Helper()
	var out []*rivertype.JobInsertResult
	require.NoError(t, db.InTx(t.Context(), func(ctx context.Context, tx *store.Tx) error {
		for _, a := range args {
			res, err := c.InsertTx(ctx, tx, a, nil)
			if err != nil {
				return err
			}
			out = append(out, res)
		}
		return nil
	}))
	return out
}

func notifyJobs(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	require.NoError(t, db.SQL.QueryRowContext(t.Context(),
		"SELECT COUNT(*) FROM river_job WHERE kind = 'test_notify' AND queue = 'notify' AND max_attempts = 5").Scan(&n))
	return n
}

func TestNotifyInsertOpts(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			t.Run("SameArgsTwiceQueueOneJob", func(t *testing.T) {
				t.Parallel()
				db := newMigratedDB(t, d)
				c := newClient(t, db, nil)
				first := enqueueNotify(t, db, c, notifyArgs{EventID: "E1"}, notifyArgs{EventID: "E1"})
				again := enqueueNotify(t, db, c, notifyArgs{EventID: "E1"})
				require.False(t, first[0].UniqueSkippedAsDuplicate)
				require.True(t, first[1].UniqueSkippedAsDuplicate)
				require.True(t, again[0].UniqueSkippedAsDuplicate)
				require.Equal(t, first[0].Job.ID, again[0].Job.ID)
				require.Equal(t, 1, notifyJobs(t, db))
			})
			t.Run("OtherArgsQueueAnotherJob", func(t *testing.T) {
				t.Parallel()
				db := newMigratedDB(t, d)
				c := newClient(t, db, nil)
				enqueueNotify(t, db, c, notifyArgs{EventID: "E1"}, notifyArgs{EventID: "E2"})
				require.Equal(t, 2, notifyJobs(t, db))
			})
			t.Run("CancelledJobIsNotQueuedAgain", func(t *testing.T) {
				t.Parallel()
				db := newMigratedDB(t, d)
				c := newClient(t, db, nil)
				res := enqueueNotify(t, db, c, notifyArgs{EventID: "E1"})
				_, err := c.River().JobCancel(t.Context(), res[0].Job.ID)
				require.NoError(t, err)
				again := enqueueNotify(t, db, c, notifyArgs{EventID: "E1"})
				require.True(t, again[0].UniqueSkippedAsDuplicate)
				require.Equal(t, 1, notifyJobs(t, db))
			})
		})
	}
}

// notifyWorker fails (or, for a stale job, cancels) and schedules retries with NotifyRetryPolicy.
type notifyWorker struct {
	river.WorkerDefaults[notifyArgs]
	maxAge time.Duration
	done   chan struct{}
}

var errProvider = errors.New("provider unavailable")

func (w *notifyWorker) NextRetry(job *river.Job[notifyArgs]) time.Time {
	return jobs.NotifyRetryPolicy{Base: time.Hour, Max: 2 * time.Hour}.NextRetry(job.JobRow)
}

func (w *notifyWorker) Work(ctx context.Context, job *river.Job[notifyArgs]) error {
	defer func() { w.done <- struct{}{} }()
	if jobs.Stale(job.JobRow, w.maxAge) {
		return river.JobCancel(jobs.ErrStale)
	}
	return errProvider
}

func TestNotifyWorkerPolicy(t *testing.T) {
	t.Parallel()
	run := func(t *testing.T, d store.Dialect, maxAge time.Duration) (*store.DB, int64) {
		db := newMigratedDB(t, d)
		w := &notifyWorker{maxAge: maxAge, done: make(chan struct{}, 1)}
		workers := river.NewWorkers()
		river.AddWorker(workers, w)
		c, err := jobs.New(db, jobs.Options{
			Workers:           workers,
			Queues:            map[string]river.QueueConfig{jobs.NotifyQueue: {MaxWorkers: 1}},
			FetchPollInterval: pollInterval,
		})
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, c.Stop(context.Background())) })
		require.NoError(t, c.Start(t.Context()))
		res := enqueueNotify(t, db, c, notifyArgs{EventID: "E1"})
		select {
		case <-w.done:
		case <-time.After(10 * time.Second):
			t.Fatal("the job did not run within 10 s")
		}
		return db, res[0].Job.ID
	}
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			t.Run("FailedJobRetriesAfterPolicyDelay", func(t *testing.T) {
				t.Parallel()
				start := time.Now()
				db, id := run(t, d, 0)
				c := newClient(t, db, nil)
				var job *rivertype.JobRow
				require.Eventually(t, func() bool {
					var err error
					job, err = c.River().JobGet(t.Context(), id)
					require.NoError(t, err)
					return job.State == rivertype.JobStateRetryable
				}, 10*time.Second, 20*time.Millisecond)
				wait := job.ScheduledAt.Sub(start)
				require.Greater(t, wait, 53*time.Minute, "jitter takes at most 10% off Base")
				require.Less(t, wait, time.Hour+time.Minute)
			})
			t.Run("StaleJobIsCancelledNotRetried", func(t *testing.T) {
				t.Parallel()
				db, id := run(t, d, time.Nanosecond)
				c := newClient(t, db, nil)
				require.Eventually(t, func() bool {
					job, err := c.River().JobGet(t.Context(), id)
					require.NoError(t, err)
					return job.State == rivertype.JobStateCancelled
				}, 10*time.Second, 20*time.Millisecond)
			})
		})
	}
}
