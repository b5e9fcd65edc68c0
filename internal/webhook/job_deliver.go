package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/webhookdelivery"
	"github.com/carequeue/carequeue/ent/webhookendpoint"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
)

// Queue is the River queue of webhook deliveries, apart from notifications: a slow receiver must not
// hold up patients' messages.
const Queue = "webhooks"

// MaxAttempts caps the attempts of one delivery. With River's backoff (attempt⁴ seconds) the last one
// comes about 4½ hours after the first.
const MaxAttempts = 10

// DefaultTimeout bounds one attempt: a receiver should answer at once and do its work afterwards.
const DefaultTimeout = 10 * time.Second

// snippetMax caps how much of a receiver's answer the log keeps.
const snippetMax = 256

// DeliverArgs is one event to deliver to one endpoint. It holds ids only: the payload is rebuilt from
// the recorded ticket event when sent, so no patient data waits in the job table.
type DeliverArgs struct {
	EndpointID    string            `json:"endpoint_id"`
	TicketEventID string            `json:"ticket_event_id"`
	Event         enum.WebhookEvent `json:"event"`
	MessageID     string            `json:"message_id"`
	Replay        bool              `json:"replay,omitempty"`
}

// Kind is stored in river_job.kind: never rename it.
func (DeliverArgs) Kind() string { return "webhook_deliver" }

// InsertOpts puts deliveries on their own queue with their attempt cap. They are not unique: a replay
// is a new job for the same message.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: MaxAttempts}
}

// WorkerOptions configure the delivery worker; cmd builds them.
type WorkerOptions struct {
	// Key is the server's key for endpoint secrets (the same as the Service's).
	Key []byte
	// Production refuses to connect to internal addresses (GuardDial).
	Production bool
	// Timeout bounds one attempt (DefaultTimeout when zero).
	Timeout time.Duration
	Logger  *slog.Logger
	Now     func() time.Time
	// Transport replaces the HTTP transport (tests); nil builds one with the production guard.
	Transport http.RoundTripper
}

// DeliverWorker sends one delivery and logs the attempt.
type DeliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	db       *store.DB
	opts     WorkerOptions
	client   *http.Client
	finished finishedJobs
	// retryAt holds, by job id, when a receiver that answered 429 or 503 asked to be tried again, from
	// Work until River asks NextRetry (both run in this process, one after the other).
	retryAt sync.Map
}

