package notify

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// Enqueuer turns queue workflow steps into notification jobs, inserted in the workflow's own
// transaction: a rolled-back change enqueues nothing, a committed one always has its jobs.
type Enqueuer struct {
	jobs *jobs.Client
}

var _ queue.Enqueuer = (*Enqueuer)(nil)

// NewEnqueuer returns an Enqueuer inserting through c (an insert-only client is enough).
func NewEnqueuer(c *jobs.Client) *Enqueuer { return &Enqueuer{jobs: c} }

// TicketChanged enqueues the message the action owes the ticket's patient, if any, and a re-check of
// the queue's "notify ahead" positions at version, the change's queue version, in one insert.
func (e *Enqueuer) TicketChanged(ctx context.Context, tx *store.Tx, version int, t *ent.Ticket, action queue.Action) error {
	batch := make([]river.InsertManyParams, 0, 2)
	if kind, ok := messageFor(t, action); ok {
		batch = append(batch, river.InsertManyParams{Args: TicketMessageArgs{TicketID: string(t.ID), MessageKind: kind, Version: version}})
	}
	batch = append(batch, river.InsertManyParams{Args: QueueAheadArgs{QueueID: string(t.QueueID), Version: version}})
	_, err := e.jobs.InsertManyTx(ctx, tx, batch)
	return err
}

// messageFor is the message a workflow step owes the patient of t. A transfer calls TicketChanged for
// both tickets: only the new one, waiting in its new queue, gets a message.
func messageFor(t *ent.Ticket, action queue.Action) (Kind, bool) {
	switch action {
	case queue.ActionCheckIn:
		return CheckedIn, true
	case queue.ActionCall, queue.ActionRecall:
		return Called, true
	case queue.ActionCancel:
		return Cancelled, true
	case queue.ActionTransfer:
		if t.Status == ticket.StatusWAITING && t.Source == ticket.SourceTRANSFER {
			return Transferred, true
		}
	default:
		// Start, complete, no-show and re-triage happen with the patient in the room: nothing to tell.
	}
	return "", false
}
