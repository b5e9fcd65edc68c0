package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/facility"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

// echoArgs is the test job kind: its worker records each run.
type echoArgs struct {
	Name string `json:"name"`
}

func (echoArgs) Kind() string { return "test_echo" }

// echo counts and timestamps the runs of test_echo jobs.
type echo struct {
	runs atomic.Int32
	ran  chan time.Time
}

func newEcho() *echo { return &echo{ran: make(chan time.Time, 16)} }

func (e *echo) workers() *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, job *river.Job[echoArgs]) error {
		e.runs.Add(1)
		e.ran <- time.Now()
		return nil
	}))
	return w
}

// pollInterval is the tests' FetchPollInterval on SQLite, its only way to learn of a new job. PostgreSQL
// keeps River's default (1 s) so that the measured latency is LISTEN/NOTIFY's, not polling's.
const pollInterval = 50 * time.Millisecond

func newMigratedDB(t *testing.T, d store.Dialect) *store.DB {
	t.Helper()
	db := storetest.NewMigratedDB(t, d, migrations.FS)
	require.NoError(t, jobs.Migrate(t.Context(), db))
	return db
}

// newClient returns a client stopped when the test ends; with e it works the default queue.
func newClient(t *testing.T, db *store.DB, e *echo) *jobs.Client {
	t.Helper()
	// River's warnings (a locked SQLite database, a lost listener) show with the failing test.
	cfg := jobs.Options{Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if e != nil {
		cfg.Workers = e.workers()
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}}
		if db.Dialect == store.SQLite {
			cfg.FetchPollInterval = pollInterval
		}
	}
	c, err := jobs.New(db, cfg)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, c.Stop(ctx))
	})
	if e != nil {
		require.NoError(t, c.Start(t.Context()))
	}
	return c
}

func countJobs(t *testing.T, db *store.DB, state string) int {
	t.Helper()
	var n int
	q := "SELECT COUNT(*) FROM river_job WHERE kind = 'test_echo'"
	if state != "" {
		q += " AND state = '" + state + "'"
	}
	require.NoError(t, db.SQL.QueryRowContext(t.Context(), q).Scan(&n))
	return n
}

func countFacilities(t *testing.T, db *store.DB, name string) int {
	t.Helper()
	n, err := db.Ent.Facility.Query().Where(facility.Name(name)).Count(auth.SystemContext(t.Context()))
	require.NoError(t, err)
	return n
}

// createAndEnqueue writes a Facility and enqueues a test_echo job in one transaction, which fails with
// fail when it is not nil.
func createAndEnqueue(t *testing.T, db *store.DB, c *jobs.Client, name string, fail error) error {
	t.Helper()
	return db.InTx(auth.SystemContext(t.Context()), func(ctx context.Context, tx *store.Tx) error {
		testfactory.Facility(ctx, t, tx.Client, &testfactory.FacilityOpts{Name: name})
		if _, err := c.InsertTx(ctx, tx, echoArgs{Name: name}, nil); err != nil {
			return err
		}
		return fail
	})
}

// waitCompleted waits until every test_echo job has completed, so a second run would have shown.
func waitCompleted(t *testing.T, db *store.DB, want int) {
	t.Helper()
	require.Eventually(t, func() bool { return countJobs(t, db, "completed") == want },
		10*time.Second, 20*time.Millisecond)
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			t.Run("CreatesRiverTablesAndIsIdempotent", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewMigratedDB(t, d, migrations.FS)
				require.NoError(t, jobs.Migrate(t.Context(), db))
				require.NoError(t, jobs.Migrate(t.Context(), db))
				require.Equal(t, 0, countJobs(t, db, ""))
			})
			t.Run("LeavesAtlasWithNothingToDo", func(t *testing.T) {
				t.Parallel()
				db := newMigratedDB(t, d)
				dir, err := store.MigrationsFor(migrations.FS, d)
				require.NoError(t, err)
				applied, err := store.Migrate(t.Context(), db, dir)
				require.NoError(t, err)
				require.Empty(t, applied)
			})
			t.Run("RefusesBeforeSchemaMigrations", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewDB(t, d)
				err := jobs.Migrate(t.Context(), db)
				require.ErrorContains(t, err, "apply the schema migrations first")
			})
		})
	}
}

// TestInsertTx proves the contract the notification rules rely on: a job inserted with InsertTx lives
// and dies with the ent writes of the same transaction.
func TestInsertTx(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			t.Run("RollbackDropsBothJobAndRow", func(t *testing.T) {
				t.Parallel()
				db := newMigratedDB(t, d)
				e := newEcho()
				c := newClient(t, db, e)
				boom := errors.New("workflow failed")
				err := createAndEnqueue(t, db, c, "Rolled Back", boom)
				require.ErrorIs(t, err, boom)
				require.Equal(t, 0, countFacilities(t, db, "Rolled Back"))
				require.Equal(t, 0, countJobs(t, db, ""))
				time.Sleep(3 * pollInterval) // a worker that could see a job would have run it by now
				require.Zero(t, e.runs.Load())
			})
			t.Run("CommitRunsJobOnceAfterCommit", func(t *testing.T) {
				t.Parallel()
				db := newMigratedDB(t, d)
				e := newEcho()
				c := newClient(t, db, e)
				// Spaced commits, clear of the start-up fetch and of River's 100 ms fetch cooldown, so
				// the latencies logged are those of a steady worker.
				const commits = 5
				latencies := make([]time.Duration, 0, commits)
				for i := range commits {
					time.Sleep(150 * time.Millisecond)
					name := fmt.Sprintf("Committed %d", i)
					require.NoError(t, createAndEnqueue(t, db, c, name, nil))
					committed := time.Now()
					select {
					case ran := <-e.ran:
						latencies = append(latencies, ran.Sub(committed).Round(100*time.Microsecond))
					case <-time.After(10 * time.Second):
						t.Fatal("the committed job did not run within 10 s")
					}
					require.Equal(t, 1, countFacilities(t, db, name))
				}
				t.Logf("%s: commit-to-run latencies %v", d, latencies)
				waitCompleted(t, db, commits)
				require.EqualValues(t, commits, e.runs.Load())
			})
			t.Run("CommittedJobRunsOnceOnANewWorker", func(t *testing.T) {
				t.Parallel()
				db := newMigratedDB(t, d)
				inserter := newClient(t, db, nil) // a process that commits, then dies before any worker runs
				require.NoError(t, createAndEnqueue(t, db, inserter, "Crashed", nil))
				require.Equal(t, 1, countJobs(t, db, "available"))

				e := newEcho()
				newClient(t, db, e)
				select {
				case <-e.ran:
				case <-time.After(10 * time.Second):
					t.Fatal("the new worker did not run the committed job within 10 s")
				}
				waitCompleted(t, db, 1)
				require.EqualValues(t, 1, e.runs.Load())
			})
		})
	}
}
