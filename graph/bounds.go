package graph

import (
	"github.com/carequeue/carequeue/internal/analytics"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/fhir"
	"github.com/carequeue/carequeue/internal/offline"
	"github.com/carequeue/carequeue/internal/server"
)

// Sizes the complexity estimate gives the lists whose length the data sets rather than the caller.
// They are generous maxima of a large hospital, not averages: pricing a list too low is what lets a
// short query fan out (the response-size ceiling is the backstop when data outgrows them).
const (
	queuesPerDepartment      = 10
	servicePointsPerQueue    = 20
	waitingPerQueue          = 100 // a busy emergency department's queue
	calledPerQueue           = 20  // one per service point at most
	attentionPerDepartment   = 100
	patientsPerAccount       = 10 // a parent with their children's records
	devicesPerPatient        = 10
	ticketsPerAppointment    = 10  // the check-in and its transfers
	appointmentsPerQueue     = 100 // a queue's bookings for one day, as fhirAppointmentChanged's first message
	eventsPerTicket          = 50
	fieldsPerAuditEntry      = 40 // the widest entity's fields
	triageLevels             = 5
	orderings                = 3
	warningKinds             = 5
	boardLines               = 10
	hoursPerDay              = 24
	rowsPerDepartmentAndDay  = 1 + queuesPerDepartment // the department's total, then each queue
	unknownDailyFiguresRange = analytics.MaxRangeDays
	webhookEvents            = 8 // the closed list of enum.WebhookEvents
)

// ListSizes is every plain list field of the schema (one without first/last or ids) with its size;
// server.Bounds multiplies what such a list selects by it. server.CheckListBounds (run at startup and
// by TestEveryListIsBounded) fails when a list field is missing here, so a new one must be priced.
var ListSizes = map[string]server.ListSize{
	"APIClient.scopes":          server.Items(len(auth.Scopes)),
	"Appointment.tickets":       server.Items(ticketsPerAppointment),
	"AuditEntry.changes":        server.Items(fieldsPerAuditEntry),
	"BoardSnapshot.nowCalling":  server.Items(boardLines),
	"BoardSnapshot.recentCalls": server.Items(boardLines),
	"DailyFigures.withinTarget": server.Items(triageLevels),
	"Patient.devices":           server.Items(devicesPerPatient),
	"Queue.servicePoints":       server.Items(servicePointsPerQueue),
	"Queue.warnings":            server.Items(warningKinds),
	"QueueSnapshot.called":      server.Items(calledPerQueue),
	"QueueSnapshot.waiting":     server.Items(waitingPerQueue),
	"QueueSnapshot.warnings":    server.Items(warningKinds),
	"ServicePoint.queues":       server.Items(queuesPerDepartment),
	"SimulationReport.runs":     server.Items(orderings),
	"SimulationRun.levels":      server.Items(triageLevels),
	"StaffingNeeds.hours":       server.Items(hoursPerDay),
	"Ticket.events":             server.Items(eventsPerTicket),
	"User.patients":             server.Items(patientsPerAccount),
	"WebhookEndpoint.events":    server.Items(webhookEvents),
	"Query.dailyFigures":        dailyFiguresRows,
	"Query.todayFigures":        server.Items(rowsPerDepartmentAndDay),
	"Query.needsAttention":      server.Items(attentionPerDepartment),
	// A page of the change feed holds at most its largest page of events and as many tickets.
	"SyncPullResult.events":  server.Items(offline.MaxPage),
	"SyncPullResult.tickets": server.Items(offline.MaxPage),
	"Mutation.syncPush":      syncResults,
	// The FHIR view: each resource's few parts, and searches of _count resources.
	"FhirQuery.PatientList":               fhirCount,
	"FhirQuery.AppointmentList":           fhirCount,
	"FhirQuery.EncounterList":             fhirCount,
	"Subscription.fhirEncounterChanged":   server.Items(waitingPerQueue),
	"Subscription.fhirAppointmentChanged": server.Items(appointmentsPerQueue),
	"FhirCodeableConcept.coding":          server.Items(fhirParts),
	"FhirHumanName.given":                 server.Items(fhirParts),
	"FhirPatient.identifier":              server.Items(fhirParts),
	"FhirPatient.name":                    server.Items(fhirParts),
	"FhirPatient.telecom":                 server.Items(fhirParts),
	"FhirPatient.communication":           server.Items(fhirParts),
	"FhirAppointment.identifier":          server.Items(fhirParts),
	"FhirAppointment.serviceType":         server.Items(fhirParts),
	"FhirAppointment.participant":         server.Items(fhirParts),
	"FhirEncounter.statusHistory":         server.Items(fhirStatuses),
	"FhirEncounter.appointment":           server.Items(fhirParts),
	"FhirEncounter.location":              server.Items(fhirParts),
}

// fhirParts is the most entries a FHIR element list of the view holds (it maps one or two records);
// fhirStatuses the most statuses an encounter goes through (arrived, triaged, in-progress, finished).
const (
	fhirParts    = 2
	fhirStatuses = 4
)

// fhirCount prices a FHIR search at the _count asked for, or the default.
func fhirCount(args map[string]any) int {
	if n, ok := args["_count"].(int64); ok && n > 0 && n <= fhir.MaxCount {
		return int(n)
	}
	if n, ok := args["_count"].(int); ok && n > 0 && n <= fhir.MaxCount {
		return n
	}
	if _, given := args["_count"]; given {
		return fhir.MaxCount
	}
	return fhir.DefaultCount
}

// dailyFiguresRows prices the range asked for; a range the resolver would refuse, or one not known
// yet, at the widest it accepts.
func dailyFiguresRows(args map[string]any) int {
	from, _ := args["from"].(string)
	to, _ := args["to"].(string)
	days, err := analytics.Days(from, to)
	if err != nil {
		return unknownDailyFiguresRange * rowsPerDepartmentAndDay
	}
	return len(days) * rowsPerDepartmentAndDay
}

// syncResults prices a batch's results by its operations: one result each. A batch over the limit
// is refused whole by the resolver (BATCH_TOO_LARGE, the clearer answer) and produces none.
func syncResults(args map[string]any) int {
	ops, ok := args["operations"].([]any)
	switch {
	case !ok:
		return offline.MaxBatch
	case len(ops) > offline.MaxBatch:
		return 0
	}
	return len(ops)
}
