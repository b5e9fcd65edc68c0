package notify

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// QueueAheadArgs asks for a queue's waiting line to be checked for tickets that reached its "notify
// ahead" position. One is enqueued per queue version, so every change is re-checked after commit.
type QueueAheadArgs struct {
	QueueID string `json:"queue_id"`
	Version int    `json:"version"`
}

// Kind is stored in river_job.kind: renaming it strands queued jobs.
func (QueueAheadArgs) Kind() string { return "notify_queue_ahead" }

// InsertOpts puts the job on the notify queue, unique by args (see insertOpts).
func (QueueAheadArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// QueueAheadWorker finds the waiting tickets of a queue that reached its "notify ahead" position and
// enqueues one Ahead message for each, once per ticket (Ticket.notified_ahead). In the same pass over
// the same read of the queue it finds the tickets whose wait range moved materially since their patient
// was last told (WaitChange, against Ticket.wait_told_*) and enqueues a WaitChanged message for each.
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

// Work reads the queue's current line (not the line at job.Args.Version: a later change may have
// moved tickets on) and, in one transaction, marks the tickets due and enqueues their messages.
func (w *QueueAheadWorker) Work(ctx context.Context, job *river.Job[QueueAheadArgs]) error {
	ctx = auth.SystemContext(ctx)
	st, err := w.deps.queues.ReadState(ctx, pulid.ID(job.Args.QueueID), nil)
	if err != nil {
		return fmt.Errorf("reading queue %s: %w", job.Args.QueueID, err)
	}
	snap := st.Snapshot
	now := w.deps.opts.Now()
	var due []pulid.ID
	var changed []waitChange
	for _, t := range snap.Waiting {
		pos := snap.Position(t.ID)
		if pos == nil {
			continue
		}
		if ShouldNotifyAhead(*pos, snap.Queue.NotifyAhead, t.NotifiedAhead) {
			due = append(due, t.ID)
			continue
		}
		told := toldWait(t)
		if p := snap.Place(t.ID); WaitChange(told, now, p.EstimatedWait, *pos, snap.Queue.NotifyAhead) {
			changed = append(changed, waitChange{id: t.ID, told: told.At, now: *p.EstimatedWait})
		}
	}
	if due, err = w.arrived(ctx, due); err != nil || len(due)+len(changed) == 0 {
		return err
	}
	// The worker's own client inserts: the jobs.Client is built after the workers it runs.
	rc, err := river.ClientFromContextSafely[*sql.Tx](ctx)
	if err != nil {
		return err
	}
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
			args := TicketMessageArgs{TicketID: string(id), MessageKind: Ahead, Version: snap.Version}
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
			args := TicketMessageArgs{TicketID: string(c.id), MessageKind: WaitChanged, Version: snap.Version}
			if _, err := rc.InsertTx(ctx, tx.SQL, args, nil); err != nil {
				return fmt.Errorf("enqueuing wait change message: %w", err)
			}
		}
		return nil
	})
}
