package queue

import (
	"fmt"

	"github.com/carequeue/carequeue/ent/schema/enum"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// Action is a workflow step applied to a ticket, defined with the ent schema (enum.Action) so that the
// stored events, the GraphQL TicketAction enum and the permission table (internal/auth) read one list.
type Action = enum.Action

// The workflow actions (DESIGN.md mutations).
const (
	ActionCheckIn  = enum.ActionCheckIn
	ActionCall     = enum.ActionCall
	ActionRecall   = enum.ActionRecall
	ActionStart    = enum.ActionStart
	ActionComplete = enum.ActionComplete
	ActionNoShow   = enum.ActionNoShow
	ActionCancel   = enum.ActionCancel
	ActionTransfer = enum.ActionTransfer
	ActionRetriage = enum.ActionRetriage
	// ActionEscalate is the system's, not a person's: it has no move here (no button offers it); the
	// escalation job (escalate.go) applies it to WAITING tickets only and the status does not change.
	ActionEscalate = enum.ActionEscalate
)

// move is one action's legal sources and result; to == "" means the status does not change.
type move struct {
	from []Status
	to   Status
}

// moves is the whole legal graph. CheckIn has no source: it creates a ticket (from the empty status).
var moves = map[Action]move{
	ActionCheckIn:  {from: []Status{""}, to: StatusWaiting},
	ActionCall:     {from: []Status{StatusWaiting}, to: StatusCalled},
	ActionRecall:   {from: []Status{StatusCalled}},
	ActionStart:    {from: []Status{StatusCalled}, to: StatusInService},
	ActionComplete: {from: []Status{StatusInService}, to: StatusCompleted},
	ActionNoShow:   {from: []Status{StatusCalled}, to: StatusNoShow},
	ActionCancel:   {from: []Status{StatusWaiting, StatusCalled}, to: StatusCancelled},
	// The service opens the new WAITING ticket in the target queue; this closes the old one.
	ActionTransfer: {from: []Status{StatusWaiting, StatusCalled, StatusInService}, to: StatusTransferred},
	ActionRetriage: {from: []Status{StatusWaiting, StatusCalled}},
}

// Next returns the status a ticket moves to when action a is applied in status from. Recall and Retriage
// keep the status; CheckIn applies to a ticket not yet created (from == "").
//
// A move outside the graph returns CONFLICT with a message for the person who tried it, naming the
// ticket by code when code is not empty (ConflictMessage): "C-012 is still waiting and has not been
// called yet; call it and start the visit first". The workflow adds where, when and by whom (explain).
// An unknown action or status is a programming error and returns an uncoded error (INTERNAL).
func Next(code string, from Status, a Action) (Status, error) {
	m, ok := moves[a]
	if !ok {
		return "", fmt.Errorf("queue: unknown action %q", a)
	}
	if from != "" && !from.Valid() {
		return "", fmt.Errorf("queue: ticket %q has unknown status %q", code, from)
	}
	for _, f := range m.from {
		if f == from {
			if m.to == "" {
				return from, nil
			}
			return m.to, nil
		}
	}
	if from == "" {
		return "", fmt.Errorf("queue: %s applied to a ticket %q that has no status", a, code)
	}
	return "", cqerr.E(cqerr.Conflict, ConflictMessage(a, Happened{Code: code, Status: from}))
}

// Actions returns the actions allowed in status from, in workflow order; dashboards use it to decide
// which buttons to show. Actions("") is [CHECK_IN]; final and unknown statuses allow nothing.
func Actions(from Status) []Action {
	var out []Action
	for _, a := range enum.Actions() {
		if _, err := Next("", from, a); err == nil {
			out = append(out, a)
		}
	}
	return out
}
