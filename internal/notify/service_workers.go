package notify

import (
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// Config is what the notification workers need; cmd builds it.
type Config struct {
	DB *store.DB
	// SMS and Push deliver messages; nil means a LogSender that only logs them.
	SMS  SMSSender
	Push PushSender
	// PublicURL is the public origin of the web app (https://queue.example.org); the status link in a
	// message is PublicURL + "/t/" + the ticket's status token.
	PublicURL string
	Logger    *slog.Logger
	// Now and Retry are for tests: time.Now and jobs.NotifyRetryPolicy{} when zero.
	Now   func() time.Time
	Retry jobs.NotifyRetryPolicy
}

// Deadlines after which a ticket message is dropped as stale: "your turn is near" or "please go to
// Room 3" ten minutes late misleads more than it helps; the others stay useful a little longer.
const (
	UrgentDeadline  = 10 * time.Minute
	DefaultDeadline = 30 * time.Minute
)

// Deadline is how long after its event a message of kind k may still be sent.
func Deadline(k Kind) time.Duration {
	if k == Ahead || k == Called {
		return UrgentDeadline
	}
	return DefaultDeadline
}

// AddWorkers registers the notification workers on w. They read queues through a queue.Service of
// their own (read-only: it enqueues nothing), so the Service that runs the workflows, which needs the
// Enqueuer, which needs the jobs.Client, which needs w, can be built afterwards.
func AddWorkers(w *river.Workers, cfg Config) error {
	if cfg.DB == nil {
		return errors.New("notify: a database is required")
	}
	if cfg.SMS == nil || cfg.Push == nil {
		ls := &LogSender{Logger: cfg.Logger}
		if cfg.SMS == nil {
			cfg.SMS = ls.SMS()
		}
		if cfg.Push == nil {
			cfg.Push = ls.Push()
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	client := cfg.DB.Client()
	d := &deps{cfg: cfg, client: client, queues: queue.NewService(cfg.DB, client, queue.Options{Now: cfg.Now})}
	if err := river.AddWorkerSafely(w, &TicketMessageWorker{deps: d}); err != nil {
		return err
	}
	return river.AddWorkerSafely(w, &QueueAheadWorker{deps: d})
}

type deps struct {
	cfg    Config
	client *ent.Client
	queues *queue.Service
}
