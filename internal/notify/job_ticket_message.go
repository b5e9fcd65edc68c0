package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/device"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/ent/patient"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
)

// TicketMessageArgs asks for one message about one ticket. Version is the queue version of the change
// that caused it, so the args name the event: the same event enqueued twice queues one message, while
// a later event of the same kind (a recall) queues another.
type TicketMessageArgs struct {
	TicketID    string `json:"ticket_id"`
	MessageKind Kind   `json:"kind"` // not "Kind": River args need a Kind() method
	Version     int    `json:"version"`
}

// Kind is stored in river_job.kind: renaming it strands queued jobs.
func (TicketMessageArgs) Kind() string { return "notify_ticket_message" }

// InsertOpts puts the job on the notify queue, unique by args (see insertOpts).
func (TicketMessageArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// Deadlines after which a ticket message is dropped as stale: "your turn is near" or "please go to
// Room 3" ten minutes late misleads more than it helps, and a wait change is news only while it is
// fresh; the others stay useful a little longer.
const (
	UrgentDeadline  = 10 * time.Minute
	DefaultDeadline = 30 * time.Minute
)

// Deadline is how long after its event a message of kind k may still be sent.
func Deadline(k Kind) time.Duration {
	if k == Ahead || k == Called || k == WaitChanged {
		return UrgentDeadline
	}
	return DefaultDeadline
}

// TicketMessageWorker sends one ticket message: push to the patient's devices, SMS as the fallback,
// recording a Notification row per channel. It sends at most once per job once a provider accepted
// the message (see rowID), drops messages that are too late or no longer true as STALE, and never
// shows a provider's error to the patient.
type TicketMessageWorker struct {
	river.WorkerDefaults[TicketMessageArgs]
	deps *deps
}

// NextRetry spreads retries over minutes, not River's weeks (RetryPolicy).
func (w *TicketMessageWorker) NextRetry(job *river.Job[TicketMessageArgs]) time.Time {
	return w.deps.opts.Retry.NextRetry(job.JobRow)
}

// Work returns nil when the message was sent, skipped or already sent; an error for River to retry
// (a provider outage); river.JobCancel for a message that is stale or can never be sent.
func (w *TicketMessageWorker) Work(ctx context.Context, job *river.Job[TicketMessageArgs]) error {
	ctx = auth.SystemContext(ctx)
	a := job.Args
	r, err := loadRows(ctx, w.deps.db.Ent, a, job.CreatedAt)
	if err != nil {
		return err
	}
	if r.settled() {
		return nil
	}
	// The patient decides whether there is anything to send; the queue and service point are read
	// only for a message that goes out (see withNames).
	t, err := w.deps.db.Ent.Ticket.Query().
		Where(ticket.ID(pulid.ID(a.TicketID))).
		WithPatient().
		Only(ctx)
	if ent.IsNotFound(err) {
		return river.JobCancel(fmt.Errorf("ticket %s no longer exists", a.TicketID))
	}
	if err != nil {
		return fmt.Errorf("reading ticket: %w", err)
	}
	p := t.Edges.Patient
	r.patient = string(p.ID)
	devices, err := accountDevices(ctx, w.deps.db.Ent, p)
	if err != nil {
		return err
	}
	channels := Channels(len(devices) > 0, p.SmsOptIn, p.Phone != "")
	if len(channels) == 0 {
		reason := "patient opted out of SMS and has no app device"
		if p.SmsOptIn {
			reason = "patient has no phone number and no app device"
		}
		return r.final(ctx, SMS, notification.StatusSKIPPED, reason)
	}
	if why := w.stale(t, a, job.CreatedAt); why != "" {
		if err := r.final(ctx, channels[0], notification.StatusSTALE, why); err != nil {
			return err
		}
		return river.JobCancel(ErrStale)
	}
	if err := w.withNames(ctx, t); err != nil {
		return err
	}
	m, err := w.message(ctx, t, a.MessageKind, p.Language)
	if err != nil {
		return err
	}
	if m.Kind == WaitChanged && m.Wait == nil {
		// The range is gone since the change was seen (the queue lost its history or its open
		// points): there is no honest number to send.
		if err := r.final(ctx, channels[0], notification.StatusSTALE, "dropped: no wait range any more"); err != nil {
			return err
		}
		return river.JobCancel(ErrStale)
	}
	if err := w.arrivedNear(ctx, t, m); err != nil {
		return err
	}
	if err := w.told(ctx, t, m); err != nil {
		return err
	}

	var pushErr error
	for _, ch := range channels {
		switch ch {
		case Push:
			delivered, err := w.push(ctx, r, m, devices, len(channels) > 1)
			if delivered {
				return nil
			}
			pushErr = err
		case SMS:
			return w.sms(ctx, r, m, p.Phone)
		}
	}
	return pushErr // push only, and it may work on a retry
}

// withNames reads t's queue and, when it has one, its service point (the names a message shows; the
// queue's "notify ahead" for arrivedNear).
func (w *TicketMessageWorker) withNames(ctx context.Context, t *ent.Ticket) error {
	q, err := w.deps.db.Ent.Queue.Get(ctx, t.QueueID)
	if err != nil {
		return fmt.Errorf("reading the queue of ticket %s: %w", t.ID, err)
	}
	t.Edges.Queue = q
	if t.ServicePointID == "" {
		return nil
	}
	sp, err := w.deps.db.Ent.ServicePoint.Get(ctx, t.ServicePointID)
	if err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("reading the service point of ticket %s: %w", t.ID, err)
	}
	t.Edges.ServicePoint = sp
	return nil
}

