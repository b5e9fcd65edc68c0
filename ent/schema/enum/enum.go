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
func (Action) Values() []string {
	as := Actions()
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return out
}

// MarshalGQL writes the action as its GraphQL enum value (TicketAction).
func (a Action) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(a))) }

// UnmarshalGQL reads a TicketAction value.
func (a *Action) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !slices.Contains(Actions(), Action(s)) {
		return fmt.Errorf("%v is not a valid TicketAction", v)
	}
	*a = Action(s)
	return nil
}
