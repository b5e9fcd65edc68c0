package notify

import (
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// The policy of every notification job kind; each kind's file applies it (its args' InsertOpts, its
// worker's NextRetry). River's defaults (25 attempts over three weeks) suit batch work, not a patient
// waiting for their turn.
const (
	// Queue is the River queue of patient notifications, apart from reports so a long report never
	// delays a message.
	Queue = "notify"
	// MaxAttempts caps tries per message; RetryPolicy spreads them over about two and a half minutes
	// (10+20+40+80 s), enough to ride out a provider outage of a minute.
	MaxAttempts = 5
)

// ErrStale is the cancellation cause of a message dropped as stale: older than its deadline, or about a
// state its ticket has already left. A worker records the message as stale and returns
// river.JobCancel(ErrStale), so River neither retries it nor counts it as a failure.
var ErrStale = errors.New("message dropped: older than its deadline")

// insertOpts are the insert options of every notification job kind: its queue, a small attempt cap, and
// uniqueness by args in every state, so inserting the same event twice (a retried workflow, two
// replicas) queues one message, and a message cancelled as stale or discarded after its last attempt is
// not queued again. Args must therefore identify the event, not only the ticket (they carry the queue
// version of the change). River forgets a finished job, and with it the uniqueness, when its cleaner
// deletes it (after a day).
func insertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       Queue,
		MaxAttempts: MaxAttempts,
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

// Defaults of RetryPolicy.
const (
	DefaultRetryBase = 10 * time.Second
	DefaultRetryMax  = 3 * time.Minute
)

// RetryPolicy retries with exponential backoff, Base·2^(n-1) after the n-th failure, capped at Max (a
// provider outage of a minute is ridden out; a message is never held back for hours). The delay is
// shortened by up to 10% depending on the job id, so jobs that failed together during an outage do not
// all retry in the same instant. It implements river.ClientRetryPolicy; the workers of notification
// kinds return its answer from NextRetry.
type RetryPolicy struct {
	Base time.Duration    // DefaultRetryBase when zero
	Max  time.Duration    // DefaultRetryMax when zero
	Now  func() time.Time // time.Now when nil
}

// NextRetry is when job, which has just failed, runs again.
func (p RetryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	// Counting errors rather than attempts keeps snoozes (which are not failures) out of the backoff;
	// the failure being handled is not yet among job.Errors.
	return now().UTC().Add(p.Delay(len(job.Errors)+1, job.ID))
}

// Delay is the wait after the failures-th failure of the job with id jobID.
func (p RetryPolicy) Delay(failures int, jobID int64) time.Duration {
	base, ceiling := p.Base, p.Max
	if base <= 0 {
		base = DefaultRetryBase
	}
	if ceiling <= 0 {
		ceiling = DefaultRetryMax
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