// stale says why the message is no longer worth sending, or "".
func (w *TicketMessageWorker) stale(t *ent.Ticket, a TicketMessageArgs, created time.Time) string {
	if age := w.deps.opts.Now().Sub(created); age > Deadline(a.MessageKind) {
		return fmt.Sprintf("dropped: %s late (deadline %s)", age.Round(time.Second), Deadline(a.MessageKind))
	}
	want := ticket.StatusWAITING
	switch a.MessageKind {
	case Called:
		want = ticket.StatusCALLED
	case Cancelled:
		want = ticket.StatusCANCELLED
	default: // the other kinds are about a waiting ticket
	}
	if t.Status != want {
		return fmt.Sprintf("dropped: the ticket is now %s", t.Status)
	}
	return ""
}

// message fills in what the templates show, from the ticket's current state.
func (w *TicketMessageWorker) message(ctx context.Context, t *ent.Ticket, k Kind, lang string) (Message, error) {
	m := Message{Kind: k, Language: lang, Code: t.Code, StatusURL: w.deps.opts.PublicURL + "/t/" + t.StatusToken}
	if q := t.Edges.Queue; q != nil {
		m.QueueName = q.Name
	}
	if sp := t.Edges.ServicePoint; sp != nil {
		m.ServicePoint = sp.Name
	}
	if t.Status == ticket.StatusWAITING {
		p, err := w.deps.queues.TicketPlace(ctx, t)
		if err != nil {
			return m, fmt.Errorf("reading position: %w", err)
		}
		m.Position, m.Wait = p.Position, p.EstimatedWait
	}
	return m, nil
}

// arrivedNear marks a ticket that arrives (check-in, transfer) within its queue's "notify ahead"
// positions as notified: the arrival message already gives the position, and a "your turn is near" a
// second later would be noise. QueueAheadWorker waits for the arrival message before it decides.
func (w *TicketMessageWorker) arrivedNear(ctx context.Context, t *ent.Ticket, m Message) error {
	if m.Kind != CheckedIn && m.Kind != Transferred || m.Position == nil || t.Edges.Queue == nil ||
		!ShouldNotifyAhead(*m.Position, t.Edges.Queue.NotifyAhead, t.NotifiedAhead) {
		return nil
	}
	err := w.deps.db.Ent.Ticket.Update().Where(ticket.ID(t.ID), ticket.NotifiedAhead(false)).SetNotifiedAhead(true).Exec(ctx)
	if err != nil {
		return fmt.Errorf("marking ticket %s notified ahead: %w", t.ID, err)
	}
	return nil
}

// told records the range m tells the patient, the reference of later wait changes (WaitChange). It
// is written before sending, as arrivedNear is: a message that then fails leaves a reference the
// patient may not have seen, which at worst delays a wait-change message, while recording after
// sending could be lost to a crash and let the next change message them twice.
func (w *TicketMessageWorker) told(ctx context.Context, t *ent.Ticket, m Message) error {
	if m.Wait == nil || (m.Kind != CheckedIn && m.Kind != Transferred && m.Kind != WaitChanged) {
		return nil
	}
	err := w.deps.db.Ent.Ticket.UpdateOneID(t.ID).
		SetWaitToldAt(w.deps.opts.Now()).
		SetWaitToldLow(max(0, m.Wait.LowMinutes)).
		SetWaitToldHigh(max(0, m.Wait.HighMinutes)).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("recording the wait told to ticket %s: %w", t.ID, err)
	}
	return nil
}

