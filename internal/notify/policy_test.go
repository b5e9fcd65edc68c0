package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

var _ river.ClientRetryPolicy = notify.RetryPolicy{}

func TestRetryPolicy(t *testing.T) {
	t.Parallel()
	t.Run("DoublesFromBaseUpToMax", func(t *testing.T) {
		t.Parallel()
		p := notify.RetryPolicy{Base: 10 * time.Second, Max: 3 * time.Minute}
		for _, tc := range []struct {
			failures int
			want     time.Duration
		}{
			{1, 10 * time.Second},
			{2, 20 * time.Second},
			{3, 40 * time.Second},
			{4, 80 * time.Second},
			{5, 160 * time.Second},
			{6, 3 * time.Minute},
			{100, 3 * time.Minute}, // no overflow however many failures
		} {
			require.Equal(t, tc.want, p.Delay(tc.failures, 0), "failures=%d", tc.failures)
		}
	})
	t.Run("DefaultsRideOutAMinuteLongOutage", func(t *testing.T) {
		t.Parallel()
		// The last attempt comes after every earlier delay, jitter (at most -10 %) included.
		var before time.Duration
		for failures := 1; failures < notify.MaxAttempts; failures++ {
			before += notify.RetryPolicy{}.Delay(failures, 0) * 9 / 10
		}
		require.Greater(t, before, time.Minute)
	})
	t.Run("ZeroValueUsesDefaults", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, notify.DefaultRetryBase, notify.RetryPolicy{}.Delay(1, 0))
		require.Equal(t, notify.DefaultRetryMax, notify.RetryPolicy{}.Delay(50, 0))
	})
	t.Run("JitterShortensByAtMostTenPercent", func(t *testing.T) {
		t.Parallel()
		p := notify.RetryPolicy{Base: 100 * time.Second}
		for _, tc := range []struct {
			jobID int64
			want  time.Duration
		}{
			{0, 100 * time.Second},
			{1, 99 * time.Second},
			{10, 90 * time.Second},
			{11, 100 * time.Second},
			{-3, 97 * time.Second},
		} {
			require.Equal(t, tc.want, p.Delay(1, tc.jobID), "jobID=%d", tc.jobID)
		}
	})
	t.Run("CountsRecordedErrorsNotAttempts", func(t *testing.T) {
		t.Parallel()
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		p := notify.RetryPolicy{Now: func() time.Time { return now }}
		job := &rivertype.JobRow{Attempt: 4, Errors: make([]rivertype.AttemptError, 2)} // one snooze
		require.Equal(t, now.Add(40*time.Second), p.NextRetry(job))
	})
}

func TestInsertOpts(t *testing.T) {
	t.Parallel()
	t.Run("EveryKindOnItsQueueUniqueByArgs", func(t *testing.T) {
		t.Parallel()
		for kind, o := range map[string]river.InsertOpts{notify.Queue: notify.TicketMessageArgs{}.InsertOpts(), notify.AheadQueue: notify.QueueAheadArgs{}.InsertOpts()} {
			// The ahead passes have their own queue: no burst of them delays a message.
			require.Equal(t, kind, o.Queue)
			require.Equal(t, notify.MaxAttempts, o.MaxAttempts)
			require.True(t, o.UniqueOpts.ByArgs)
			require.Subset(t, o.UniqueOpts.ByState, rivertype.UniqueOptsByStateDefault(), "River requires its default states")
			require.Contains(t, o.UniqueOpts.ByState, rivertype.JobStateCancelled)
		}
	})
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			called := func(version int) notify.TicketMessageArgs {
				return notify.TicketMessageArgs{TicketID: "TK1", MessageKind: notify.Called, Version: version}
			}
			t.Run("SameEventTwiceQueuesOneJob", func(t *testing.T) {
				t.Parallel()
				db, c := newJobsDB(t, d)
				first := enqueue(t, db, c, called(1), called(1))
				again := enqueue(t, db, c, called(1))
				require.False(t, first[0].UniqueSkippedAsDuplicate)
				require.True(t, first[1].UniqueSkippedAsDuplicate)
				require.True(t, again[0].UniqueSkippedAsDuplicate)
				require.Equal(t, first[0].Job.ID, again[0].Job.ID)
				require.Equal(t, 1, messageJobs(t, db))
			})
			t.Run("LaterEventQueuesAnotherJob", func(t *testing.T) {
				t.Parallel()
				db, c := newJobsDB(t, d)
				enqueue(t, db, c, called(1), called(2))
				require.Equal(t, 2, messageJobs(t, db))
			})
			t.Run("CancelledJobIsNotQueuedAgain", func(t *testing.T) {
				t.Parallel()
				db, c := newJobsDB(t, d)
				res := enqueue(t, db, c, called(1))
				_, err := c.River().JobCancel(t.Context(), res[0].Job.ID)
				require.NoError(t, err)
				again := enqueue(t, db, c, called(1))
				require.True(t, again[0].UniqueSkippedAsDuplicate)
				require.Equal(t, 1, messageJobs(t, db))
			})
		})
	}
}

