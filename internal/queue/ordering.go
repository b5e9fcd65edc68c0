package queue

import (
	"cmp"
	"slices"
	"time"

	"github.com/carequeue/carequeue/ent"
)

// Entry is what ordering needs to know about one waiting ticket.
type Entry struct {
	ID          string
	Level       Level
	CheckedInAt time.Time
	// ArrivedAt is when the visit started (before CheckedInAt for a transfer that kept its arrival);
	// zero means CheckedInAt.
	ArrivedAt time.Time
	Deadline  time.Time
}

// arrival is e's ArrivedAt, or its CheckedInAt when that is unset.
func (e Entry) arrival() time.Time {
	if e.ArrivedAt.IsZero() {
		return e.CheckedInAt
	}
	return e.ArrivedAt
}

// DefaultEscalation is the multiple of a level's target after which TRIAGE_DEADLINE_AWARE escalates a
// patient when Order.Escalation is unset (the queue's escalation_percent defaults to the same).
const DefaultEscalation = 1.5

// Order is a queue's ordering rule at one instant. TRIAGE and FIFO do not depend on the instant;
// TRIAGE_DEADLINE_AWARE does (who is past their target changes as time passes), so it needs Now and
// the queue's Targets. The zero Now orders TRIAGE_DEADLINE_AWARE as if nobody had waited at all.
type Order struct {
	Policy Policy
	Now    time.Time
	// Targets are the queue's target waits, used for the escalation point.
	Targets Targets
	// Escalation is the multiple of a level's target after which a patient is escalated; below 1 means
	// DefaultEscalation.
	Escalation float64
}

// OrderOf returns the ordering rule of queue q at now.
func OrderOf(q *ent.Queue, now time.Time) Order {
	return Order{Policy: Policy(q.Ordering), Now: now, Targets: TargetsOf(q), Escalation: float64(q.EscalationPercent) / 100}
}

// Compare orders a before b (negative), after b (positive) or the same (zero, only for equal IDs).
//
// TRIAGE, in classes: IMMEDIATE; VERY_URGENT; everyone else. Inside each class the earliest Deadline
// first. IMMEDIATE comes strictly first, even before a VERY_URGENT patient long past their target: an
// IMMEDIATE patient's target is no wait at all, and earliest-deadline order alone would let an overdue
// VERY_URGENT deadline win. Deadlines rather than levels inside the last class are what keep anyone from
// starving: a NON_URGENT patient who has waited long enough overtakes newly arrived STANDARD ones. The
// class split keeps a long-overdue STANDARD case from holding back a VERY_URGENT one.
//
// TRIAGE_DEADLINE_AWARE, in classes: IMMEDIATE; VERY_URGENT; then anyone who has waited past Escalation
// times their level's target (escalated, earliest arrival first: ArrivedAt, which a transfer keeps);
// then those who can still be seen within target; then those already past it. Inside every class but
// the escalated one, the earliest Deadline first. Under overload, earliest-deadline order lets everyone become late together; serving
// those still within reach first saves more targets, and escalation keeps the overdue from waiting on
// without bound.
//
// FIFO, and any unknown policy: check-in time first, i.e. the order patients joined this queue (a
// transferred patient joins at the back; arrived_at moves only the deadline, which FIFO ignores).
//
// A ticket awaiting triage carries its queue's self_check_in_level and is ordered as that level until
// someone triages it. All policies break ties by check-in time, then ID, so the order is total and the
// same on every replica.
func (o Order) Compare(a, b Entry) int { return o.compare(a, b, time.Time{}, time.Time{}) }

