package notify

import (
	"github.com/riverqueue/river"

	"github.com/carequeue/carequeue/internal/jobs"
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

// InsertOpts puts the job on the notify queue, unique by args.
func (TicketMessageArgs) InsertOpts() river.InsertOpts { return jobs.NotifyInsertOpts() }