// newJobsDB returns a migrated database with River's tables and an insert-only client on it.
func newJobsDB(t *testing.T, d store.Dialect) (*store.DB, *jobs.Client) {
	t.Helper()
	db := storetest.NewMigratedDB(t, d, migrations.FS)
	require.NoError(t, jobs.Migrate(t.Context(), db))
	c, err := jobs.New(db, jobs.Options{})
	require.NoError(t, err)
	return db, c
}

func enqueue(t *testing.T, db *store.DB, c *jobs.Client, args ...river.JobArgs) []*rivertype.JobInsertResult {
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

func messageJobs(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	require.NoError(t, db.SQL.QueryRowContext(t.Context(),
		"SELECT COUNT(*) FROM river_job WHERE kind = 'notify_ticket_message' AND queue = 'notify' AND max_attempts = 5").Scan(&n))
	return n
}

// policyArgs is a job kind on the notify queue whose worker follows the notification kinds' policy.
type policyArgs struct {
	EventID string `json:"event_id"`
}

func (policyArgs) Kind() string { return "test_notify_policy" }
func (policyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: notify.Queue, MaxAttempts: notify.MaxAttempts}
}

// policyWorker fails (or, for a stale message, cancels) and schedules retries with RetryPolicy.
type policyWorker struct {
	river.WorkerDefaults[policyArgs]
	stale bool
	done  chan struct{}
}

var errProvider = errors.New("provider unavailable")

func (w *policyWorker) NextRetry(job *river.Job[policyArgs]) time.Time {
	return notify.RetryPolicy{Base: time.Hour, Max: 2 * time.Hour}.NextRetry(job.JobRow)
}

func (w *policyWorker) Work(ctx context.Context, job *river.Job[policyArgs]) error {
	defer func() { w.done <- struct{}{} }()
	if w.stale {
		return river.JobCancel(notify.ErrStale)
	}
	return errProvider
}

func TestWorkerPolicy(t *testing.T) {
	t.Parallel()
	// run works one job with a policyWorker and returns the client and the job's id once it ran.
	run := func(t *testing.T, d store.Dialect, stale bool) (*jobs.Client, int64) {
		db, _ := newJobsDB(t, d)
		w := &policyWorker{stale: stale, done: make(chan struct{}, 1)}
		workers := river.NewWorkers()
		river.AddWorker(workers, w)
		c, err := jobs.New(db, jobs.Options{
			Workers:           workers,
			Queues:            map[string]river.QueueConfig{notify.Queue: {MaxWorkers: 1}},
			FetchPollInterval: 50 * time.Millisecond,
		})
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, c.Stop(context.Background())) })
		require.NoError(t, c.Start(t.Context()))
		res := enqueue(t, db, c, policyArgs{EventID: "E1"})
		select {
		case <-w.done:
		case <-time.After(10 * time.Second):
			t.Fatal("the job did not run within 10 s")
		}
		return c, res[0].Job.ID
	}
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			t.Run("FailedJobRetriesAfterPolicyDelay", func(t *testing.T) {
				t.Parallel()
				start := time.Now()
				c, id := run(t, d, false)
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
			t.Run("StaleMessageIsCancelledNotRetried", func(t *testing.T) {
				t.Parallel()
				c, id := run(t, d, true)
				require.Eventually(t, func() bool {
					job, err := c.River().JobGet(t.Context(), id)
					require.NoError(t, err)
					return job.State == rivertype.JobStateCancelled
				}, 10*time.Second, 20*time.Millisecond)
			})
		})
	}
}
