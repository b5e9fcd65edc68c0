package auth

import (
	"context"

	"github.com/carequeue/carequeue/ent/schema/enum"
)

// Who may perform each workflow action on tickets. Ticket rows change only inside a workflow that
// declared its action with WithAction; the ent privacy policy checks it against this table. An action
// with no row is allowed to nobody (a test keeps every action in it).
var actionRoles = map[enum.Action][]Role{
	enum.ActionCheckIn:  {RoleAdmin, RoleReceptionist, RoleClinician, RoleIntegration, RolePatient, RoleKiosk},
	enum.ActionCall:     {RoleAdmin, RoleClinician},
	enum.ActionRecall:   {RoleAdmin, RoleClinician},
	enum.ActionStart:    {RoleAdmin, RoleClinician},
	enum.ActionComplete: {RoleAdmin, RoleClinician},
	enum.ActionNoShow:   {RoleAdmin, RoleClinician},
	enum.ActionCancel:   {RoleAdmin, RoleReceptionist, RoleClinician, RoleIntegration, RolePatient},
	enum.ActionTransfer: {RoleAdmin, RoleReceptionist, RoleClinician},
	enum.ActionRetriage: {RoleAdmin, RoleReceptionist, RoleClinician},
	// Escalation is the system's (a periodic job under auth.SystemContext); no mutation offers it, so
	// the row only says who would be allowed if one ever did: an admin.
	enum.ActionEscalate: {RoleAdmin},
}

// Allowed reports whether role may perform the workflow action.
func Allowed(role Role, action enum.Action) bool {
	for _, r := range actionRoles[action] {
		if r == role {
			return true
		}
	}
	return false
}

type actionKey struct{}

// WithAction marks ctx as running the named workflow action.
func WithAction(ctx context.Context, action enum.Action) context.Context {
	return context.WithValue(ctx, actionKey{}, action)
}

// ActionFrom returns the workflow action ctx runs, or "".
func ActionFrom(ctx context.Context) enum.Action {
	a, _ := ctx.Value(actionKey{}).(enum.Action)
	return a
}
