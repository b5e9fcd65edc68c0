package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// cancelArgs is a job kind whose worker always cancels it.
type cancelArgs struct{}

func (cancelArgs) Kind() string { return "test_cancel" }

// gather scrapes c and returns each sample as `name{label="value",…}` → value (a histogram gives its
// sample count under name_count).
func gather(t *testing.T, c prometheus.Collector) map[string]float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	require.NoError(t, reg.Register(c))
	families, err := reg.Gather()
	require.NoError(t, err)
	out := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			labels := make([]string, 0, len(m.GetLabel()))
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			sort.Strings(labels)
			key := f.GetName() + "{" + strings.Join(labels, ",") + "}"
			switch f.GetType() {
			case dto.MetricType_GAUGE:
				out[key] = m.GetGauge().GetValue()
			case dto.MetricType_COUNTER:
				out[key] = m.GetCounter().GetValue()
			case dto.MetricType_HISTOGRAM:
				out[strings.Replace(key, "{", "_count{", 1)] = float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return out
}

func insert(t *testing.T, db *store.DB, c *jobs.Client, args river.JobArgs, opts *river.InsertOpts) int64 {
	t.Helper()
	var id int64
	require.NoError(t, db.InTx(auth.SystemContext(t.Context()), func(ctx context.Context, tx *store.Tx) error {
		res, err := c.InsertTx(ctx, tx, args, opts)
		if err == nil {
			id = res.Job.ID
		}
		return err
	}))
	return id
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()

			t.Run("CountsPendingJobsByQueueAndState", func(t *testing.T) {
				t.Parallel()
				db := newMigratedDB(t, d)
				c := newClient(t, db, nil)
				m := jobs.NewMetrics(db)
				require.Equal(t, map[string]float64{}, gather(t, m), "no queue yet, no series")

				// A job scheduled in the past, which River's scheduler has made available since.
				late := insert(t, db, c, echoArgs{Name: "due 90 s ago"}, &river.InsertOpts{ScheduledAt: time.Now().Add(-90 * time.Second)})
				_, err := db.SQL.ExecContext(t.Context(), fmt.Sprintf("UPDATE river_job SET state = 'available' WHERE id = %d", late))
				require.NoError(t, err)
				insert(t, db, c, echoArgs{Name: "due now"}, nil)
				insert(t, db, c, echoArgs{Name: "later"}, &river.InsertOpts{ScheduledAt: time.Now().Add(time.Hour)})
				insert(t, db, c, echoArgs{Name: "other queue"}, &river.InsertOpts{Queue: "other"})
				_, err = db.SQL.ExecContext(t.Context(), "INSERT INTO river_queue (name, updated_at) VALUES ('idle', CURRENT_TIMESTAMP)")
				require.NoError(t, err)

				got := gather(t, m)
				age := got[`carequeue_jobs_oldest_available_age_seconds{queue="default"}`]
				require.InDelta(t, 90, age, 5, "the oldest available job's age")
				delete(got, `carequeue_jobs_oldest_available_age_seconds{queue="default"}`)
				require.InDelta(t, 0, got[`carequeue_jobs_oldest_available_age_seconds{queue="other"}`], 5)
				delete(got, `carequeue_jobs_oldest_available_age_seconds{queue="other"}`)
				require.Equal(t, map[string]float64{
					`carequeue_jobs{queue="default",state="available"}`:         2,
					`carequeue_jobs{queue="default",state="scheduled"}`:         1,
					`carequeue_jobs{queue="default",state="retryable"}`:         0,
					`carequeue_jobs{queue="default",state="running"}`:           0,
					`carequeue_jobs{queue="other",state="available"}`:           1,
					`carequeue_jobs{queue="other",state="scheduled"}`:           0,
					`carequeue_jobs{queue="other",state="retryable"}`:           0,
					`carequeue_jobs{queue="other",state="running"}`:             0,
					`carequeue_jobs{queue="idle",state="available"}`:            0,
					`carequeue_jobs{queue="idle",state="scheduled"}`:            0,
					`carequeue_jobs{queue="idle",state="retryable"}`:            0,
					`carequeue_jobs{queue="idle",state="running"}`:              0,
					`carequeue_jobs_oldest_available_age_seconds{queue="idle"}`: 0,
				}, got)
			})

			t.Run("ObservesTheAttemptsItsClientWorks", func(t *testing.T) {
				t.Parallel()
				db := newMigratedDB(t, d)
				e := newEcho()
				workers := e.workers()
				river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, job *river.Job[cancelArgs]) error {
					return river.JobCancel(errors.New("not today"))
				}))
				cfg := jobs.Options{
					Workers: workers,
					Queues:  map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
					Logger:  slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
				}
				if d == store.SQLite {
					cfg.FetchPollInterval = pollInterval
				}
				c, err := jobs.New(db, cfg)
				require.NoError(t, err)
				require.NoError(t, c.Start(t.Context()))
				m := jobs.NewMetrics(db)
				m.Observe(c)

				insert(t, db, c, echoArgs{Name: "a"}, nil)
				insert(t, db, c, echoArgs{Name: "b"}, nil)
				insert(t, db, c, cancelArgs{}, nil)
				want := map[string]float64{
					`carequeue_job_attempts_total{kind="test_echo",outcome="completed"}`:   2,
					`carequeue_job_attempts_total{kind="test_cancel",outcome="cancelled"}`: 1,
					`carequeue_job_queue_wait_seconds_count{kind="test_echo"}`:             2,
					`carequeue_job_run_seconds_count{kind="test_echo"}`:                    2,
					`carequeue_job_queue_wait_seconds_count{kind="test_cancel"}`:           1,
					`carequeue_job_run_seconds_count{kind="test_cancel"}`:                  1,
				}
				require.EventuallyWithT(t, func(c *assert.CollectT) {
					got := gather(t, m)
					for k, v := range want {
						if got[k] != v {
							c.Errorf("%s = %v, want %v", k, got[k], v)
						}
					}
				}, 10*time.Second, 50*time.Millisecond)

				stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				require.NoError(t, c.Stop(stop))
				got := gather(t, m)
				require.Equal(t, float64(0), got[`carequeue_jobs{queue="default",state="running"}`])
				require.Equal(t, float64(0), got[`carequeue_jobs{queue="default",state="available"}`])
				require.Contains(t, got, `carequeue_jobs{queue="default",state="available"}`, "the started client registered its queue")
			})
		})
	}
}