// compare is Compare given the escalation instants of a and b, when known (zero: worked out if needed).
func (o Order) compare(a, b Entry, escA, escB time.Time) int {
	switch o.Policy {
	case PolicyTriage:
		if c := cmp.Compare(triageClass(a.Level), triageClass(b.Level)); c != 0 {
			return c
		}
		if c := a.Deadline.Compare(b.Deadline); c != 0 {
			return c
		}
	case PolicyTriageDeadlineAware:
		ca, cb := o.class(a, escA), o.class(b, escB)
		if c := cmp.Compare(ca, cb); c != 0 {
			return c
		}
		if ca != classEscalated {
			if c := a.Deadline.Compare(b.Deadline); c != 0 {
				return c
			}
		} else if c := a.arrival().Compare(b.arrival()); c != 0 {
			// The escalated by the longest wait: since arrival, which a transfer keeps.
			return c
		}
	default: // FIFO, and any unknown policy: check-in time alone
	}
	if c := a.CheckedInAt.Compare(b.CheckedInAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// triageClass is l's class under TRIAGE: the classes of TRIAGE_DEADLINE_AWARE without the time-based
// ones, so both orderings put IMMEDIATE first and VERY_URGENT second by one definition.
func triageClass(l Level) int {
	switch {
	case l == LevelImmediate:
		return classImmediate
	case l.Urgent():
		return classVeryUrgent
	}
	return classWithinTarget
}

// The classes of TRIAGE_DEADLINE_AWARE, called in this order.
const (
	classImmediate = iota
	classVeryUrgent
	classEscalated
	classWithinTarget
	classPastTarget
)

func (o Order) class(e Entry, esc time.Time) int {
	if c := triageClass(e.Level); c != classWithinTarget {
		return c
	}
	if !o.Now.After(e.Deadline) { // escalation comes later still: Escalation is at least 1
		return classWithinTarget
	}
	if esc.IsZero() {
		esc = o.EscalatesAt(e)
	}
	if o.Now.After(esc) {
		return classEscalated
	}
	return classPastTarget
}

// EscalatesAt is when e has waited Escalation times its level's target (TRIAGE_DEADLINE_AWARE): its
// Deadline plus (Escalation − 1) targets, so an appointment's clock starts where its deadline's does.
func (o Order) EscalatesAt(e Entry) time.Time {
	k := o.Escalation
	if k < 1 {
		k = DefaultEscalation
	}
	return e.Deadline.Add(time.Duration((k - 1) * float64(o.Targets.For(e.Level))))
}

// Less reports whether a is called before b (see Compare).
func (o Order) Less(a, b Entry) bool { return o.Compare(a, b) < 0 }

// Sort orders entries in place, first to be called first. It is stable, so entries that share an ID
// keep their input order.
func (o Order) Sort(entries []Entry) { slices.SortStableFunc(entries, o.Compare) }

// First returns the entry to call next, or false when entries is empty. It does not reorder entries.
func (o Order) First(entries []Entry) (Entry, bool) {
	if len(entries) == 0 {
		return Entry{}, false
	}
	return slices.MinFunc(entries, o.Compare), true
}

// Positions returns each entry's 1-based place in line among the given entries, which should be the
// queue's WAITING tickets. IDs are expected to be unique; entries is not modified.
func (o Order) Positions(entries []Entry) map[string]int {
	sorted := slices.Clone(entries)
	o.Sort(sorted)
	pos := make(map[string]int, len(sorted))
	for i, e := range sorted {
		if _, seen := pos[e.ID]; !seen {
			pos[e.ID] = i + 1
		}
	}
	return pos
}

// Compare is Order{Policy: p}.Compare: right for TRIAGE and FIFO, which do not depend on the instant.
func Compare(p Policy, a, b Entry) int { return Order{Policy: p}.Compare(a, b) }

// Less reports whether a is called before b under policy p (see Compare).
func Less(p Policy, a, b Entry) bool { return Compare(p, a, b) < 0 }

// Sort is Order{Policy: p}.Sort.
func Sort(p Policy, entries []Entry) { Order{Policy: p}.Sort(entries) }

// First is Order{Policy: p}.First.
func First(p Policy, entries []Entry) (Entry, bool) { return Order{Policy: p}.First(entries) }

// Positions is Order{Policy: p}.Positions.
func Positions(p Policy, entries []Entry) map[string]int { return Order{Policy: p}.Positions(entries) }
