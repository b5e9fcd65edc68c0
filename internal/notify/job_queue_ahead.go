package notify

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// QueueAheadArgs asks for a queue's waiting line to be checked for tickets that reached its "notify
// ahead" position. One is enqueued per queue version (in the change's transaction), so every change is
// re-checked after commit; the worker coalesces them (see QueueAheadWorker).
type QueueAheadArgs struct {
	QueueID string `json:"queue_id"`
	Version int    `json:"version"`
}

// Kind is stored in river_job.kind: renaming it strands queued jobs.
func (QueueAheadArgs) Kind() string { return "notify_queue_ahead" }

// AheadQueue is the River queue of the "notify ahead" passes, apart from the messages (Queue): a burst
// of check-ins queues one pass per change, and none of them may hold back a message or a webhook.
// AheadWorkers is how many passes one process runs at once: one keeps a burst's passes coalescing
// (each run finds the line already moved on and forwards) and leaves the other core to live delivery.
const (
	AheadQueue   = "notify_ahead"
	AheadWorkers = 1
)

// InsertOpts puts the job on the ahead queue, unique by args with the notify policy (see insertOpts).
func (QueueAheadArgs) InsertOpts() river.InsertOpts {
	o := insertOpts()
	o.Queue = AheadQueue
	return o
}

// AheadOutcome is what one run of QueueAheadWorker did.
type AheadOutcome string

// The outcomes of a QueueAheadWorker run.
const (
	// AheadForwarded: the queue had moved past the job's version; the run made sure a job for the
	// current version exists and read nothing else (one primary-key read and one unique insert).
	AheadForwarded AheadOutcome = "forwarded"
	// AheadChecked: a pass over the line's narrow read, without estimates (nobody could be owed a
	// wait change).
	AheadChecked AheadOutcome = "checked"
	// AheadEstimated: a pass that also computed the line's estimates for its wait-change candidates.
	AheadEstimated AheadOutcome = "estimated"
)

// QueueAheadWorker finds the waiting tickets of a queue that reached its "notify ahead" position and
// enqueues one Ahead message for each, once per ticket (Ticket.notified_ahead). In the same pass over
// the same read of the queue it finds the tickets whose wait range moved materially since their patient
// was last told (WaitChange, against Ticket.wait_told_*) and enqueues a WaitChanged message for each.
//
// Passes are coalesced per queue: a job whose version is older than the queue's current one does no
// pass, it only makes sure the current version's job exists (normally the change that made it enqueued
// it; a change that did not, such as an escalation, gets it here) and returns. That job reads the line
// as it is when it runs, which includes every older change, so a burst of N check-ins costs N cheap
// forwards and as many passes as the worker catches up with the queue, not N passes. A pass reads the
// line narrowly (ordering and notification columns, one statement) and computes estimates, which need
// the queue's history and the estimator, only when a ticket could be owed a wait change (PlanAhead).
type QueueAheadWorker struct {
	river.WorkerDefaults[QueueAheadArgs]
	deps *deps
}

// NextRetry spreads retries over minutes, not River's weeks (RetryPolicy).
func (w *QueueAheadWorker) NextRetry(job *river.Job[QueueAheadArgs]) time.Time {
	return w.deps.opts.Retry.NextRetry(job.JobRow)
}

// arrived keeps the tickets whose arrival message (check-in or transfer) was already handled: until
// then that message may still say "you are number 2" itself (TicketMessageWorker.arrivedNear).
func (w *QueueAheadWorker) arrived(ctx context.Context, ids []pulid.ID) ([]pulid.ID, error) {
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = string(id)
	}
	rows, err := w.deps.db.Ent.Notification.Query().
		Where(notification.TicketIDIn(strs...), notification.KindIn(string(CheckedIn), string(Transferred))).
		Select(notification.FieldTicketID).Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading arrival messages: %w", err)
	}
	handled := map[string]bool{}
	for _, id := range rows {
		handled[id] = true
	}
	var out []pulid.ID
	for _, id := range ids {
		if handled[string(id)] {
			out = append(out, id)
		}
	}
	return out, nil
}

// olderVersions selects, per dialect, the jobs of one queue (@ahead_queue) for a version before
// @below_version. River replaces named arguments as text, after its own (such as @queue): no name
// of ours may start with one of its.
var olderVersions = map[store.Dialect]string{
	store.Postgres: "args->>'queue_id' = @ahead_queue AND (args->>'version')::bigint < @below_version",
	store.SQLite:   "args ->> '$.queue_id' = @ahead_queue AND args ->> '$.version' < @below_version",
}

// dropOlder deletes the queue's waiting jobs for versions before v, once the job for v exists: each
// would only find the queue past its version and forward to v again. A burst of check-ins then costs
// one forward per catch-up instead of one per check-in (River fetches one job at a time from this
// queue, at most every FetchCooldown, so a backlog of forwards also delayed the passes by minutes).
// Jobs already running, retrying or scheduled are left alone.
func (w *QueueAheadWorker) dropOlder(ctx context.Context, rc *river.Client[*sql.Tx], queueID string, v int) error {
	params := river.NewJobDeleteManyParams().
		Kinds(QueueAheadArgs{}.Kind()).
		Queues(AheadQueue).
		States(rivertype.JobStateAvailable).
		Where(olderVersions[w.deps.db.Dialect], river.NamedArgs{"ahead_queue": queueID, "below_version": v}).
		First(10_000)
	if _, err := rc.JobDeleteMany(ctx, params); err != nil {
		return fmt.Errorf("dropping the older passes of queue %s: %w", queueID, err)
	}
	return nil
}

// waitChange is a ticket whose patient is owed a WaitChanged message: now is its range, told the
// reference the decision was made against.
type waitChange struct {
	id   pulid.ID
	told time.Time
	now  queue.WaitRange
}

