package queue

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// Event says that a queue changed and reached Version. It is published after commit only. Versions of
// one queue have no gaps, so a watcher that sees a jump knows it missed a change.
type Event struct {
	QueueID      pulid.ID `json:"q"`
	DepartmentID pulid.ID `json:"d"`
	Version      int      `json:"v"`
	// TicketIDs are the tickets the change touched.
	TicketIDs []pulid.ID `json:"t,omitempty"`
	// AppointmentIDs are the appointments of the queue the change created or edited (booked,
	// rescheduled, cancelled, missed); those a ticket change touches are its tickets' appointments.
	AppointmentIDs []pulid.ID `json:"a,omitempty"`
	// Trace is the traceparent of the work that committed the change (set by realtime.Publisher when
	// tracing), so each replica's delivery span links back to it.
	Trace string `json:"tp,omitempty"`
	// At is when the change was published, just after its commit (realtime.Publisher sets it): the
	// start of the fan-out latency that replicas measure up to the subscriber's socket.
	At time.Time `json:"at,omitzero"`
}

// Publisher hears about committed queue changes (realtime fan-out).
type Publisher interface {
	Publish(ctx context.Context, e Event)
}

// Enqueuer adds background jobs (notifications) inside a workflow's transaction, so a rolled-back change
// enqueues nothing and a committed one always has its jobs. The server passes notify's; a Service
// without one (tests, notify's workers reading positions) sends no notifications.
type Enqueuer interface {
	// TicketChanged is told of ticket t's change by action at version, its queue's version after the
	// change (the workflow bumped it under the queue's lock).
	TicketChanged(ctx context.Context, tx *store.Tx, version int, t *ent.Ticket, action Action) error
}

// EventSink hears of every ticket event a workflow records, inside the workflow's transaction, with the
// facility of the ticket's queue: outbound webhooks (internal/webhook) insert their delivery jobs there,
// so a rolled-back change delivers nothing and a committed one is always delivered.
type EventSink interface {
	TicketEventRecorded(ctx context.Context, tx *store.Tx, facilityID string, t *ent.Ticket, ev *ent.TicketEvent) error
}

// Announcer tells a department's nurse in charge what needs them, by jobs inserted in the transaction
// that found it: tickets escalated past their queue's maximum wait (one call per department and
// escalation run) and the start of a queue's URGENT_SHARE_HIGH warning. The escalation job's Service
// passes notify's; without one nobody is told beyond the dashboards.
type Announcer interface {
	Escalated(ctx context.Context, tx *store.Tx, departmentID pulid.ID, ticketIDs []pulid.ID) error
	UrgentShareHigh(ctx context.Context, tx *store.Tx, q *ent.Queue, w *Warning, since time.Time) error
}

// Service runs the queue workflows. Each workflow is one transaction: it locks the queue row by bumping
// its version, applies the rules of this package, writes the ticket, its TicketEvent and an AuditEntry,
// and publishes an Event once committed.
type Service struct {
	db     *store.DB
	client *ent.Client
	pub    Publisher
	jobs   Enqueuer
	// events may be nil.
	events EventSink
	// announce may be nil.
	announce Announcer
	now      func() time.Time
	log      *slog.Logger
	// kioskLimit caps look-ups per kiosk account (nil: no cap).
	kioskLimit auth.Limiter
	// lockWait and gates bound the wait for a queue's lock (lockwait.go).
	lockWait time.Duration
	gates    gates
}

// Options are the optional collaborators of a Service.
type Options struct {
	Publisher Publisher
	Jobs      Enqueuer
	Events    EventSink
	Announcer Announcer
	Now       func() time.Time
	Logger    *slog.Logger
	// KioskLimiter caps self check-in look-ups per kiosk account, so a stranger at a kiosk cannot try
	// dates of birth one after another. Nil: no cap.
	KioskLimiter auth.Limiter
	// LockWait is how long a workflow waits for its queue's lock before answering UNAVAILABLE
	// (default DefaultLockWait).
	LockWait time.Duration
}

// NewService returns a Service on db (it reads through db.Ent and writes in db's transactions).
func NewService(db *store.DB, opts Options) *Service {
	s := &Service{db: db, client: db.Ent, pub: opts.Publisher, jobs: opts.Jobs, events: opts.Events, announce: opts.Announcer, now: opts.Now, log: opts.Logger,
		kioskLimit: opts.KioskLimiter, lockWait: cmp.Or(opts.LockWait, DefaultLockWait)}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// WithClock returns a Service like s (same database, publisher, jobs and announcer) whose workflows
// take their times from now: to replay a morning at the moments it happened (the demo). Lock waits
// still use the real clock, and the copy has lock gates of its own (the database lock still orders
// it with s).
func (s *Service) WithClock(now func() time.Time) *Service {
	return &Service{db: s.db, client: s.client, pub: s.pub, jobs: s.jobs, announce: s.announce, now: now, log: s.log,
		kioskLimit: s.kioskLimit, lockWait: s.lockWait}
}

// notFound turns ent's not-found into NOT_FOUND naming what was missing; other errors pass through.
func notFound(err error, what string) error {
	if ent.IsNotFound(err) {
		return cqerr.Ef(cqerr.NotFound, "%s not found", what)
	}
	return err
}

// newStatusToken returns the secret of a ticket's public status page: 18 random bytes, URL-safe.
func newStatusToken() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// TargetsOf returns the queue's configured targets.
func TargetsOf(q *ent.Queue) Targets {
	m := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	return Targets{
		Immediate:  m(q.TargetImmediateMinutes),
		VeryUrgent: m(q.TargetVeryUrgentMinutes),
		Urgent:     m(q.TargetUrgentMinutes),
		Standard:   m(q.TargetStandardMinutes),
		NonUrgent:  m(q.TargetNonUrgentMinutes),
	}
}
