package notify

import (
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// Options are the notification workers' collaborators and settings, by name; cmd builds them.
type Options struct {
	// SMS and Push deliver messages; nil means a LogSender that only logs them.
	SMS  SMSSender
	Push PushSender
	// PublicURL is the public origin of the web app (https://queue.example.org); the status link in a
	// message is PublicURL + "/t/" + the ticket's status token.
	PublicURL string
	Logger    *slog.Logger
	// RevealInLogs writes the text of messages no provider sends to the log (a local install, a demo).
	// Never in production: a message carries the patient's status link, a secret.
	RevealInLogs bool
	// Now and Retry are for tests: time.Now and RetryPolicy{} when zero.
	Now   func() time.Time
	Retry RetryPolicy
	// OnAhead, when set, is told the outcome of every QueueAheadWorker run (tests, measurements).
	OnAhead func(AheadOutcome)
}

// AddWorkers registers the notification workers on w, working on db: they write in its transactions
// and read through db.Ent. They read queues through a queue.Service of their own (read-only: it
// enqueues nothing), so the Service that runs the workflows, which needs the Enqueuer, which needs the
// jobs.Client, which needs w, can be built afterwards.
func AddWorkers(w *river.Workers, db *store.DB, opts Options) error {
	if db == nil {
		return errors.New("notify: a database is required")
	}
	if opts.SMS == nil || opts.Push == nil {
		ls := &LogSender{Logger: opts.Logger, Reveal: opts.RevealInLogs}
		if opts.SMS == nil {
			opts.SMS = ls.SMS()
		}
		if opts.Push == nil {
			opts.Push = ls.Push()
		}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.PublicURL = strings.TrimRight(opts.PublicURL, "/")
	d := &deps{db: db, opts: opts, queues: queue.NewService(db, queue.Options{Now: opts.Now})}
	if err := river.AddWorkerSafely(w, &TicketMessageWorker{deps: d}); err != nil {
		return err
	}
	if err := river.AddWorkerSafely(w, &QueueAheadWorker{deps: d}); err != nil {
		return err
	}
	if err := river.AddWorkerSafely(w, &EscalationWorker{staffWorker[EscalationArgs]{deps: d}}); err != nil {
		return err
	}
	return river.AddWorkerSafely(w, &UrgentShareWorker{staffWorker[UrgentShareArgs]{deps: d}})
}

type deps struct {
	db     *store.DB
	opts   Options
	queues *queue.Service
}
