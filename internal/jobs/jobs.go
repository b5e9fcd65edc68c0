// Package jobs owns CareQueue's background work on River: creating River's tables with River's own
// migrator, and a Client whose job inserts join the very *sql.Tx of a workflow's ent writes (so a
// rolled-back change enqueues nothing and a committed one always has its job, even if the process dies
// right after commit). On PostgreSQL River runs through riverdatabasesql on the *sql.DB ent uses, with a
// pgx listener for LISTEN/NOTIFY; on SQLite through riversqlite, which polls.
//
// It knows no job kind. A kind lives in the package that owns its work, one file per kind holding its
// args, its worker and its policy (internal/notify/job_ticket_message.go is the model): a small args
// struct holding ids, never personal data, with a stable Kind() (it is stored in river_job.kind, so
// renaming it strands queued jobs) and InsertOpts() naming its queue, its attempt cap and its
// uniqueness; a worker whose NextRetry overrides River's backoff where River's (weeks) does not suit:
//
//	type TicketMessageArgs struct {
//		TicketID    string `json:"ticket_id"`
//		MessageKind Kind   `json:"kind"`
//		Version     int    `json:"version"` // the queue version of the change: one job per event
//	}
//	func (TicketMessageArgs) Kind() string                 { return "notify_ticket_message" }
//	func (TicketMessageArgs) InsertOpts() river.InsertOpts { return insertOpts() } // notify's queue, 5 attempts, unique by args
//
//	func (w *TicketMessageWorker) NextRetry(job *river.Job[TicketMessageArgs]) time.Time {
//		return w.deps.opts.Retry.NextRetry(job.JobRow) // a notify.RetryPolicy: minutes, not weeks
//	}
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"go.opentelemetry.io/otel/trace"

	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/telemetry"
)

// Defaults that replace River's, which suit batch work rather than patients waiting in a room.
const (
	// DefaultJobTimeout bounds one attempt; provider calls are seconds, not minutes.
	DefaultJobTimeout = 30 * time.Second
	// DefaultRescueStuckJobsAfter is how long a job left running by a crashed worker waits before it is
	// retried (River's default is one hour).
	DefaultRescueStuckJobsAfter = 2 * time.Minute
)

// Options configure a Client; the zero value is an insert-only client with River's defaults replaced
// by this package's.
type Options struct {
	// Workers registers the job kinds this process can run. May be nil on an insert-only client.
	Workers *river.Workers
	// Queues to work, by name (e.g. notify.Queue). Nil makes an insert-only client: it never fetches
	// jobs and Start refuses to run.
	Queues map[string]river.QueueConfig
	// Logger defaults to discarding.
	Logger *slog.Logger
	// PeriodicJobs are enqueued by the elected leader only.
	PeriodicJobs []*river.PeriodicJob
	// FetchPollInterval is how often queues are polled for jobs; River's default (1 s) when zero. It is
	// the commit-to-run latency on SQLite, which has no LISTEN/NOTIFY; on PostgreSQL only a fallback.
	FetchPollInterval time.Duration
	// RetryPolicy applies to jobs whose worker does not choose (a worker's NextRetry wins). River's
	// default (attempt⁴ seconds) when nil.
	RetryPolicy river.ClientRetryPolicy
	// JobTimeout and RescueStuckJobsAfter default to DefaultJobTimeout and DefaultRescueStuckJobsAfter.
	JobTimeout           time.Duration
	RescueStuckJobsAfter time.Duration
	// Tracer, when it exports (internal/telemetry), stamps inserted jobs with their inserter's trace
	// and gives each attempt a span; nil traces nothing.
	Tracer trace.TracerProvider
}

// Client enqueues jobs inside store transactions and, when given queues, works them.
type Client struct {
	river *river.Client[*sql.Tx]
}

// riverDriver picks the River driver for db's dialect. listen asks for LISTEN/NOTIFY on PostgreSQL; it
// hijacks one pool connection per started client, so migrations and insert-only use go without.
func riverDriver(db *store.DB, listen bool) (riverdriver.Driver[*sql.Tx], error) {
	switch db.Dialect {
	case store.Postgres:
		if listen && db.Pool != nil {
			return riverdatabasesql.NewWithPgxListener(db.SQL, db.Pool), nil
		}
		return riverdatabasesql.New(db.SQL), nil
	case store.SQLite:
		return riversqlite.New(db.SQL), nil
	default:
		return nil, fmt.Errorf("jobs: unsupported database dialect %q", db.Dialect)
	}
}

