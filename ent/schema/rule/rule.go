// Package rule holds CareQueue's ent privacy rules: the one place where who may read and change what is
// decided. Every query and mutation, including node(id:), connections and subscriptions, passes through
// them. Internal code that must act beyond the viewer (login, token rotation, jobs) says so explicitly
// with auth.SystemContext; grep for it.
//
// The rules use only ent's base packages and SQL predicates, never the generated client: the schema
// imports this package, and importing generated code here would make a schema change that breaks the
// generated code impossible to regenerate.
package rule

import (
	"context"

	"entgo.io/ent"
	"entgo.io/ent/privacy"

	"github.com/carequeue/carequeue/internal/auth"
)

// QueryRuleFunc adapts a function to a privacy.QueryRule.
type QueryRuleFunc func(context.Context, ent.Query) error

// EvalQuery returns f(ctx, q).
func (f QueryRuleFunc) EvalQuery(ctx context.Context, q ent.Query) error { return f(ctx, q) }

// Staff are the roles that work with every patient of their facility.
var Staff = []auth.Role{auth.RoleAdmin, auth.RoleReceptionist, auth.RoleClinician, auth.RoleIntegration}

// ReferenceReaders read a facility's reference data (departments, queues, service points): staff, and
// kiosks, which list the queues a patient may check in to.
var ReferenceReaders = []auth.Role{auth.RoleAdmin, auth.RoleReceptionist, auth.RoleClinician, auth.RoleIntegration, auth.RoleKiosk}

func hasRole(v auth.Viewer, roles []auth.Role) bool {
	for _, r := range roles {
		if v.Role == r {
			return true
		}
	}
	return false
}

// AllowTicketWorkflow allows a ticket change only inside a workflow action the viewer's role may perform.
func AllowTicketWorkflow() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		v, ok := auth.FromContext(ctx)
		action := auth.ActionFrom(ctx)
		if !ok || action == "" {
			return privacy.Skip
		}
		if auth.Allowed(v.Role, action) {
			return privacy.Allow
		}
		return privacy.Denyf("role %s may not %s", v.Role, action)
	})
}

// AllowCreateOnly allows inserts by a signed-in viewer and denies any update or delete: append-only
// records, written by the workflows as a side effect. (Jobs update notifications as the system.)
func AllowCreateOnly() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if _, ok := auth.FromContext(ctx); ok && m.Op().Is(ent.OpCreate) {
			return privacy.Allow
		}
		return privacy.Denyf("%s records are append-only", m.Type())
	})
}

// AllowOwnerMutation lets a patient change rows of their own (the scope's Owner): updates and deletes are
// narrowed to them, so another account's row is simply not found. A created row's owner is set by the
// service from a record it read through the patient's own scope.
func AllowOwnerMutation(s Scope) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v, ok := auth.FromContext(ctx)
		if !ok || v.Role != auth.RolePatient || s.Owner == nil {
			return privacy.Skip
		}
		if m.Op().Is(ent.OpCreate) {
			return privacy.Allow
		}
		if !narrow(m, s.Owner(string(v.UserID))) {
			return privacy.Denyf("mutation %T cannot be scoped", m)
		}
		return privacy.Allow
	})
}
