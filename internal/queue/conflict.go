package queue

import (
	"strings"
	"time"

	"github.com/carequeue/carequeue/internal/locale"
)

// Happened is what became of a ticket, as far as a person whose action arrived too late should be
// told: where it is now, where and when it got there and by whose hand. Only the ticket's code and
// staff names: never the patient's name (a receptionist may be reading it aloud at a desk).
type Happened struct {
	// Code names the ticket ("E-014"); empty says "this ticket".
	Code   string
	Status Status
	// Point is the service point the ticket was called to or is seen in ("Room 3"); may be empty.
	Point string
	// At is when the ticket reached Status (zero: not said), written in Zone as Locale does.
	At     time.Time
	Locale string
	Zone   *time.Location
	// By is the name of the staff member who moved it there (empty: not said).
	By string
}

// ConflictMessage is the CONFLICT message for action a refused on a ticket in h.Status: what happened
// to the ticket in words staff use ("E-014 was already called to Room 3 at 10:42 by Dr Lee",
// "E-014 has already been completed"), then, when there is one, what to do instead ("recall it to call
// it again"). It never writes a status or action code. Pure.
func ConflictMessage(a Action, h Happened) string {
	msg := happened(h)
	if hint := conflictHint(a, h.Status); hint != "" {
		msg += "; " + hint
	}
	return msg
}

// happened says where the ticket is now.
func happened(h Happened) string {
	subject := h.Code
	if subject == "" {
		subject = "This ticket"
	}
	var b strings.Builder
	b.WriteString(subject)
	switch h.Status {
	case StatusWaiting:
		// Where and when it waits says nothing new: it is still waiting.
		b.WriteString(" is still waiting and has not been called yet")
		return b.String()
	case StatusCalled:
		b.WriteString(" was already called")
		if h.Point != "" {
			b.WriteString(" to " + h.Point)
		}
	case StatusInService:
		b.WriteString(" is already being seen")
		if h.Point != "" {
			b.WriteString(" in " + h.Point)
		}
		if h.By != "" {
			b.WriteString(" by " + h.By)
		}
		if !h.At.IsZero() {
			b.WriteString(" since " + locale.Time(h.At, h.Locale, h.Zone))
		}
		return b.String()
	case StatusCompleted:
		b.WriteString(" has already been completed")
	case StatusNoShow:
		b.WriteString(" was already marked as not attending")
	case StatusCancelled:
		b.WriteString(" has already been cancelled")
	case StatusTransferred:
		b.WriteString(" has already been transferred to another queue")
	default: // an unknown status is refused before (Next); say nothing false
		b.WriteString(" has moved on")
	}
	if !h.At.IsZero() {
		b.WriteString(" at " + locale.Time(h.At, h.Locale, h.Zone))
	}
	if h.By != "" {
		b.WriteString(" by " + h.By)
	}
	return b.String()
}

// conflictHint says what the person can do instead of action a on a ticket in status from, or "" when
// nothing is left to do with it (it is closed) or the description says it all.
func conflictHint(a Action, from Status) string {
	switch {
	case a == ActionCall && from == StatusCalled:
		return "recall it to call it again"
	case a == ActionCheckIn && !IsFinal(from):
		return "a ticket is checked in only once"
	case a == ActionCheckIn:
		return "check the patient in again for a new visit"
	case from == StatusWaiting && (a == ActionRecall || a == ActionStart || a == ActionNoShow):
		return "call it first"
	case from == StatusWaiting && a == ActionComplete:
		return "call it and start the visit first"
	case from == StatusCalled && a == ActionComplete:
		return "start the visit first"
	case from == StatusInService && a == ActionCancel:
		return "complete the visit instead"
	case from == StatusInService && a == ActionNoShow:
		return "the patient came: complete the visit instead"
	}
	return ""
}
