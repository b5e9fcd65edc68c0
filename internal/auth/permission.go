package auth

import "context"

// Workflow actions on tickets (the values of queue.Action). Ticket rows change only inside a workflow
// that declared its action with WithAction; the ent privacy policy checks it against this table.
var actionRoles = map[string][]Role{
	"CHECK_IN": {RoleAdmin, RoleReceptionist, RoleClinician, RoleIntegration, RolePatient, RoleKiosk},
	"CALL":     {RoleAdmin, RoleClinician},
	"RECALL":   {RoleAdmin, RoleClinician},
	"START":    {RoleAdmin, RoleClinician},
	"COMPLETE": {RoleAdmin, RoleClinician},
	"NO_SHOW":  {RoleAdmin, RoleClinician},
	"CANCEL":   {RoleAdmin, RoleReceptionist, RoleClinician, RoleIntegration, RolePatient},
	"TRANSFER": {RoleAdmin, RoleReceptionist, RoleClinician},
	"RETRIAGE": {RoleAdmin, RoleReceptionist, RoleClinician},
}

// Allowed reports whether role may perform the workflow action.
func Allowed(role Role, action string) bool {
	for _, r := range actionRoles[action] {
		if r == role {
			return true
		}
	}
	return false
}

type actionKey struct{}

// WithAction marks ctx as running the named workflow action.
func WithAction(ctx context.Context, action string) context.Context {
	return context.WithValue(ctx, actionKey{}, action)
}

// ActionFrom returns the workflow action ctx runs, or "".
func ActionFrom(ctx context.Context) string {
	a, _ := ctx.Value(actionKey{}).(string)
	return a
}
