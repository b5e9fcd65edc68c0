package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// anyScope marks what every API client may use, whatever its scopes (its INTEGRATION role and
// facility still apply through the ent privacy rules).
const anyScope auth.Scope = ""

// Namespaces are the object types that group operations under one root field (FhirQuery, under
// Query.fhir): their fields are scoped one by one in clientRootFields, like root fields, and each has
// its own row in the access matrix (cmd/carequeue/testdata/access-matrix.tsv).
var Namespaces = []string{"FhirQuery"}

// clientRootFields are the operations an API client may run and the scope each needs, with the fields
// of the Namespaces alongside. A root field missing here is refused to every client: new fields are
// closed until someone opens them.
var clientRootFields = map[string]auth.Scope{
	// node and nodes return whatever type an id names: the types below decide what a client sees.
	"Query.node":          anyScope,
	"Query.nodes":         anyScope,
	"Query.facilities":    auth.ScopeQueuesRead,
	"Query.departments":   auth.ScopeQueuesRead,
	"Query.queues":        auth.ScopeQueuesRead,
	"Query.servicePoints": auth.ScopeQueuesRead,
	"Query.tickets":       auth.ScopeQueuesRead,
	"Query.queueSnapshot": auth.ScopeQueuesRead,
	"Query.board":         auth.ScopeQueuesRead,
	"Query.validatePhone": auth.ScopeTicketsCheckIn,
	"Query.patients":      auth.ScopePatientsRead,
	"Query.appointments":  auth.ScopeAppointmentsWrite,
	// syncPull reads what the client's privacy rules let it see. syncPush is closed: its operations
	// are workflows most scopes do not open one by one.
	"Query.syncPull":             auth.ScopeQueuesRead,
	"Mutation.checkIn":           auth.ScopeTicketsCheckIn,
	"Mutation.cancelTicket":      auth.ScopeTicketsWrite,
	"Mutation.createPatient":     auth.ScopePatientsWrite,
	"Mutation.updatePatient":     auth.ScopePatientsWrite,
	"Mutation.createAppointment": auth.ScopeAppointmentsWrite,
	"Mutation.updateAppointment": auth.ScopeAppointmentsWrite,
	"Subscription.queueChanged":  auth.ScopeQueuesRead,
	"Subscription.ticketChanged": auth.ScopeQueuesRead,
	"Subscription.boardChanged":  auth.ScopeQueuesRead,
	// The FHIR view: its namespace is open, each read needs the scope of the records it maps.
	"Query.fhir":                          anyScope,
	"FhirQuery.Patient":                   auth.ScopePatientsRead,
	"FhirQuery.PatientList":               auth.ScopePatientsRead,
	"FhirQuery.Appointment":               auth.ScopeAppointmentsWrite,
	"FhirQuery.AppointmentList":           auth.ScopeAppointmentsWrite,
	"FhirQuery.Encounter":                 auth.ScopeQueuesRead,
	"FhirQuery.EncounterList":             auth.ScopeQueuesRead,
	"Subscription.fhirEncounterChanged":   auth.ScopeQueuesRead,
	"Subscription.fhirAppointmentChanged": auth.ScopeAppointmentsWrite,
}

// clientTypes are the object types whose fields an API client may read and the scope each needs,
// wherever they appear (under a ticket, through node). A type missing here is refused to every
// client: accounts, the audit log, devices, notifications, analytics and API clients themselves.
var clientTypes = map[string]auth.Scope{
	"PageInfo": anyScope, "WaitRange": anyScope,
	"Facility": anyScope, "FacilityConnection": anyScope, "FacilityEdge": anyScope,
	"Department": anyScope, "DepartmentConnection": anyScope, "DepartmentEdge": anyScope,
	"Queue": anyScope, "QueueConnection": anyScope, "QueueEdge": anyScope,
	"ServicePoint": anyScope, "ServicePointConnection": anyScope, "ServicePointEdge": anyScope,
	"Ticket": anyScope, "TicketConnection": anyScope, "TicketEdge": anyScope,
	"TicketEvent": anyScope, "TicketEventConnection": anyScope, "TicketEventEdge": anyScope,
	"SyncPullResult": anyScope,
	"QueueSnapshot":  anyScope, "TicketUpdate": anyScope, "BoardSnapshot": anyScope, "BoardEntry": anyScope,
	"Patient": auth.ScopePatientsRead, "PatientConnection": auth.ScopePatientsRead, "PatientEdge": auth.ScopePatientsRead,
	"Appointment": auth.ScopeAppointmentsWrite, "AppointmentConnection": auth.ScopeAppointmentsWrite,
	"AppointmentEdge": auth.ScopeAppointmentsWrite,
	// FHIR resources as their records; their parts are reached only through them.
	"FhirQuery": anyScope, "FhirPatient": auth.ScopePatientsRead, "FhirHumanName": auth.ScopePatientsRead,
	"FhirContactPoint": auth.ScopePatientsRead, "FhirPatientCommunication": auth.ScopePatientsRead,
	"FhirAppointment": auth.ScopeAppointmentsWrite, "FhirAppointmentParticipant": auth.ScopeAppointmentsWrite,
	"FhirEncounter": auth.ScopeQueuesRead, "FhirEncounterStatusHistory": auth.ScopeQueuesRead,
	"FhirEncounterLocation": auth.ScopeQueuesRead,
	"FhirMeta":              anyScope, "FhirCoding": anyScope, "FhirCodeableConcept": anyScope, "FhirIdentifier": anyScope,
	"FhirReference": anyScope, "FhirPeriod": anyScope,
}

