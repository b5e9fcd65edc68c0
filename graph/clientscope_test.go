package graph_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/carequeue/carequeue/graph"
	"github.com/carequeue/carequeue/graph/generated"
	"github.com/carequeue/carequeue/internal/auth"
)

func TestClientMayUse(t *testing.T) {
	t.Parallel()
	client := func(scopes ...auth.Scope) auth.Viewer {
		return auth.Viewer{UserID: "AK1", ClientID: "AK1", Role: auth.RoleIntegration, FacilityID: "FC1", Scopes: scopes}
	}
	for _, tc := range []struct {
		name          string
		v             auth.Viewer
		object, field string
		want          bool
	}{
		{"PersonNotNarrowed", auth.Viewer{UserID: "US1", Role: auth.RoleIntegration}, "Query", "users", true},
		{"ReadQueuesWithScope", client(auth.ScopeQueuesRead), "Query", "queues", true},
		{"ReadQueuesWithoutScope", client(auth.ScopeTicketsCheckIn), "Query", "queues", false},
		{"CheckInWithScope", client(auth.ScopeTicketsCheckIn), "Mutation", "checkIn", true},
		{"CheckInWithoutScope", client(auth.ScopeQueuesRead), "Mutation", "checkIn", false},
		{"CancelNeedsTicketsWrite", client(auth.ScopeTicketsCheckIn), "Mutation", "cancelTicket", false},
		{"CallNextNeverForClients", client(auth.Scopes...), "Mutation", "callNext", false},
		{"AdminMutationNeverForClients", client(auth.Scopes...), "Mutation", "createAPIClient", false},
		{"UsersNeverForClients", client(auth.Scopes...), "Query", "users", false},
		{"MeNeverForClients", client(auth.Scopes...), "Query", "me", false},
		{"UnknownRootFieldClosed", client(auth.Scopes...), "Query", "somethingNew", false},
		{"NodeOpenTypesDecide", client(), "Query", "node", true},
		{"SubscriptionWithScope", client(auth.ScopeQueuesRead), "Subscription", "queueChanged", true},
		{"SubscriptionWithoutScope", client(auth.ScopeTicketsCheckIn), "Subscription", "ticketChanged", false},
		{"TicketFieldsOpen", client(auth.ScopeTicketsCheckIn), "Ticket", "code", true},
		{"PatientFieldsNeedPatientsRead", client(auth.ScopeQueuesRead), "Patient", "givenName", false},
		{"PatientFieldsWithPatientsRead", client(auth.ScopePatientsRead), "Patient", "givenName", true},
		{"PatientIDWithPatientsWrite", client(auth.ScopePatientsWrite), "Patient", "id", true},
		{"PatientNameNotWithPatientsWrite", client(auth.ScopePatientsWrite), "Patient", "familyName", false},
		{"PatientIDNotWithQueuesRead", client(auth.ScopeQueuesRead), "Patient", "id", false},
		{"AppointmentFieldsNeedScope", client(auth.ScopeQueuesRead), "Appointment", "status", false},
		{"UserTypeClosed", client(auth.Scopes...), "User", "email", false},
		{"AuditTypeClosed", client(auth.Scopes...), "AuditEntry", "action", false},
		{"APIClientTypeClosed", client(auth.Scopes...), "APIClient", "name", false},
		{"UnknownTypeClosed", client(auth.Scopes...), "BrandNewType", "x", false},
		{"FHIRNamespaceOpen", client(), "Query", "fhir", true},
		{"FHIRPatientNeedsPatientsRead", client(auth.ScopeQueuesRead), "FhirQuery", "Patient", false},
		{"FHIRPatientWithPatientsRead", client(auth.ScopePatientsRead), "FhirQuery", "PatientList", true},
		{"FHIREncounterWithQueuesRead", client(auth.ScopeQueuesRead), "FhirQuery", "EncounterList", true},
		{"FHIRAppointmentNeedsItsScope", client(auth.ScopeQueuesRead, auth.ScopePatientsRead), "FhirQuery", "Appointment", false},
		{"FHIRUnknownSearchClosed", client(auth.Scopes...), "FhirQuery", "ObservationList", false},
		{"FHIRPatientElementsNeedPatientsRead", client(auth.ScopeQueuesRead), "FhirHumanName", "family", false},
		{"FHIRFeedWithQueuesRead", client(auth.ScopeQueuesRead), "Subscription", "fhirEncounterChanged", true},
		{"FHIRAppointmentFeedNeedsItsScope", client(auth.ScopeQueuesRead, auth.ScopePatientsRead), "Subscription", "fhirAppointmentChanged", false},
		{"FHIRAppointmentFeedWithAppointmentsWrite", client(auth.ScopeAppointmentsWrite), "Subscription", "fhirAppointmentChanged", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, graph.ClientMayUse(tc.v, tc.object, tc.field))
		})
	}
}

