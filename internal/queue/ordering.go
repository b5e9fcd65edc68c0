package queue

import (
	"cmp"
	"slices"
	"time"
)

// Entry is what ordering needs to know about one waiting ticket.
type Entry struct {
	ID          string
	Level       Level
	CheckedInAt time.Time
	Deadline    time.Time
}

// Compare orders a before b (negative), after b (positive) or the same (zero, only for equal IDs).
//
// TRIAGE: the urgent group (IMMEDIATE, VERY_URGENT) before everyone else; inside each group the earliest
// Deadline first. Deadlines rather than levels inside a group are what keep anyone from starving: a
// NON_URGENT patient who has waited long enough overtakes newly arrived STANDARD ones. The group split
// keeps a long-overdue STANDARD case from holding back a VERY_URGENT one.
// FIFO, and any unknown policy: check-in time first.
// Both break ties by check-in time, then ID, so the order is total and the same on every replica.
func Compare(p Policy, a, b Entry) int {
	if p == PolicyTriage {
		if ua, ub := a.Level.Urgent(), b.Level.Urgent(); ua != ub {
			if ua {
				return -1
			}
			return 1
		}
		if c := a.Deadline.Compare(b.Deadline); c != 0 {
			return c
		}
	}
	if c := a.CheckedInAt.Compare(b.CheckedInAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// Less reports whether a is called before b under policy p (see Compare).
func Less(p Policy, a, b Entry) bool { return Compare(p, a, b) < 0 }

// Sort orders entries in place, first to be called first. It is stable, so entries that share an ID
// keep their input order.
func Sort(p Policy, entries []Entry) {
	slices.SortStableFunc(entries, func(a, b Entry) int { return Compare(p, a, b) })
}

// First returns the entry to call next, or false when entries is empty. It does not reorder entries.
func First(p Policy, entries []Entry) (Entry, bool) {
	if len(entries) == 0 {
		return Entry{}, false
	}
	return slices.MinFunc(entries, func(a, b Entry) int { return Compare(p, a, b) }), true
}

// Positions returns each entry's 1-based place in line among the given entries, which should be the
// queue's WAITING tickets. IDs are expected to be unique; entries is not modified.
func Positions(p Policy, entries []Entry) map[string]int {
	sorted := slices.Clone(entries)
	Sort(p, sorted)
	pos := make(map[string]int, len(sorted))
	for i, e := range sorted {
		if _, seen := pos[e.ID]; !seen {
			pos[e.ID] = i + 1
		}
	}
	return pos
}