// clientFieldsToo are fields a client may also read with another scope than their type's: a client
// that writes patients gets back the id of the record it created or updated, never more of it.
var clientFieldsToo = map[string]auth.Scope{
	"Patient.id": auth.ScopePatientsWrite,
}

// ClientMayUse reports whether an API client viewer may resolve field of object (a GraphQL type
// name): root fields by clientRootFields, every other field by its type's row in clientTypes. People
// (no ClientID) are not narrowed here.
func ClientMayUse(v auth.Viewer, object, field string) bool {
	if v.ClientID == "" {
		return true
	}
	var need auth.Scope
	var ok bool
	switch {
	case object == "Query", object == "Mutation", object == "Subscription", slices.Contains(Namespaces, object):
		need, ok = clientRootFields[object+"."+field]
	default:
		need, ok = clientTypes[object]
	}
	if too, has := clientFieldsToo[object+"."+field]; has && v.HasScope(too) {
		return true
	}
	return ok && (need == anyScope || v.HasScope(need))
}

// ClientMaySelect returns the first field ("Type.field") in a selection set that the API client viewer
// may not read, or "" when it may read them all. A mutation is held to its whole selection before it
// runs: a client with patients:write but not patients:read asking createPatient for the patient's id
// would otherwise create the record and then be refused its answer (and retry, creating another).
// Fields selected on an interface are left to the concrete type's check when they resolve.
func ClientMaySelect(v auth.Viewer, set ast.SelectionSet) string {
	for _, sel := range set {
		var sub ast.SelectionSet
		switch s := sel.(type) {
		case *ast.Field:
			if s.ObjectDefinition != nil && s.ObjectDefinition.Kind == ast.Object && s.Name != "__typename" &&
				!ClientMayUse(v, s.ObjectDefinition.Name, s.Name) {
				return s.ObjectDefinition.Name + "." + s.Name
			}
			sub = s.SelectionSet
		case *ast.InlineFragment:
			sub = s.SelectionSet
		case *ast.FragmentSpread:
			if s.Definition != nil {
				sub = s.Definition.SelectionSet
			}
		}
		if denied := ClientMaySelect(v, sub); denied != "" {
			return denied
		}
	}
	return ""
}

// ClientScopes is a gqlgen handler extension that holds API clients to their scopes: a field the
// client may not use is FORBIDDEN before its resolver runs, and so is a mutation whose selection
// asks for a field the client may not read, so a refused mutation changes nothing (and ReadTrail
// records the refusal with the client as actor).
type ClientScopes struct{}

var (
	_ graphql.HandlerExtension = ClientScopes{}
	_ graphql.FieldInterceptor = ClientScopes{}
)

// ExtensionName implements graphql.HandlerExtension.
func (ClientScopes) ExtensionName() string { return "ClientScopes" }

// Validate implements graphql.HandlerExtension.
func (ClientScopes) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptField implements graphql.FieldInterceptor.
func (ClientScopes) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	v, ok := auth.FromContext(ctx)
	if !ok || v.ClientID == "" {
		return next(ctx)
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return next(ctx)
	}
	denied := ""
	if !ClientMayUse(v, fc.Object, fc.Field.Name) {
		denied = fc.Object + "." + fc.Field.Name
	} else if fc.Object == "Mutation" {
		denied = ClientMaySelect(v, fc.Field.Selections)
	}
	if denied == "" {
		return next(ctx)
	}
	return nil, cqerr.E(cqerr.Forbidden, "this API client's scopes do not allow "+denied)
}
