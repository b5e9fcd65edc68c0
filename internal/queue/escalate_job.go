package queue

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
)

// EscalateArgs is the periodic job that escalates tickets past their queue's maximum wait and
// announces the start of urgent-share warnings.
type EscalateArgs struct{}

// Kind is stored in river_job.kind: never rename it.
func (EscalateArgs) Kind() string { return "queue_escalate_overdue" }

// EscalateJob schedules the escalation every period (ESCALATION_INTERVAL: a patient is escalated
// within this long of passing the maximum wait), and once at start. One run per period even with
// several leaders in a row; a failed run is not retried, the next period's run does the same work.
func EscalateJob(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return EscalateArgs{}, &river.InsertOpts{Queue: MaintenanceQueue, MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: every}}
	}, &river.PeriodicJobOpts{RunOnStart: true})
}

// EscalateWorker runs the escalation with s, whose Publisher tells every dashboard.
type EscalateWorker struct {
	river.WorkerDefaults[EscalateArgs]
	s *Service
}

// NewEscalateWorker returns the worker. s needs a Publisher for the dashboards to see escalations live
// and an Announcer for the nurse in charge to be told.
func NewEscalateWorker(s *Service) *EscalateWorker { return &EscalateWorker{s: s} }

// Work escalates the overdue tickets and announces the urgent-share warnings that started; a failure of
// one does not hold up the other.
func (w *EscalateWorker) Work(ctx context.Context, _ *river.Job[EscalateArgs]) error {
	_, escErr := w.s.EscalateOverdue(ctx)
	_, warnErr := w.s.AnnounceWarnings(ctx)
	return errors.Join(escErr, warnErr)
}
