package queue

import (
	"fmt"
	"time"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// Targets holds a queue's target maximum wait per triage level. It is a struct rather than a map so a
// level can never be missing; For looks a level up.
type Targets struct {
	Immediate  time.Duration
	VeryUrgent time.Duration
	Urgent     time.Duration
	Standard   time.Duration
	NonUrgent  time.Duration
}

// DefaultTargets returns the Manchester Triage System defaults (DESIGN.md): IMMEDIATE 0, VERY_URGENT 10,
// URGENT 60, STANDARD 120, NON_URGENT 240 minutes.
func DefaultTargets() Targets {
	return Targets{
		Immediate:  0,
		VeryUrgent: 10 * time.Minute,
		Urgent:     60 * time.Minute,
		Standard:   120 * time.Minute,
		NonUrgent:  240 * time.Minute,
	}
}

// For returns the target wait of level l. An unknown level gets the STANDARD target, like Level.Rank.
func (t Targets) For(l Level) time.Duration {
	return t.inOrder()[l.Rank()]
}
func (t Targets) inOrder() [5]time.Duration {
	return [5]time.Duration{t.Immediate, t.VeryUrgent, t.Urgent, t.Standard, t.NonUrgent}
}

// Validate returns BAD_USER_INPUT unless every target is zero or more and no level's target is shorter
// than that of a more urgent level: a less urgent patient must never be owed a quicker call.
func (t Targets) Validate() error {
	ts := t.inOrder()
	for i, d := range ts {
		if d < 0 {
			return cqerr.Ef(cqerr.BadUserInput, "target wait for %s must not be negative (got %s)",
				levels[i], minutes(d))
		}
		if i > 0 && d < ts[i-1] {
			return cqerr.Ef(cqerr.BadUserInput,
				"target wait for %s (%s) must not be shorter than for the more urgent %s (%s)",
				levels[i], minutes(d), levels[i-1], minutes(ts[i-1]))
		}
	}
	return nil
}

// minutes shows a target the way admins enter it: in whole minutes when it is one.
func minutes(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return d.String()
}

// Deadline is when a ticket breaches its target: check-in plus the level's target wait. For an
// appointment (scheduledAt non-nil) the clock starts at the later of the scheduled time and check-in,
// so arriving early buys no priority and arriving late costs none beyond the lateness itself.
func Deadline(checkedInAt time.Time, scheduledAt *time.Time, level Level, t Targets) time.Time {
	start := checkedInAt
	if scheduledAt != nil && scheduledAt.After(start) {
		start = *scheduledAt
	}
	return start.Add(t.For(level))
}
