package auth

import (
	"testing"

	"github.com/carequeue/carequeue/ent/schema/enum"
)

// Every workflow action the schema defines is in the permission table, and nothing else is: an action
// added to enum.Action without deciding who may perform it fails here, not in production as "nobody".
func TestEveryActionHasRoles(t *testing.T) {
	for _, a := range enum.Actions() {
		if len(actionRoles[a]) == 0 {
			t.Errorf("action %s has no roles in actionRoles", a)
		}
	}
	if len(actionRoles) != len(enum.Actions()) {
		t.Errorf("actionRoles has %d rows for %d actions", len(actionRoles), len(enum.Actions()))
	}
	for _, c := range []struct {
		role   Role
		action enum.Action
		want   bool
	}{
		{RoleKiosk, enum.ActionCheckIn, true},
		{RoleKiosk, enum.ActionCancel, false},
		{RolePatient, enum.ActionCancel, true},
		{RolePatient, enum.ActionCall, false},
		{RoleReceptionist, enum.ActionCall, false},
		{RoleClinician, enum.ActionCall, true},
		{RoleIntegration, enum.ActionTransfer, false},
		{RoleAdmin, enum.Action("DELETE"), false},
	} {
		if got := Allowed(c.role, c.action); got != c.want {
			t.Errorf("Allowed(%s, %s) = %v, want %v", c.role, c.action, got, c.want)
		}
	}
}
