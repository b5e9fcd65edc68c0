package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/department"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// Messages to a department's nurse in charge, at its escalation phone (Department.escalation_phone):
// the patients one escalation run found past their queue's maximum wait, and the start of a queue's
// URGENT_SHARE_HIGH warning. SMS only: staff have no device registrations, so there is no push.

var _ queue.Announcer = (*Enqueuer)(nil)

// EscalationArgs asks for the SMS about the tickets of a department that one escalation run escalated.
// A ticket is escalated once, so the ticket ids name the event: the same run's job inserted twice
// queues one message.
type EscalationArgs struct {
	DepartmentID string   `json:"department_id"`
	TicketIDs    []string `json:"ticket_ids"`
}

// Kind is stored in river_job.kind: renaming it strands queued jobs.
func (EscalationArgs) Kind() string { return "notify_escalation" }

// InsertOpts puts the job on the notify queue, unique by args (see insertOpts).
func (EscalationArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// UrgentShareArgs asks for the SMS about the start, at Since, of a queue's URGENT_SHARE_HIGH warning,
// with the share and limit that started it.
type UrgentShareArgs struct {
	QueueID      string    `json:"queue_id"`
	Since        time.Time `json:"since"`
	SharePercent int       `json:"share"`
	LimitPercent int       `json:"limit"`
}

// Kind is stored in river_job.kind: renaming it strands queued jobs.
func (UrgentShareArgs) Kind() string { return "notify_urgent_share" }

// InsertOpts puts the job on the notify queue, unique by args (see insertOpts).
func (UrgentShareArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// Escalated enqueues the SMS about ticketIDs to the department's escalation phone, in the escalation's
// transaction; a department without one is told on its dashboards only.
func (e *Enqueuer) Escalated(ctx context.Context, tx *store.Tx, departmentID pulid.ID, ticketIDs []pulid.ID) error {
	if ok, err := hasContact(ctx, tx, departmentID); err != nil || !ok {
		return err
	}
	ids := make([]string, len(ticketIDs))
	for i, id := range ticketIDs {
		ids[i] = string(id)
	}
	_, err := e.jobs.InsertTx(ctx, tx, EscalationArgs{DepartmentID: string(departmentID), TicketIDs: ids}, nil)
	return err
}

// UrgentShareHigh enqueues the SMS about q's warning w, which started at since, in the transaction
// that recorded the start.
func (e *Enqueuer) UrgentShareHigh(ctx context.Context, tx *store.Tx, q *ent.Queue, w *queue.Warning, since time.Time) error {
	if ok, err := hasContact(ctx, tx, q.DepartmentID); err != nil || !ok {
		return err
	}
	args := UrgentShareArgs{QueueID: string(q.ID), Since: since.UTC(), SharePercent: *w.SharePercent, LimitPercent: *w.LimitPercent}
	_, err := e.jobs.InsertTx(ctx, tx, args, nil)
	return err
}

func hasContact(ctx context.Context, tx *store.Tx, departmentID pulid.ID) (bool, error) {
	ok, err := tx.Client.Department.Query().
		Where(department.ID(departmentID), department.EscalationPhoneNEQ("")).
		Exist(auth.SystemContext(ctx))
	if err != nil {
		return false, fmt.Errorf("reading the department's escalation phone: %w", err)
	}
	return ok, nil
}

// staffWorker is what the workers of staff messages share: their collaborators and retry spacing.
type staffWorker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	deps *deps
}

// NextRetry spreads retries over minutes, not River's weeks (RetryPolicy).
func (w *staffWorker[T]) NextRetry(job *river.Job[T]) time.Time {
	return w.deps.opts.Retry.NextRetry(job.JobRow)
}

// EscalationWorker sends one EscalationArgs SMS.
type EscalationWorker struct{ staffWorker[EscalationArgs] }

// Work sends the SMS once (see sendStaff), listing the tickets with how long each had waited when it
// was escalated.
func (w *EscalationWorker) Work(ctx context.Context, job *river.Job[EscalationArgs]) error {
	a := job.Args
	id := derivedID(job.CreatedAt, Escalated, a.DepartmentID, fmt.Sprint(a.TicketIDs))
	return w.deps.sendStaff(ctx, id, Escalated, pulid.ID(a.DepartmentID), job.CreatedAt, func(ctx context.Context, d *ent.Department, lang Lang) (string, error) {
		ids := make([]pulid.ID, len(a.TicketIDs))
		for i, s := range a.TicketIDs {
			ids[i] = pulid.ID(s)
		}
		ts, err := w.deps.db.Ent.Ticket.Query().
			Where(ticket.IDIn(ids...), ticket.EscalatedAtNotNil()).
			WithQueue().
			Order(ent.Asc(ticket.FieldArrivedAt), ent.Asc(ticket.FieldID)).
			All(ctx)
		if err != nil {
			return "", fmt.Errorf("reading escalated tickets: %w", err)
		}
		items := make([]Overdue, 0, len(ts))
		for _, t := range ts {
			it := Overdue{Code: t.Code, Waited: t.EscalatedAt.Sub(t.ArrivedAt)}
			if t.Edges.Queue != nil {
				it.MaxWait = queue.MaxWaitOf(t.Edges.Queue)
			}
			items = append(items, it)
		}
		return EscalationText(lang, d.Name, items), nil
	})
}

// UrgentShareWorker sends one UrgentShareArgs SMS.
type UrgentShareWorker struct{ staffWorker[UrgentShareArgs] }

// Work sends the SMS once (see sendStaff).
func (w *UrgentShareWorker) Work(ctx context.Context, job *river.Job[UrgentShareArgs]) error {
	a := job.Args
	q, err := w.deps.db.Ent.Queue.Get(auth.SystemContext(ctx), pulid.ID(a.QueueID))
	if ent.IsNotFound(err) {
		return river.JobCancel(fmt.Errorf("queue %s no longer exists", a.QueueID))
	}
	if err != nil {
		return fmt.Errorf("reading queue: %w", err)
	}
	id := derivedID(job.CreatedAt, UrgentShareHigh, a.QueueID, a.Since.UTC().Format(time.RFC3339Nano))
	return w.deps.sendStaff(ctx, id, UrgentShareHigh, q.DepartmentID, job.CreatedAt, func(_ context.Context, d *ent.Department, lang Lang) (string, error) {
		return UrgentShareText(lang, d.Name, q.Name, a.SharePercent, a.LimitPercent), nil
	})
}

// sendStaff sends the SMS render writes, in the language of the department's facility, to the escalation
// phone of department dept, recording it as the
// Notification row id (derived from the job's args, as a ticket message's row is: a retried or rescued
// job finds what an earlier attempt did and sends at most once). It drops a message older than
// DefaultDeadline as STALE and records SKIPPED when the department no longer has a phone.
func (d *deps) sendStaff(ctx context.Context, id pulid.ID, kind string, dept pulid.ID, created time.Time,
	render func(context.Context, *ent.Department, Lang) (string, error)) error {
	ctx = auth.SystemContext(ctx)
	row, err := d.db.Ent.Notification.Get(ctx, id)
	switch {
	case ent.IsNotFound(err):
		row = nil
	case err != nil:
		return fmt.Errorf("reading earlier attempts: %w", err)
	case settled(row.Status):
		return nil
	}
	final := func(status notification.Status, reason string) error {
		if row != nil {
			return row.Update().SetStatus(status).SetError(reason).Exec(ctx)
		}
		return d.db.Ent.Notification.Create().SetID(id).SetChannel(notification.ChannelSMS).SetKind(kind).
			SetStatus(status).SetError(reason).Exec(ctx)
	}
	if age := d.opts.Now().Sub(created); age > DefaultDeadline {
		if err := final(notification.StatusSTALE, fmt.Sprintf("dropped: %s late (deadline %s)", age.Round(time.Second), DefaultDeadline)); err != nil {
			return err
		}
		return river.JobCancel(ErrStale)
	}
	dp, err := d.db.Ent.Department.Query().Where(department.ID(dept)).WithFacility().Only(ctx)
	if ent.IsNotFound(err) {
		return river.JobCancel(fmt.Errorf("department %s no longer exists", dept))
	}
	if err != nil {
		return fmt.Errorf("reading department: %w", err)
	}
	if dp.EscalationPhone == "" {
		return final(notification.StatusSKIPPED, "the department has no escalation phone")
	}
	if row == nil {
		lang := English
		if f := dp.Edges.Facility; f != nil {
			lang = LangOf(f.Language)
		}
		body, err := render(ctx, dp, lang)
		if err != nil {
			return err
		}
		if body == "" {
			return final(notification.StatusSKIPPED, "nothing left to tell")
		}
		row, err = d.db.Ent.Notification.Create().SetID(id).SetChannel(notification.ChannelSMS).SetKind(kind).
			SetStatus(notification.StatusPENDING).SetRecipient(dp.EscalationPhone).SetBody(body).Save(ctx)
		if err != nil {
			return fmt.Errorf("recording %s notification: %w", kind, err)
		}
	}
	// A retry sends what the first attempt recorded, to where it recorded it.
	return sendSMS(ctx, d.opts, row, row.Recipient, row.Body)
}