// push sends to every device and reports whether any accepted. A dead token deletes its Device. The
// error is the last retryable failure, nil when every failure was permanent.
func (w *TicketMessageWorker) push(ctx context.Context, r *rows, m Message, devices []*ent.Device, fallback bool) (bool, error) {
	title, body := RenderPush(m)
	ids := make([]string, len(devices))
	for i, d := range devices {
		ids[i] = string(d.ID)
	}
	// The recipient column holds device ids, not tokens: enough for admins to tell devices apart.
	row, err := r.claim(ctx, Push, strings.Join(ids, ","), title+"\n"+body)
	if err != nil {
		return false, err
	}
	if row.Status == notification.StatusFAILED || row.Status == notification.StatusLOGGED {
		return false, nil // every device failed for good on an earlier attempt, or there is no push provider
	}
	data := map[string]string{"ticket_id": r.args.TicketID, "kind": string(m.Kind)}
	var accepted []string
	var failures []string
	var retryErr error
	logged := ""
	for _, d := range devices {
		id, err := w.deps.opts.Push.Send(ctx, d.PushToken, title, body, data)
		switch {
		case err == nil:
			accepted = append(accepted, id)
		case errors.Is(err, ErrNoProvider):
			logged = id
		case errors.Is(err, ErrTokenGone):
			failures = append(failures, fmt.Sprintf("device %s: token unregistered, device removed", d.ID))
			if err := w.deps.db.Ent.Device.DeleteOneID(d.ID).Exec(ctx); err != nil && !ent.IsNotFound(err) {
				return false, fmt.Errorf("removing device %s: %w", d.ID, err)
			}
		default:
			failures = append(failures, fmt.Sprintf("device %s: %v", d.ID, err))
			if !permanent(err) {
				retryErr = err
			}
		}
	}
	u := row.Update().AddAttempts(1).SetError(shortError(strings.Join(failures, "; ")))
	switch {
	case len(accepted) > 0:
		u.SetStatus(notification.StatusSENT).SetProviderID(accepted[0]).SetSentAt(w.deps.opts.Now())
	case logged != "" && retryErr == nil:
		// Not delivered: SMS still takes over when the patient has it.
		u.SetStatus(notification.StatusLOGGED).SetChannel(notification.ChannelLOG).SetProviderID(logged).SetError(ErrNoProvider.Error())
	case retryErr == nil || fallback:
		// Nothing to retry, or SMS takes over now rather than after minutes of push retries.
		u.SetStatus(notification.StatusFAILED)
	}
	if err := u.Exec(ctx); err != nil {
		return len(accepted) > 0, fmt.Errorf("recording push result: %w", err)
	}
	return len(accepted) > 0, retryErr
}

// sms sends the text message: nil when accepted, the error for River to retry, or JobCancel when it
// can never be sent (or may already have been: a second SMS is worse than a lost one).
func (w *TicketMessageWorker) sms(ctx context.Context, r *rows, m Message, phone string) error {
	body := Render(m)
	row, err := r.claim(ctx, SMS, phone, body)
	if err != nil {
		return err
	}
	return sendSMS(ctx, w.deps.opts, row, phone, body)
}

// sendSMS sends body to phone and records the outcome on row, the job's claimed Notification row:
// nil when accepted, the error for River to retry (the row stays PENDING), or JobCancel when it can
// never be sent or may already have been (the row is FAILED).
func sendSMS(ctx context.Context, opts Options, row *ent.Notification, phone, body string) error {
	if row.Status == notification.StatusFAILED {
		return river.JobCancel(errors.New("SMS failed permanently on an earlier attempt"))
	}
	id, sendErr := opts.SMS.Send(ctx, phone, body)
	u := row.Update().AddAttempts(1)
	switch {
	case sendErr == nil:
		u.SetStatus(notification.StatusSENT).SetProviderID(id).SetSentAt(opts.Now()).ClearError()
	case errors.Is(sendErr, ErrNoProvider):
		u.SetStatus(notification.StatusLOGGED).SetChannel(notification.ChannelLOG).SetProviderID(id).SetError(sendErr.Error())
		sendErr = nil // final: there is nothing to retry
	case permanent(sendErr) || maybeSent(sendErr):
		u.SetStatus(notification.StatusFAILED).SetError(shortError(sendErr.Error()))
	default:
		u.SetError(shortError(sendErr.Error())) // stays PENDING: River retries
	}
	if err := u.Exec(ctx); err != nil {
		return fmt.Errorf("recording SMS result: %w", err)
	}
	switch {
	case sendErr == nil:
		return nil
	case permanent(sendErr) || maybeSent(sendErr):
		return river.JobCancel(sendErr)
	default:
		return sendErr
	}
}

// permanent reports an error whose sender says a retry cannot succeed (twilio.Error, fcm.Error).
func permanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

// maybeSent reports a failure after which the provider may have accepted the message all the same.
func maybeSent(err error) bool {
	var m interface{ MaybeSent() bool }
	return errors.As(err, &m) && m.MaybeSent()
}

// accountDevices are the devices of the patient's account (registered on any of its records), or of the
// record itself when it has no account.
func accountDevices(ctx context.Context, c *ent.Client, p *ent.Patient) ([]*ent.Device, error) {
	owner := patient.ID(p.ID)
	if p.AccountID != "" {
		owner = patient.Or(owner, patient.AccountID(p.AccountID))
	}
	ds, err := c.Device.Query().Where(device.HasPatientWith(owner)).Order(ent.Asc(device.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading devices: %w", err)
	}
	return ds, nil
}
