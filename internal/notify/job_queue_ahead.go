package notify

import (
	"github.com/riverqueue/river"

	"github.com/carequeue/carequeue/internal/jobs"
)

// QueueAheadArgs asks for a queue's waiting line to be checked for tickets that reached its "notify
// ahead" position. One is enqueued per queue version, so every change is re-checked after commit.
type QueueAheadArgs struct {
	QueueID string `json:"queue_id"`
	Version int    `json:"version"`
}

// Kind is stored in river_job.kind: renaming it strands queued jobs.
func (QueueAheadArgs) Kind() string { return "notify_queue_ahead" }

// InsertOpts puts the job on the notify queue, unique by args.
func (QueueAheadArgs) InsertOpts() river.InsertOpts { return jobs.NotifyInsertOpts() }