// NewDeliverWorker returns the delivery worker on db.
func NewDeliverWorker(db *store.DB, opts WorkerOptions) *DeliverWorker {
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	tr := opts.Transport
	if tr == nil {
		d := &net.Dialer{Timeout: opts.Timeout}
		if opts.Production {
			d.Control = GuardDial
		}
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = nil // a proxy would dial for us, past the guard
		t.DialContext = d.DialContext
		t.MaxIdleConnsPerHost = 4
		tr = t
	}
	return &DeliverWorker{db: db, opts: opts, client: &http.Client{
		Transport: tr, Timeout: opts.Timeout,
		// Redirects are not followed: the admin registered this URL, not wherever it points.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Timeout lets River cancel an attempt a little after the HTTP client would have.
func (w *DeliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration {
	return w.opts.Timeout + 5*time.Second
}

// Work delivers the job's event. An endpoint deleted or disabled since is skipped without a log row.
// A transient failure returns an error (River retries with its backoff); a permanent one cancels the job.
func (w *DeliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	defer func() { w.finished.add(job.ID, time.Now()) }()
	sys := auth.SystemContext(ctx)
	c := w.db.Ent
	ep, err := c.WebhookEndpoint.Query().Where(webhookendpoint.ID(pulid.ID(job.Args.EndpointID))).Only(sys)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading webhook endpoint: %w", err)
	}
	if !ep.Enabled || !Allowed(ep.Events, job.Args.Event) {
		return nil
	}
	if !job.Args.Replay {
		if err := waitForEarlier(ctx, w.db, &w.finished, job.ID, job.Args.EndpointID); err != nil {
			return err
		}
	}
	ev, err := c.TicketEvent.Get(sys, pulid.ID(job.Args.TicketEventID))
	if err != nil {
		return fmt.Errorf("reading ticket event: %w", err)
	}
	p, err := buildPayload(sys, c, ep, job.Args.Event, ev)
	if err != nil {
		return err
	}
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encoding webhook payload: %w", err)
	}
	prior, err := c.WebhookDelivery.Query().Where(webhookdelivery.MessageID(job.Args.MessageID)).Count(sys)
	if err != nil {
		return fmt.Errorf("counting webhook attempts: %w", err)
	}
	status, retryAfter, snippet, took, sendErr := w.send(ctx, ep, job.Args.MessageID, body)
	out := Classify(status, sendErr)
	row := c.WebhookDelivery.Create().
		SetMessageID(job.Args.MessageID).SetEvent(job.Args.Event).SetAttempt(prior + 1).
		SetDurationMs(int(took.Milliseconds())).SetErrorClass(out.Class).SetResponseSnippet(snippet).
		SetReplay(job.Args.Replay).SetTicketEventID(ev.ID).SetEndpointID(ep.ID).SetFacilityID(ep.FacilityID)
	if status != 0 {
		row.SetHTTPStatus(status)
	}
	retry := out.Retry && job.Attempt < job.MaxAttempts
	switch {
	case out.OK:
		row.SetStatus(webhookdelivery.StatusSUCCEEDED)
	case retry:
		row.SetStatus(webhookdelivery.StatusRETRYING)
	default:
		row.SetStatus(webhookdelivery.StatusFAILED)
	}
	if err := row.Exec(sys); err != nil {
		return fmt.Errorf("logging webhook delivery: %w", err)
	}
	if delay, ok := RetryAfter(status, retryAfter, w.opts.Now()); ok && retry {
		w.retryAt.Store(job.ID, time.Now().Add(delay))
	}
	w.opts.Logger.InfoContext(ctx, "webhook delivery", "endpoint", ep.ID, "message", job.Args.MessageID,
		"event", job.Args.Event.Wire(), "attempt", prior+1, "status", status, "class", out.Class, "ms", took.Milliseconds())
	switch {
	case out.OK:
		return nil
	case out.Retry:
		return fmt.Errorf("webhook delivery failed (%s)", out.Class)
	default:
		return river.JobCancel(fmt.Errorf("webhook delivery refused (%s)", out.Class))
	}
}

// NextRetry schedules the retry when the receiver said when (RetryAfter); otherwise River's backoff.
func (w *DeliverWorker) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	if at, ok := w.retryAt.LoadAndDelete(job.ID); ok {
		return at.(time.Time)
	}
	return time.Time{}
}

// send POSTs body, signed for this attempt, and returns the receiver's status, its Retry-After header
// and the start of its answer.
func (w *DeliverWorker) send(ctx context.Context, ep *ent.WebhookEndpoint, id string, body []byte) (status int, retryAfter, head string, took time.Duration, err error) {
	ts := w.opts.Now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return 0, "", "", 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "CareQueue-Webhooks/1")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", Sign(secretKey(w.opts.Key, string(ep.ID), ep.SecretSalt), id, ts, body))
	start := time.Now()
	res, err := w.client.Do(req)
	if err != nil {
		return 0, "", "", time.Since(start), err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, snippetMax))
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // let the connection be reused
	return res.StatusCode, res.Header.Get("Retry-After"), snippet(b), time.Since(start), nil
}

// snippet keeps the printable, valid UTF-8 part of b: a receiver's answer is shown to admins as text.
func snippet(b []byte) string {
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		if r == utf8.RuneError && n <= 1 {
			continue
		}
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			r = ' '
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// Allowed reports whether event is among subs.
func Allowed(subs []enum.WebhookEvent, event enum.WebhookEvent) bool {
	return len(Subscribed([]enum.WebhookEvent{event}, subs)) == 1
}

// AddWorker registers the delivery worker on w.
func AddWorker(w *river.Workers, db *store.DB, opts WorkerOptions) error {
	return river.AddWorkerSafely(w, NewDeliverWorker(db, opts))
}
