// Package enum holds the enumerations the ent schema stores whose values hand-written code below the
// schema must also name: the privacy rules (internal/auth) cannot import ent's generated packages,
// because entc compiles the schema, and with it the rules, before it generates them. The schema binds
// its fields to these types (field.Enum(...).GoType), so the column, the GraphQL value, the workflow
// engine and the permission table read one definition, and a renamed value fails to compile.
package enum

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Action is a workflow step applied to a ticket: the action of a TicketEvent, of an idempotency record
// and of the permission table. The values are stable: they name ticket events and audit entries.
type Action string

// The workflow actions (DESIGN.md mutations), in workflow order.
const (
	ActionCheckIn  Action = "CHECK_IN"
	ActionCall     Action = "CALL"
	ActionRecall   Action = "RECALL"
	ActionStart    Action = "START"
	ActionComplete Action = "COMPLETE"
	ActionNoShow   Action = "NO_SHOW"
	ActionCancel   Action = "CANCEL"
	ActionTransfer Action = "TRANSFER"
	ActionRetriage Action = "RETRIAGE"
	// ActionEscalate is done by the system, never a person: a waiting ticket passed its queue's
	// maximum wait (internal/queue's escalation job).
	ActionEscalate Action = "ESCALATE"
)

// Actions returns every action in workflow order.
func Actions() []Action {
	return []Action{ActionCheckIn, ActionCall, ActionRecall, ActionStart, ActionComplete,
		ActionNoShow, ActionCancel, ActionTransfer, ActionRetriage, ActionEscalate}
}

// Values lists the actions for ent (field.Enum(...).GoType).
func (Action) Values() []string { return values(Actions()) }

// MarshalGQL writes the action as its GraphQL enum value (TicketAction).
func (a Action) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(a))) }

// UnmarshalGQL reads a TicketAction value.
func (a *Action) UnmarshalGQL(v any) error { return unmarshal(v, Actions(), "TicketAction", a) }

// TriageLevel is a Manchester Triage System category, most urgent first: the level of a Ticket, the
// level a Queue gives self check-ins until staff triage them, and the level a re-triage moved a ticket
// from (TicketEvent). One type for the three fields is what lets one GraphQL enum (TriageLevel) serve
// them all. The values are stable: they are stored, and name targets and analytics.
type TriageLevel string

// The triage levels, most urgent first.
const (
	TriageLevelImmediate  TriageLevel = "IMMEDIATE"
	TriageLevelVeryUrgent TriageLevel = "VERY_URGENT"
	TriageLevelUrgent     TriageLevel = "URGENT"
	TriageLevelStandard   TriageLevel = "STANDARD"
	TriageLevelNonUrgent  TriageLevel = "NON_URGENT"
)

// TriageLevels returns every level, most urgent first.
func TriageLevels() []TriageLevel {
	return []TriageLevel{TriageLevelImmediate, TriageLevelVeryUrgent, TriageLevelUrgent,
		TriageLevelStandard, TriageLevelNonUrgent}
}

// Values lists the levels for ent (field.Enum(...).GoType).
func (TriageLevel) Values() []string { return values(TriageLevels()) }

// MarshalGQL writes the level as its GraphQL enum value (TriageLevel).
func (l TriageLevel) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(l))) }

// UnmarshalGQL reads a TriageLevel value.
func (l *TriageLevel) UnmarshalGQL(v any) error {
	return unmarshal(v, TriageLevels(), "TriageLevel", l)
}

func values[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// unmarshal reads GraphQL enum value v, one of allowed, into dst; gqlName names the enum in the error.
func unmarshal[T ~string](v any, allowed []T, gqlName string, dst *T) error {
	s, ok := v.(string)
	if !ok || !slices.Contains(allowed, T(s)) {
		return fmt.Errorf("%v is not a valid %s", v, gqlName)
	}
	*dst = T(s)
	return nil
}
