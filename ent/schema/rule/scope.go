package rule

import (
	"context"
	"reflect"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/privacy"

	"github.com/carequeue/carequeue/internal/auth"
)

// wherer is what generated mutations offer for raw predicates.
type wherer interface {
	WhereP(...func(*sql.Selector))
}

// narrow adds a storage-level predicate to a generated query or mutation. Mutations have WhereP;
// queries have only Where(...predicate.X), whose element type is a named func(*sql.Selector), so it is
// called through reflection (this package must not import the generated predicate types; see the
// package doc).
func narrow(x any, p func(*sql.Selector)) bool {
	if w, ok := x.(wherer); ok {
		w.WhereP(p)
		return true
	}
	m := reflect.ValueOf(x).MethodByName("Where")
	if !m.IsValid() || m.Type().NumIn() != 1 || !m.Type().IsVariadic() {
		return false
	}
	slice := m.Type().In(0)
	fn := reflect.ValueOf(p)
	if !fn.Type().ConvertibleTo(slice.Elem()) {
		return false
	}
	m.CallSlice([]reflect.Value{reflect.Append(reflect.MakeSlice(slice, 0, 1), fn.Convert(slice.Elem()))})
	return true
}

// Scope says how rows of one type are narrowed: Facility to a staff member's facility, Owner to what a
// patient's account owns. Nil Facility means no narrowing for staff; nil Owner means patients see nothing.
type Scope struct {
	Facility func(facilityID string) func(*sql.Selector)
	Owner    func(accountID string) func(*sql.Selector)
}

// Scoped lets staff of the given roles (default: all staff) read their facility's rows and patients
// read their own.
func Scoped(s Scope, roles ...auth.Role) privacy.QueryRule {
	if len(roles) == 0 {
		roles = Staff
	}
	return QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
		v, ok := auth.FromContext(ctx)
		if !ok {
			return privacy.Skip
		}
		switch {
		case v.Role == auth.RolePatient:
			if s.Owner == nil {
				return privacy.Skip
			}
			if !narrow(q, s.Owner(string(v.UserID))) {
				return privacy.Denyf("query %T cannot be scoped", q)
			}
			return privacy.Allow
		case hasRole(v, roles):
			if v.FacilityID == "" && v.Role != auth.RoleAdmin {
				return privacy.Skip // only admins are global; other staff without a facility see nothing
			}
			if v.FacilityID != "" && s.Facility != nil && !narrow(q, s.Facility(string(v.FacilityID))) {
				return privacy.Denyf("query %T cannot be scoped", q)
			}
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// AllowMutationInFacility allows the roles to change rows of their own facility: updates and deletes
// are narrowed to it (a row elsewhere is simply not found). A created row that carries facility_id must
// carry the viewer's; rows created under a parent (a queue under a department) are checked by the
// service that creates them, which reads the parent through these same rules. A viewer without a
// facility (a global admin) is not narrowed.
func AllowMutationInFacility(s Scope, roles ...auth.Role) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v, ok := auth.FromContext(ctx)
		if !ok || !hasRole(v, roles) {
			return privacy.Skip
		}
		if v.FacilityID == "" {
			if v.Role != auth.RoleAdmin {
				return privacy.Skip // only admins are global
			}
			return privacy.Allow
		}
		// A row of a type with a facility column must stay in the viewer's facility: set on create (a
		// user without one would be a global admin), never moved or cleared on update.
		if f, ok := m.Field("facility_id"); ok && f != string(v.FacilityID) && f != v.FacilityID {
			return privacy.Denyf("outside your facility")
		}
		if m.FieldCleared("facility_id") {
			return privacy.Denyf("outside your facility")
		}
		if m.Op().Is(ent.OpCreate) {
			if m.Type() == "Facility" {
				return privacy.Denyf("only a global admin creates facilities")
			}
			if _, has := m.Field("facility_id"); !has && facilityColumn[m.Type()] {
				return privacy.Denyf("outside your facility")
			}
			return privacy.Allow
		}
		if s.Facility == nil || !narrow(m, s.Facility(string(v.FacilityID))) {
			return privacy.Denyf("mutation %T cannot be scoped", m)
		}
		return privacy.Allow
	})
}

// Column predicates and sub-selects for the scopes.
func eq(col string) func(string) func(*sql.Selector) {
	return func(v string) func(*sql.Selector) {
		return func(s *sql.Selector) { s.Where(sql.EQ(s.C(col), v)) }
	}
}

// in narrows col to ids selected from table where the inner predicate holds.
func in(col, table string, inner func(string) func(*sql.Selector)) func(string) func(*sql.Selector) {
	return func(v string) func(*sql.Selector) {
		return func(s *sql.Selector) {
			t := sql.Table(table)
			sub := sql.Select(t.C("id")).From(t)
			inner(v)(sub)
			s.Where(sql.In(s.C(col), sub))
		}
	}
}

var (
	patientsOfFacility = in("patient_id", "patients", eq("facility_id"))
	patientsOfAccount  = in("patient_id", "patients", eq("account_id"))
	everything         = func(string) func(*sql.Selector) { return func(*sql.Selector) {} }
)

// Scopes per type. Patients may read reference data (facilities, departments, queues, service points)
// of any facility: names and rooms are not personal data.
var (
	FacilityScope     = Scope{Facility: eq("id"), Owner: everything}
	DepartmentScope   = Scope{Facility: eq("facility_id"), Owner: everything}
	QueueScope        = Scope{Facility: in("department_id", "departments", eq("facility_id")), Owner: everything}
	ServicePointScope = Scope{Facility: in("department_id", "departments", eq("facility_id")), Owner: everything}
	UserScope         = Scope{Facility: eq("facility_id"), Owner: eq("id")}
	PatientScope      = Scope{Facility: eq("facility_id"), Owner: eq("account_id")}
	AppointmentScope  = Scope{Facility: patientsOfFacility, Owner: patientsOfAccount}
	TicketScope       = Scope{Facility: patientsOfFacility, Owner: patientsOfAccount}
	TicketEventScope  = Scope{
		Facility: in("ticket_id", "tickets", patientsOfFacility),
		Owner:    in("ticket_id", "tickets", patientsOfAccount),
	}
	DeviceScope = Scope{Facility: patientsOfFacility, Owner: patientsOfAccount}
	AuditScope  = Scope{Facility: eq("facility_id")}
	// APIClientScope: an API client belongs to one facility and is nobody's own row.
	APIClientScope = Scope{Facility: eq("facility_id")}
	// NotificationScope narrows the notification log to messages to the facility's patients; a message
	// to nobody's record (a sign-in code for an unknown phone) is seen by global admins only.
	NotificationScope = Scope{Facility: patientsOfFacility}
	// DailyReportScope narrows reports to the facility's departments.
	DailyReportScope = Scope{Facility: in("department_id", "departments", eq("facility_id"))}
	// WebhookScope narrows webhook endpoints and their delivery log to the facility's (facility_id).
	WebhookScope = Scope{Facility: eq("facility_id")}
)

// facilityColumn lists the types whose rows carry facility_id themselves.
var facilityColumn = map[string]bool{"Department": true, "User": true, "Patient": true, "WebhookEndpoint": true, "APIClient": true}
