package queue

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/carequeue/carequeue/ent"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/audit"
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
}

// Publisher hears about committed queue changes (realtime fan-out).
type Publisher interface {
	Publish(ctx context.Context, e Event)
}

// Enqueuer adds background jobs (notifications) inside a workflow's transaction, so a rolled-back change
// enqueues nothing and a committed one always has its jobs. The server passes notify's; a Service
// without one (tests, notify's workers reading positions) sends no notifications.
type Enqueuer interface {
	TicketChanged(ctx context.Context, tx *store.Tx, t *ent.Ticket, action Action) error
}

// Service runs the queue workflows. Each workflow is one transaction: it locks the queue row by bumping
// its version, applies the rules of this package, writes the ticket, its TicketEvent and an AuditEntry,
// and publishes an Event once committed.
type Service struct {
	db     *store.DB
	client *ent.Client
	pub    Publisher
	jobs   Enqueuer
	now    func() time.Time
	log    *slog.Logger
	// kioskLimit caps look-ups per kiosk account (nil: no cap).
	kioskLimit auth.Limiter
}

// Options are the optional collaborators of a Service.
type Options struct {
	Publisher Publisher
	Jobs      Enqueuer
	Now       func() time.Time
	Logger    *slog.Logger
	// KioskLimiter caps self check-in look-ups per kiosk account, so a stranger at a kiosk cannot try
	// dates of birth one after another. Nil: no cap.
	KioskLimiter auth.Limiter
}

// NewService returns a Service on db; client is db's ent client.
func NewService(db *store.DB, client *ent.Client, opts Options) *Service {
	s := &Service{db: db, client: client, pub: opts.Publisher, jobs: opts.Jobs, now: opts.Now, log: opts.Logger,
		kioskLimit: opts.KioskLimiter}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// errNoChange rolls a workflow back without an error: nothing happened (callNext on an empty queue).
var errNoChange = errors.New("no change")

// change is what a workflow step reports.
type change struct {
	ticket  *ent.Ticket
	event   Action
	from    Status
	auditOf string
	before  any
	// idempotencyKey is recorded on the event, so that a retry of the call finds it (replay).
	idempotencyKey string
}

// workflow runs step for action on queueID inside one transaction with the queue locked.
func (s *Service) workflow(ctx context.Context, action Action, queueID pulid.ID,
	step func(ctx context.Context, tx *store.Tx, q *ent.Queue) (*change, error)) (*ent.Ticket, error) {
	key, err := idempotencyKey(ctx)
	if err != nil {
		return nil, err
	}
	ctx = auth.WithAction(ctx, string(action))
	var out, replayed *ent.Ticket
	err = s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		q, err := lockQueue(ctx, tx, queueID)
		if err != nil {
			return err
		}
		if replayed, err = replay(ctx, tx, key, action); err != nil || replayed != nil {
			return cmp.Or(err, errNoChange)
		}
		c, err := step(ctx, tx, q)
		if err != nil {
			return err
		}
		c.idempotencyKey = key
		if err := s.record(ctx, tx, q, c, action); err != nil {
			return err
		}
		out = c.ticket
		ev := Event{QueueID: q.ID, DepartmentID: q.DepartmentID, Version: int(q.Version), TicketIDs: []pulid.ID{c.ticket.ID}}
		if s.pub != nil {
			tx.OnCommit(func() { s.pub.Publish(context.WithoutCancel(ctx), ev) })
		}
		return nil
	})
	if errors.Is(err, errNoChange) {
		return replayed, nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lockQueue reads the queue as the viewer (so an invisible queue is NOT_FOUND) and then bumps its
// version. The UPDATE takes the row lock on PostgreSQL, and on SQLite the transaction already holds the
// write lock (BEGIN IMMEDIATE): from here to commit, this transaction is the queue's only writer, so
// versions have no gaps and concurrent calls are strictly ordered.
func lockQueue(ctx context.Context, tx *store.Tx, id pulid.ID) (*ent.Queue, error) {
	if _, err := tx.Client.Queue.Query().Where(entqueue.ID(id)).OnlyID(ctx); err != nil {
		return nil, notFound(err, "queue")
	}
	// The version is bookkeeping, not an admin edit of the queue: the viewer's right to act on the queue
	// was checked by the read above and is checked again on the ticket write.
	q, err := tx.Client.Queue.UpdateOneID(id).AddVersion(1).Save(auth.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("locking queue: %w", err)
	}
	return q, nil
}

func (s *Service) record(ctx context.Context, tx *store.Tx, q *ent.Queue, c *change, action Action) error {
	t := c.ticket
	if err := tx.Client.TicketEvent.Create().
		SetTicketID(t.ID).
		SetQueueID(string(t.QueueID)).
		SetAction(string(c.event)).
		SetFromStatus(string(c.from)).
		SetToStatus(string(t.Status)).
		SetTriageLevel(string(t.TriageLevel)).
		SetAt(s.now()).
		SetActorID(actorID(ctx)).
		SetServicePointID(string(t.ServicePointID)).
		SetNillableIdempotencyKey(nonEmpty(c.idempotencyKey)).
		Exec(ctx); err != nil {
		return fmt.Errorf("recording ticket event: %w", err)
	}
	facilityID, err := facilityOf(ctx, tx, q)
	if err != nil {
		return err
	}
	if err := audit.Record(ctx, tx.Client, audit.Entry{
		Action:     c.auditOf,
		EntityType: "Ticket",
		EntityID:   string(t.ID),
		FacilityID: facilityID,
		Before:     c.before,
		After:      t,
	}); err != nil {
		return err
	}
	if s.jobs != nil {
		if err := s.jobs.TicketChanged(ctx, tx, t, action); err != nil {
			return fmt.Errorf("enqueueing notifications: %w", err)
		}
	}
	return nil
}

func facilityOf(ctx context.Context, tx *store.Tx, q *ent.Queue) (string, error) {
	if q.Edges.Department != nil {
		return string(q.Edges.Department.FacilityID), nil
	}
	d, err := tx.Client.Department.Get(auth.SystemContext(ctx), q.DepartmentID)
	if err != nil {
		return "", fmt.Errorf("reading department: %w", err)
	}
	return string(d.FacilityID), nil
}

func actorID(ctx context.Context) string {
	if v, ok := auth.FromContext(ctx); ok {
		return string(v.UserID)
	}
	return ""
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