// New returns a Client on db. It does not start working jobs: see Start.
func New(db *store.DB, opts Options) (*Client, error) {
	drv, err := riverDriver(db, opts.Queues != nil)
	if err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = discard()
	}
	rc := &river.Config{
		Logger:               logger,
		Workers:              opts.Workers,
		Queues:               opts.Queues,
		PeriodicJobs:         opts.PeriodicJobs,
		RetryPolicy:          opts.RetryPolicy,
		JobTimeout:           opts.JobTimeout,
		RescueStuckJobsAfter: opts.RescueStuckJobsAfter,
		FetchPollInterval:    opts.FetchPollInterval,
	}
	if t := telemetry.Tracer(opts.Tracer, "github.com/carequeue/carequeue/internal/jobs"); t != nil {
		rc.Middleware = append(rc.Middleware, &traceJobs{tracer: t})
	}
	if rc.JobTimeout == 0 {
		rc.JobTimeout = DefaultJobTimeout
	}
	if rc.RescueStuckJobsAfter == 0 {
		rc.RescueStuckJobsAfter = max(DefaultRescueStuckJobsAfter, rc.JobTimeout+time.Minute)
	}
	if p := opts.FetchPollInterval; p > 0 && p < river.FetchCooldownDefault {
		// River refuses a poll interval shorter than the cooldown between fetches.
		rc.FetchCooldown = p
	}
	rc2, err := river.NewClient(drv, rc)
	if err != nil {
		return nil, fmt.Errorf("jobs: creating River client: %w", err)
	}
	return &Client{river: rc2}, nil
}

// Start begins working the configured queues (and, when elected leader, periodic jobs and River's
// maintenance). It returns once started; ctx only bounds start-up.
func (c *Client) Start(ctx context.Context) error {
	if err := c.river.Start(ctx); err != nil {
		return fmt.Errorf("jobs: starting River client: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish, or until ctx is done (then it returns ctx's error and the jobs
// left running are rescued after RescueStuckJobsAfter). Stopping a client never started is a no-op.
func (c *Client) Stop(ctx context.Context) error {
	if err := c.river.Stop(ctx); err != nil {
		return fmt.Errorf("jobs: stopping River client: %w", err)
	}
	return nil
}

// Shutdown stops the client for a deploy: it stops fetching and lets running jobs finish until ctx
// is done, then cancels the ones still running and waits up to hardWait for them to return (a
// cancelled job is retried later, by this or another process). It returns ctx's error when jobs had
// to be cancelled, and the hard stop's when even that did not finish.
func (c *Client) Shutdown(ctx context.Context, hardWait time.Duration) error {
	soft := c.river.Stop(ctx)
	if soft == nil {
		return nil
	}
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), hardWait)
	defer cancel()
	if err := c.river.StopAndCancel(hard); err != nil {
		return fmt.Errorf("jobs: cancelling running jobs: %w", err)
	}
	return fmt.Errorf("jobs: running jobs cancelled: %w", soft)
}

// InsertTx enqueues a job in tx, the transaction of the ent writes that cause it: the job becomes
// visible to workers only when tx commits and vanishes if it rolls back. A unique job that already
// exists is not inserted again (the result's UniqueSkippedAsDuplicate is true).
func (c *Client) InsertTx(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	res, err := c.river.InsertTx(ctx, tx.SQL, args, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: enqueuing %s: %w", args.Kind(), err)
	}
	return res, nil
}

// InsertManyTx enqueues several jobs in tx in one statement (one round trip instead of one per job),
// with the same guarantees as InsertTx; a unique job that already exists is skipped.
func (c *Client) InsertManyTx(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	res, err := c.river.InsertManyTx(ctx, tx.SQL, params)
	if err != nil {
		return nil, fmt.Errorf("jobs: enqueuing %d jobs: %w", len(params), err)
	}
	return res, nil
}

// River is the underlying client, for what this package does not wrap (subscriptions, River UI).
func (c *Client) River() *river.Client[*sql.Tx] { return c.river }

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
