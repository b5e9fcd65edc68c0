// Package analytics owns how a department's performance is measured: per queue and day, arrivals,
// patients served, no-shows, cancellations, the median and 90th-percentile wait (check-in to first
// call), the median service time (start to completion), and for each triage level the share of
// patients called within their target. A patient counts against the level they had when first called
// (the last triage before the call), so a re-triage after the call changes neither their level's
// figures nor the one they were moved to. The computation is pure: the daily job and the "today so
// far" figures feed it the day's tickets.
package analytics

import (
	"time"

	"github.com/carequeue/carequeue/internal/queue"
)

// Ticket is what the figures need of one ticket.
type Ticket struct {
	Level       queue.Level
	Status      queue.Status
	CheckedInAt time.Time
	// TargetAt is the deadline: check-in (or appointment) plus the level's target wait.
	TargetAt  time.Time
	CalledAt  *time.Time
	StartedAt *time.Time
	EndedAt   *time.Time
	// Internal marks a ticket that is not a new arrival for the group being measured: a transfer
	// between two queues of the same department, in the department's total.
	Internal bool
}

// CountedAt returns t counted against level, the level it had when it was first called, with the
// deadline that level gave it: a re-triage after the call moved the ticket's level and deadline (by the
// difference of the two levels' targets, both counted from the same arrival), and the call is judged by
// what was owed when it was made. targets are the queue's; a level equal to t.Level, or unknown (the
// ticket was never called), leaves t as it is.
func (t Ticket) CountedAt(level queue.Level, targets queue.Targets) Ticket {
	if level == t.Level || !level.Valid() {
		return t
	}
	t.TargetAt = t.TargetAt.Add(targets.For(level) - targets.For(t.Level))
	t.Level = level
	return t
}

// Figures are one queue's (or department's) figures for one day. Durations are nil when no ticket
// contributed to them.
type Figures struct {
	Arrivals, Served, NoShows, Cancellations int
	MedianWait, P90Wait, MedianService       *time.Duration
	// WithinTarget maps a level to the share (0 to 1) of its called patients called by their deadline;
	// levels with no called patient are absent.
	WithinTarget map[queue.Level]float64
}

// Compute returns the figures of the tickets that arrived on one day. Waits count only tickets that
// were called; service times only completed ones with a start; arrivals only tickets not Internal.
func Compute(ts []Ticket) Figures {
	f := Figures{WithinTarget: map[queue.Level]float64{}}
	var waits, services []time.Duration
	called := map[queue.Level]int{}
	onTime := map[queue.Level]int{}
	for _, t := range ts {
		if !t.Internal {
			f.Arrivals++
		}
		switch t.Status {
		case queue.StatusCompleted:
			f.Served++
			if t.StartedAt != nil && t.EndedAt != nil && !t.EndedAt.Before(*t.StartedAt) {
				services = append(services, t.EndedAt.Sub(*t.StartedAt))
			}
		case queue.StatusNoShow:
			f.NoShows++
		case queue.StatusCancelled:
			f.Cancellations++
		default:
			// Still open, or transferred: the visit goes on in another queue, which counts it.
		}
		if t.CalledAt == nil {
			continue
		}
		waits = append(waits, max(t.CalledAt.Sub(t.CheckedInAt), 0))
		called[t.Level]++
		if !t.CalledAt.After(t.TargetAt) {
			onTime[t.Level]++
		}
	}
	f.MedianWait = durationOf(waits, 50)
	f.P90Wait = durationOf(waits, 90)
	f.MedianService = durationOf(services, 50)
	for level, n := range called {
		f.WithinTarget[level] = float64(onTime[level]) / float64(n)
	}
	return f
}

func durationOf(ds []time.Duration, p float64) *time.Duration {
	if len(ds) == 0 {
		return nil
	}
	var d time.Duration
	if p == 50 {
		d = queue.Median(ds)
	} else {
		d = queue.Percentile(ds, p)
	}
	return &d
}

// Day returns the instants a facility-local day (YYYY-MM-DD) starts and ends in loc: the bounds of
// the tickets that belong to it. A day with a daylight-saving change is 23 or 25 hours long.
func Day(day string, loc *time.Location) (start, end time.Time, err error) {
	d, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	return d, d.AddDate(0, 0, 1), nil
}
