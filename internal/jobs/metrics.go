package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/carequeue/carequeue/internal/store"
)

// ScrapeTimeout bounds the database reads of one scrape, below the /metrics handler's own timeout.
const ScrapeTimeout = 3 * time.Second

// Metrics reports River's work to Prometheus, as a prometheus.Collector:
//
//   - carequeue_jobs{queue,state}: jobs waiting or running, for the states available, scheduled,
//     retryable and running, read from river_job at scrape time (so it covers every process working the
//     database); every queue in river_queue reports each state, 0 when empty.
//   - carequeue_jobs_oldest_available_age_seconds{queue}: how long the oldest available job of the queue
//     has been due (0 when none is): a job that should run and does not is the first sign of stuck or
//     too few workers.
//   - carequeue_job_queue_wait_seconds{kind} and carequeue_job_run_seconds{kind}: histograms of how long
//     each attempt waited between becoming available and starting, and how long it ran.
//   - carequeue_job_attempts_total{kind,outcome}: attempts by outcome (completed; failed, to be retried;
//     discarded, failed for the last time; cancelled; snoozed).
//
// The last three only count the attempts of the processes that Observe their client.
type Metrics struct {
	db       *store.DB
	depth    *prometheus.Desc
	oldest   *prometheus.Desc
	wait     *prometheus.HistogramVec
	run      *prometheus.HistogramVec
	attempts *prometheus.CounterVec
}

// depthStates are the states a job is in before it is finalized, in the order reported.
var depthStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStateRetryable, rivertype.JobStateRunning,
}

// NewMetrics returns the job metrics of db's River tables.
func NewMetrics(db *store.DB) *Metrics {
	return &Metrics{
		db: db,
		depth: prometheus.NewDesc("carequeue_jobs",
			"Jobs not yet finalized in river_job, by queue and state (available, scheduled, retryable, running).",
			[]string{"queue", "state"}, nil),
		oldest: prometheus.NewDesc("carequeue_jobs_oldest_available_age_seconds",
			"Seconds since the oldest available job of the queue became due; 0 when none is available.",
			[]string{"queue"}, nil),
		wait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "carequeue_job_queue_wait_seconds",
			Help:    "Seconds a job attempt waited between becoming available and starting, by job kind.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600},
		}, []string{"kind"}),
		run: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "carequeue_job_run_seconds",
			Help:    "Seconds a job attempt ran in its worker, by job kind.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"kind"}),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "carequeue_job_attempts_total",
			Help: "Job attempts this process finished, by job kind and outcome (completed, failed, discarded, cancelled, snoozed).",
		}, []string{"kind", "outcome"}),
	}
}

// observedEvents are the events that end an attempt.
var observedEvents = []river.EventKind{
	river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled, river.EventKindJobSnoozed,
}

// Observe feeds the latency histograms and attempt counters from the attempts c works, until c stops.
// Call it once c has started; c must work jobs (Options.Queues), River panics otherwise.
func (m *Metrics) Observe(c *Client) {
	events, _ := c.river.Subscribe(observedEvents...)
	go func() {
		// River closes the channel when the client stops.
		for e := range events {
			m.observe(e)
		}
	}()
}

func (m *Metrics) observe(e *river.Event) {
	if e.Job == nil {
		return
	}
	outcome := string(e.Kind)
	switch e.Kind {
	case river.EventKindJobCompleted:
		outcome = "completed"
	case river.EventKindJobFailed:
		outcome = "failed"
		if e.Job.State == rivertype.JobStateDiscarded {
			outcome = "discarded"
		}
	case river.EventKindJobCancelled:
		outcome = "cancelled"
	case river.EventKindJobSnoozed:
		outcome = "snoozed"
	}
	m.attempts.WithLabelValues(e.Job.Kind, outcome).Inc()
	if s := e.JobStats; s != nil {
		m.wait.WithLabelValues(e.Job.Kind).Observe(s.QueueWaitDuration.Seconds())
		m.run.WithLabelValues(e.Job.Kind).Observe(s.RunDuration.Seconds())
	}
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.depth
	ch <- m.oldest
	m.wait.Describe(ch)
	m.run.Describe(ch)
	m.attempts.Describe(ch)
}

// Collect implements prometheus.Collector. A failed read reports an invalid metric (the scrape shows
// the error) and leaves the other series intact.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.wait.Collect(ch)
	m.run.Collect(ch)
	m.attempts.Collect(ch)
	ctx, cancel := context.WithTimeout(context.Background(), ScrapeTimeout)
	defer cancel()
	d, err := m.readDepth(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(m.depth, err)
		return
	}
	for queue, q := range d {
		for _, state := range depthStates {
			ch <- prometheus.MustNewConstMetric(m.depth, prometheus.GaugeValue, float64(q.count[state]), queue, string(state))
		}
		ch <- prometheus.MustNewConstMetric(m.oldest, prometheus.GaugeValue, q.oldest, queue)
	}
}

type queueDepth struct {
	count  map[rivertype.JobState]int64
	oldest float64 // seconds
}

// readDepth counts river_job by queue and state with the job table's (state, queue, …) index, and adds
// the queues of river_queue that have nothing pending.
func (m *Metrics) readDepth(ctx context.Context) (map[string]*queueDepth, error) {
	// The age is computed by the database, against the clock that stamped scheduled_at. SQLite stores
	// River's times as UTC text ("2006-01-02 15:04:05.000"), which julianday reads.
	age := "EXTRACT(EPOCH FROM (now() - MIN(scheduled_at)))::float8"
	if m.db.Dialect == store.SQLite {
		age = "(julianday('now') - julianday(MIN(scheduled_at))) * 86400.0"
	}
	rows, err := m.db.SQL.QueryContext(ctx, `SELECT queue, CAST(state AS TEXT), COUNT(*), `+age+`
		FROM river_job WHERE state IN ('available', 'scheduled', 'retryable', 'running')
		GROUP BY queue, state`)
	if err != nil {
		return nil, fmt.Errorf("counting jobs: %w", err)
	}
	defer rows.Close()
	out := map[string]*queueDepth{}
	get := func(queue string) *queueDepth {
		q := out[queue]
		if q == nil {
			q = &queueDepth{count: map[rivertype.JobState]int64{}}
			out[queue] = q
		}
		return q
	}
	for rows.Next() {
		var queue, state string
		var n int64
		var oldest *float64
		if err := rows.Scan(&queue, &state, &n, &oldest); err != nil {
			return nil, fmt.Errorf("counting jobs: %w", err)
		}
		q := get(queue)
		q.count[rivertype.JobState(state)] = n
		if rivertype.JobState(state) == rivertype.JobStateAvailable && oldest != nil {
			q.oldest = max(*oldest, 0)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("counting jobs: %w", err)
	}
	rows, err = m.db.SQL.QueryContext(ctx, "SELECT name FROM river_queue")
	if err != nil {
		return nil, fmt.Errorf("listing job queues: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var queue string
		if err := rows.Scan(&queue); err != nil {
			return nil, fmt.Errorf("listing job queues: %w", err)
		}
		get(queue)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing job queues: %w", err)
	}
	return out, nil
}

var _ prometheus.Collector = (*Metrics)(nil)