// toldWait is what ticket t's patient was last told about their wait, or nil.
func toldWait(t *ent.Ticket) *ToldWait {
	if t.WaitToldAt == nil {
		return nil
	}
	return &ToldWait{At: *t.WaitToldAt, Low: t.WaitToldLow, High: t.WaitToldHigh}
}

// Work coalesces (see QueueAheadWorker), then reads the queue's current line (not the line at
// job.Args.Version: a later change may have moved tickets on) and, in one transaction, marks the
// tickets due and enqueues their messages.
func (w *QueueAheadWorker) Work(ctx context.Context, job *river.Job[QueueAheadArgs]) error {
	ctx = auth.SystemContext(ctx)
	q, err := w.deps.db.Ent.Queue.Get(ctx, pulid.ID(job.Args.QueueID))
	if err != nil {
		return fmt.Errorf("reading queue %s: %w", job.Args.QueueID, err)
	}
	// The worker's own client inserts: the jobs.Client is built after the workers it runs.
	rc, err := river.ClientFromContextSafely[*sql.Tx](ctx)
	if err != nil {
		return err
	}
	if v := int(q.Version); v > job.Args.Version {
		// Unique by args: a no-op when the change at v enqueued it (waiting, running or done: a job
		// for v that ran read the line at v or later).
		if _, err := rc.Insert(ctx, QueueAheadArgs{QueueID: job.Args.QueueID, Version: v}, nil); err != nil {
			return fmt.Errorf("forwarding to version %d: %w", v, err)
		}
		if err := w.dropOlder(ctx, rc, job.Args.QueueID, v); err != nil {
			return err
		}
		w.observe(AheadForwarded)
		return nil
	}
	line, err := w.deps.queues.ReadLine(ctx, q)
	if err != nil {
		return fmt.Errorf("reading queue %s: %w", job.Args.QueueID, err)
	}
	now := w.deps.opts.Now()
	plan := make([]AheadTicket, len(line.Waiting))
	for i, t := range line.Waiting {
		plan[i] = AheadTicket{ID: string(t.ID), Position: line.Position(t.ID), NotifiedAhead: t.NotifiedAhead, Told: toldWait(t)}
	}
	dueIDs, recheck := PlanAhead(plan, q.NotifyAhead, now)
	var changed []waitChange
	if len(recheck) > 0 {
		if err := w.deps.queues.Estimate(ctx, line); err != nil {
			return fmt.Errorf("estimating queue %s: %w", job.Args.QueueID, err)
		}
		byID := make(map[string]*ent.Ticket, len(line.Waiting))
		for _, t := range line.Waiting {
			byID[string(t.ID)] = t
		}
		for _, id := range recheck {
			t := byID[id]
			told := toldWait(t)
			if p := line.Place(t.ID); WaitChange(told, now, p.EstimatedWait, line.Position(t.ID), q.NotifyAhead) {
				changed = append(changed, waitChange{id: t.ID, told: told.At, now: *p.EstimatedWait})
			}
		}
		w.observe(AheadEstimated)
	} else {
		w.observe(AheadChecked)
	}
	due := make([]pulid.ID, len(dueIDs))
	for i, id := range dueIDs {
		due[i] = pulid.ID(id)
	}
	if due, err = w.arrived(ctx, due); err != nil || len(due)+len(changed) == 0 {
		return err
	}
	version := int(q.Version)
	return w.deps.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		for _, id := range due {
			// The conditional update is the once-per-ticket guard: of two jobs racing for the same
			// ticket, only the one that flips the flag enqueues the message.
			n, err := tx.Client.Ticket.Update().
				Where(ticket.ID(id), ticket.NotifiedAhead(false), ticket.StatusEQ(ticket.StatusWAITING)).
				SetNotifiedAhead(true).
				Save(ctx)
			if err != nil {
				return fmt.Errorf("marking ticket %s notified ahead: %w", id, err)
			}
			if n == 0 {
				continue
			}
			args := TicketMessageArgs{TicketID: string(id), MessageKind: Ahead, Version: version}
			if _, err := rc.InsertTx(ctx, tx.SQL, args, nil); err != nil {
				return fmt.Errorf("enqueuing ahead message: %w", err)
			}
		}
		for _, c := range changed {
			// As above, the conditional update is the guard: a job racing this one for the same
			// ticket finds the reference already moved to now, within WaitChangeSpacing, and stops.
			n, err := tx.Client.Ticket.Update().
				Where(ticket.ID(c.id), ticket.StatusEQ(ticket.StatusWAITING), ticket.WaitToldAtLTE(now.Add(-WaitChangeSpacing))).
				SetWaitToldAt(now).
				SetWaitToldLow(max(0, c.now.LowMinutes)).
				SetWaitToldHigh(c.now.HighMinutes).
				Save(ctx)
			if err != nil {
				return fmt.Errorf("recording the wait change of ticket %s: %w", c.id, err)
			}
			if n == 0 {
				continue
			}
			w.deps.opts.Logger.InfoContext(ctx, "wait changed", slog.String("ticket_id", string(c.id)),
				slog.Time("told_at", c.told), slog.Int("low", c.now.LowMinutes), slog.Int("high", c.now.HighMinutes))
			args := TicketMessageArgs{TicketID: string(c.id), MessageKind: WaitChanged, Version: version}
			if _, err := rc.InsertTx(ctx, tx.SQL, args, nil); err != nil {
				return fmt.Errorf("enqueuing wait change message: %w", err)
			}
		}
		return nil
	})
}

// observe reports a run's outcome to Options.OnAhead, when set.
func (w *QueueAheadWorker) observe(o AheadOutcome) {
	if f := w.deps.opts.OnAhead; f != nil {
		f(o)
	}
}
