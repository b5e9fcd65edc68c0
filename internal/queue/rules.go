package queue

import (
	"slices"
	"strings"

	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/ticket"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// Status is where a ticket is in its life (DESIGN.md: WAITING → CALLED → IN_SERVICE → COMPLETED, and
// NO_SHOW, CANCELLED, TRANSFERRED). The values are the ent schema's (ticket.Status), which are also the
// GraphQL TicketStatus values; the constants are derived from them, so a renamed value fails to compile
// and a new one fails TestEnumsMatchTheSchema.
type Status string

// The ticket statuses.
const (
	StatusWaiting     = Status(ticket.StatusWAITING)
	StatusCalled      = Status(ticket.StatusCALLED)
	StatusInService   = Status(ticket.StatusIN_SERVICE)
	StatusCompleted   = Status(ticket.StatusCOMPLETED)
	StatusNoShow      = Status(ticket.StatusNO_SHOW)
	StatusCancelled   = Status(ticket.StatusCANCELLED)
	StatusTransferred = Status(ticket.StatusTRANSFERRED)
)

// Level is a Manchester Triage System category, from the ent schema (enum.TriageLevel) like Status.
type Level string

// The triage levels, most urgent first.
const (
	LevelImmediate  = Level(enum.TriageLevelImmediate)
	LevelVeryUrgent = Level(enum.TriageLevelVeryUrgent)
	LevelUrgent     = Level(enum.TriageLevelUrgent)
	LevelStandard   = Level(enum.TriageLevelStandard)
	LevelNonUrgent  = Level(enum.TriageLevelNonUrgent)
)

// Policy is how a queue orders its waiting tickets (see Less), from the ent schema (queue.Ordering).
type Policy string

// The ordering policies.
const (
	PolicyTriage = Policy(entqueue.OrderingTRIAGE)
	PolicyFIFO   = Policy(entqueue.OrderingFIFO)
	// PolicyTriageDeadlineAware is the second TRIAGE ordering (see Order.Compare): it depends on the
	// instant, so order with an Order that carries Now.
	PolicyTriageDeadlineAware = Policy(entqueue.OrderingTRIAGE_DEADLINE_AWARE)
)

var (
	statuses = []Status{StatusWaiting, StatusCalled, StatusInService, StatusCompleted,
		StatusNoShow, StatusCancelled, StatusTransferred}
	levels   = []Level{LevelImmediate, LevelVeryUrgent, LevelUrgent, LevelStandard, LevelNonUrgent}
	policies = []Policy{PolicyTriage, PolicyFIFO, PolicyTriageDeadlineAware}
)

// Statuses returns every status in life order.
func Statuses() []Status { return append([]Status(nil), statuses...) }

// Levels returns every triage level, most urgent first.
func Levels() []Level { return append([]Level(nil), levels...) }

// Policies returns every ordering policy.
func Policies() []Policy { return append([]Policy(nil), policies...) }

// Valid reports whether s is one of the seven statuses.
func (s Status) Valid() bool { return slices.Index(statuses, s) >= 0 }

// Valid reports whether l is one of the five triage levels.
func (l Level) Valid() bool { return slices.Index(levels, l) >= 0 }

// Valid reports whether p is one of the ordering policies.
func (p Policy) Valid() bool { return slices.Index(policies, p) >= 0 }

// Rank is 0 for IMMEDIATE up to 4 for NON_URGENT; an unknown level ranks as STANDARD, the check-in
// default, so a bad value can neither jump the queue nor be forgotten at its end.
func (l Level) Rank() int {
	if i := slices.Index(levels, l); i >= 0 {
		return i
	}
	return slices.Index(levels, LevelStandard)
}

// Urgent reports whether l belongs to the urgent group (IMMEDIATE, VERY_URGENT) that a TRIAGE queue
// calls before everyone else.
func (l Level) Urgent() bool { return l == LevelImmediate || l == LevelVeryUrgent }

// IsOpen reports whether a ticket in status s still holds a place in its queue or at a service point
// (WAITING, CALLED, IN_SERVICE).
func IsOpen(s Status) bool {
	return s == StatusWaiting || s == StatusCalled || s == StatusInService
}

// IsFinal reports whether s ends a ticket's life (COMPLETED, NO_SHOW, CANCELLED, TRANSFERRED); no action
// leaves a final status.
func IsFinal(s Status) bool {
	return s == StatusCompleted || s == StatusNoShow || s == StatusCancelled || s == StatusTransferred
}

// ParseStatus reads a status, forgiving case, spaces and hyphens ("in service" is IN_SERVICE).
// Anything else is BAD_USER_INPUT naming the allowed values.
func ParseStatus(s string) (Status, error) { return parse(s, statuses, "ticket status") }

// ParseLevel reads a triage level like ParseStatus does ("very urgent" is VERY_URGENT).
func ParseLevel(s string) (Level, error) { return parse(s, levels, "triage level") }

// ParsePolicy reads a queue ordering policy like ParseStatus does.
func ParsePolicy(s string) (Policy, error) { return parse(s, policies, "queue policy") }

var normaliser = strings.NewReplacer(" ", "_", "-", "_")

func parse[T ~string](s string, allowed []T, what string) (T, error) {
	v := T(normaliser.Replace(strings.ToUpper(strings.TrimSpace(s))))
	if slices.Index(allowed, v) >= 0 {
		return v, nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return "", cqerr.Ef(cqerr.BadUserInput, "unknown %s %q: use one of %s", what, s, strings.Join(names, ", "))
}
