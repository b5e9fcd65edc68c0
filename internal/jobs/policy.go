package jobs

import (
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Notification job policy: River's defaults (25 attempts over three weeks) suit batch work, not a
// patient waiting for their turn.
const (
	// NotifyQueue is the queue of patient notifications, apart from reports so a long report never
	// delays a message.
	NotifyQueue = "notify"
	// NotifyMaxAttempts caps tries per message; NotifyRetryPolicy spreads them over about two and a
	// half minutes (10+20+40+80 s), enough to ride out a provider outage of a minute.
	NotifyMaxAttempts = 5
)

// ErrStale is the cancellation cause of a message dropped as stale: older than its deadline, or about a
// state its ticket has already left.
var ErrStale = errors.New("message dropped: older than its deadline")

// NotifyInsertOpts are the insert options of every notification job kind: its queue, a small attempt cap,
// and uniqueness by args in every state, so inserting the same event twice (a retried workflow, two
// replicas) queues one message, and a message cancelled as stale or discarded after its last attempt is
// not queued again. Args must therefore identify the event, not only the ticket (notify's args carry the
// queue version of the change). River forgets a finished job, and with it the uniqueness, when its
// cleaner deletes it (after a day).
func NotifyInsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       NotifyQueue,
		MaxAttempts: NotifyMaxAttempts,
		UniqueOpts: river.UniqueOpts{
			ByArgs: true,
			ByState: []rivertype.JobState{
				rivertype.JobStateAvailable, rivertype.JobStateCompleted, rivertype.JobStatePending,
				rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled,
				rivertype.JobStateCancelled, rivertype.JobStateDiscarded,
			},
		},
	}
}

// Defaults of NotifyRetryPolicy.
const (
	DefaultNotifyRetryBase = 10 * time.Second
	DefaultNotifyRetryMax  = 3 * time.Minute
)

// NotifyRetryPolicy retries with exponential backoff, Base·2^(n-1) after the n-th failure, capped at Max
// (a provider outage of a minute is ridden out; a message is never held back for hours). The delay is
// shortened by up to 10% depending on the job id, so jobs that failed together during an outage do not
// all retry in the same instant. It implements river.ClientRetryPolicy; workers of notification kinds
// return it from NextRetry.
type NotifyRetryPolicy struct {
	Base time.Duration    // DefaultNotifyRetryBase when zero
	Max  time.Duration    // DefaultNotifyRetryMax when zero
	Now  func() time.Time // time.Now when nil
}

// NextRetry is when job, which has just failed, runs again.
func (p NotifyRetryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	// Counting errors rather than attempts keeps snoozes (which are not failures) out of the backoff;
	// the failure being handled is not yet among job.Errors.
	return now().UTC().Add(p.Delay(len(job.Errors)+1, job.ID))
}

// Delay is the wait after the failures-th failure of the job with id jobID.
func (p NotifyRetryPolicy) Delay(failures int, jobID int64) time.Duration {
	base, ceiling := p.Base, p.Max
	if base <= 0 {
		base = DefaultNotifyRetryBase
	}
	if ceiling <= 0 {
		ceiling = DefaultNotifyRetryMax
	}
	d := base
	for i := 1; i < failures && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	spread := jobID % 11
	if spread < 0 {
		spread = -spread
	}
	return d - d*time.Duration(spread)/100
}

// Stale reports whether job was enqueued more than maxAge ago, measured from its insertion (retries
// and snoozes do not reset it). A worker drops such a message, records it as stale, and returns
// river.JobCancel(ErrStale) so River neither retries it nor counts it as a failure. A zero maxAge
// never goes stale.
func Stale(job *rivertype.JobRow, maxAge time.Duration) bool {
	return staleAt(job, maxAge, time.Now())
}

func staleAt(job *rivertype.JobRow, maxAge time.Duration, now time.Time) bool {
	return maxAge > 0 && now.Sub(job.CreatedAt) > maxAge
}