func TestClientMaySelect(t *testing.T) {
	t.Parallel()
	writer := auth.Viewer{UserID: "AK1", ClientID: "AK1", Role: auth.RoleIntegration, FacilityID: "FC1", Scopes: []auth.Scope{auth.ScopePatientsWrite}}
	patient := &ast.Definition{Kind: ast.Object, Name: "Patient"}
	ticket := &ast.Definition{Kind: ast.Object, Name: "Ticket"}
	node := &ast.Definition{Kind: ast.Interface, Name: "Node"}
	field := func(obj *ast.Definition, name string, sub ...ast.Selection) *ast.Field {
		return &ast.Field{Name: name, ObjectDefinition: obj, SelectionSet: sub}
	}
	for _, tc := range []struct {
		name string
		v    auth.Viewer
		set  ast.SelectionSet
		want string
	}{
		{"TypenameOnly", writer, ast.SelectionSet{field(patient, "__typename")}, ""},
		{"PatientIDForTheWriter", writer, ast.SelectionSet{field(patient, "id")}, ""},
		{"PatientFieldWithoutRead", writer, ast.SelectionSet{field(patient, "id"), field(patient, "givenName")}, "Patient.givenName"},
		{"OpenTypeThenClosedBelow", writer, ast.SelectionSet{field(ticket, "code"), field(ticket, "patient", field(patient, "givenName"))}, "Patient.givenName"},
		{"InsideAnInlineFragment", writer, ast.SelectionSet{&ast.InlineFragment{SelectionSet: ast.SelectionSet{field(patient, "mrn")}}}, "Patient.mrn"},
		{"InsideAFragmentSpread", writer, ast.SelectionSet{&ast.FragmentSpread{Definition: &ast.FragmentDefinition{SelectionSet: ast.SelectionSet{field(patient, "phone")}}}}, "Patient.phone"},
		{"InterfaceFieldLeftToTheType", writer, ast.SelectionSet{field(node, "id")}, ""},
		{"WithReadScope", auth.Viewer{UserID: "AK1", ClientID: "AK1", Scopes: []auth.Scope{auth.ScopePatientsRead}}, ast.SelectionSet{field(patient, "id")}, ""},
		{"PersonNotNarrowed", auth.Viewer{UserID: "US1", Role: auth.RoleIntegration}, ast.SelectionSet{field(patient, "id")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, graph.ClientMaySelect(tc.v, tc.set))
		})
	}
}

// TestClientScopesCoverTheFHIRView: every FHIR type and namespace field is readable by a client holding
// every scope, so a new FHIR element type without a row in clientTypes (closed to every client) fails
// here rather than in an integrator's hands.
func TestClientScopesCoverTheFHIRView(t *testing.T) {
	t.Parallel()
	all := auth.Viewer{UserID: "AK1", ClientID: "AK1", Role: auth.RoleIntegration, FacilityID: "FC1", Scopes: auth.Scopes}
	s := generated.NewExecutableSchema(generated.Config{}).Schema()
	var seen int
	for name, def := range s.Types {
		if def.Kind != ast.Object || !strings.HasPrefix(name, "Fhir") {
			continue
		}
		seen++
		for _, f := range def.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				require.True(t, graph.ClientMayUse(all, name, f.Name), "%s.%s is closed to every API client", name, f.Name)
			}
		}
	}
	require.Greater(t, seen, 10, "the FHIR types are in the schema")
	for _, ns := range graph.Namespaces {
		require.NotNil(t, s.Types[ns], "namespace %s is a schema type", ns)
	}
}
