package fhir

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/appointment"
	"github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/ticket"
)

// Code systems of the view.
const (
	identifierTypeSystem = "http://terminology.hl7.org/CodeSystem/v2-0203"
	actCodeSystem        = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	actPrioritySystem    = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
	languageSystem       = "urn:ietf:bcp:47"
)

// R4 EncounterStatus codes the view uses.
const (
	EncounterArrived    = "arrived"
	EncounterTriaged    = "triaged"
	EncounterInProgress = "in-progress"
	EncounterFinished   = "finished"
	EncounterCancelled  = "cancelled"
)

// encounterCodes is every R4 EncounterStatus code: a search for one the view never produces
// (planned, onleave, ...) finds nothing rather than failing.
var encounterCodes = []string{"planned", EncounterArrived, EncounterTriaged, EncounterInProgress, "onleave",
	EncounterFinished, EncounterCancelled, "entered-in-error", "unknown"}

// R4 AppointmentStatus codes the view uses.
const (
	AppointmentBooked    = "booked"
	AppointmentArrived   = "arrived"
	AppointmentFulfilled = "fulfilled"
	AppointmentNoShow    = "noshow"
	AppointmentCancelled = "cancelled"
)

var appointmentCodes = []string{"proposed", "pending", AppointmentBooked, AppointmentArrived, AppointmentFulfilled,
	AppointmentCancelled, AppointmentNoShow, "entered-in-error", "checked-in", "waitlist"}

// MRNSystem is the identifier system of a facility's MRNs: template with "{facility}" replaced by the
// facility's id.
func MRNSystem(template, facilityID string) string {
	return strings.ReplaceAll(template, "{facility}", facilityID)
}

// facilityOfSystem returns the facility whose MRN system is system, or ok false when system is not an
// MRN system of this template. all is true when the template names no facility (one system for all).
func facilityOfSystem(template, system string) (facilityID string, all, ok bool) {
	before, after, has := strings.Cut(template, "{facility}")
	if !has {
		return "", true, system == template
	}
	if !strings.HasPrefix(system, before) || !strings.HasSuffix(system, after) || len(system) <= len(before)+len(after) {
		return "", false, false
	}
	return system[len(before) : len(system)-len(after)], false, true
}

func meta(updated time.Time) Meta {
	return Meta{LastUpdated: updated, VersionID: strconv.FormatInt(updated.UnixMilli(), 10)}
}

func ptr[T any](v T) *T { return &v }

func ref(kind, id string) Reference { return Reference{Reference: kind + "/" + id} }

// PatientOf maps a patient. mrnSystem is the template of MRNSystem.
func PatientOf(p *ent.Patient, mrnSystem string) *Patient {
	out := &Patient{
		ID:                   p.ID,
		Meta:                 meta(p.UpdatedAt),
		Name:                 []HumanName{{Use: "official", Family: p.FamilyName, Given: []string{p.GivenName}}},
		ManagingOrganization: ref("Organization", string(p.FacilityID)),
		Communication: []PatientCommunication{{
			Language:  CodeableConcept{Coding: []Coding{{System: languageSystem, Code: p.Language}}},
			Preferred: true,
		}},
	}
	if p.Mrn != "" {
		out.Identifier = []Identifier{{
			Use:    ptr("usual"),
			Type:   &CodeableConcept{Coding: []Coding{{System: identifierTypeSystem, Code: "MR", Display: ptr("Medical record number")}}},
			System: ptr(MRNSystem(mrnSystem, string(p.FacilityID))),
			Value:  p.Mrn,
		}}
	}
	if p.Phone != "" {
		out.Telecom = []ContactPoint{{System: "phone", Value: p.Phone, Use: "mobile"}}
	}
	if p.DateOfBirth != nil {
		out.BirthDate = ptr(p.DateOfBirth.Format(time.DateOnly))
	}
	return out
}

// AppointmentStatus maps an appointment's status and the statuses of its tickets (the check-in and
// its transfers) to R4 AppointmentStatus: a checked-in appointment is arrived until its visit ends,
// then fulfilled (served), noshow or cancelled.
func AppointmentStatus(s appointment.Status, tickets []ticket.Status) string {
	switch s {
	case appointment.StatusSCHEDULED:
		return AppointmentBooked
	case appointment.StatusNO_SHOW:
		return AppointmentNoShow
	case appointment.StatusCANCELLED:
		return AppointmentCancelled
	default: // CHECKED_IN
	}
	switch {
	case slices.Contains(tickets, ticket.StatusCOMPLETED):
		return AppointmentFulfilled
	case slices.Contains(tickets, ticket.StatusNO_SHOW):
		return AppointmentNoShow
	case slices.Contains(tickets, ticket.StatusCANCELLED):
		return AppointmentCancelled
	default:
		return AppointmentArrived
	}
}

// AppointmentOf maps an appointment with its queue and tickets loaded.
func AppointmentOf(a *ent.Appointment) *Appointment {
	statuses := make([]ticket.Status, 0, len(a.Edges.Tickets))
	for _, t := range a.Edges.Tickets {
		statuses = append(statuses, t.Status)
	}
	out := &Appointment{
		ID:      a.ID,
		Meta:    meta(a.UpdatedAt),
		Status:  AppointmentStatus(a.Status, statuses),
		Start:   ptr(a.ScheduledAt),
		Created: ptr(a.CreatedAt),
		Participant: []AppointmentParticipant{
			{Actor: ref("Patient", string(a.PatientID)), Required: "required", Status: "accepted"},
		},
	}
	if a.ExternalRef != "" {
		out.Identifier = []Identifier{{Use: ptr("secondary"), Value: a.ExternalRef}}
	}
	if q := a.Edges.Queue; q != nil {
		out.ServiceType = []CodeableConcept{serviceType(q)}
		actor := ref("HealthcareService", string(q.ID))
		actor.Display = ptr(q.Name)
		out.Participant = append(out.Participant, AppointmentParticipant{Actor: actor, Required: "required", Status: "accepted"})
	}
	return out
}

func serviceType(q *ent.Queue) CodeableConcept {
	return CodeableConcept{Text: ptr(q.Name)}
}

// TriageOrdered reports whether a queue orders by triage level: its waiting patients are triaged.
func TriageOrdered(o queue.Ordering) bool {
	return o == queue.OrderingTRIAGE || o == queue.OrderingTRIAGE_DEADLINE_AWARE
}

// EncounterStatus maps a ticket's status to R4 EncounterStatus. A waiting or called patient is
// triaged in a queue that orders by triage once triaged (staff check-in or re-triage), else arrived.
// A transfer finishes this encounter (the next ticket's encounter names it in partOf); a no-show and
// a cancellation end it before it began: cancelled.
func EncounterStatus(s ticket.Status, awaitingTriage, triageQueue bool) string {
	switch s {
	case ticket.StatusWAITING, ticket.StatusCALLED:
		if triageQueue && !awaitingTriage {
			return EncounterTriaged
		}
		return EncounterArrived
	case ticket.StatusIN_SERVICE:
		return EncounterInProgress
	case ticket.StatusCOMPLETED, ticket.StatusTRANSFERRED:
		return EncounterFinished
	default: // NO_SHOW, CANCELLED
		return EncounterCancelled
	}
}

// EncounterClass is the R4 Encounter.class: emergency for a queue that orders by triage (the
// Manchester scale is an emergency department's), ambulatory otherwise.
func EncounterClass(triageQueue bool) Coding {
	if triageQueue {
		return Coding{System: actCodeSystem, Code: "EMER", Display: ptr("emergency")}
	}
	return Coding{System: actCodeSystem, Code: "AMB", Display: ptr("ambulatory")}
}

// priorities maps each Manchester category to a v3 ActPriority code, with the category's name as text.
var priorities = map[enum.TriageLevel]struct{ code, display, text string }{
	enum.TriageLevelImmediate:  {"EM", "emergency", "Immediate"},
	enum.TriageLevelVeryUrgent: {"UR", "urgent", "Very urgent"},
	enum.TriageLevelUrgent:     {"UR", "urgent", "Urgent"},
	enum.TriageLevelStandard:   {"R", "routine", "Standard"},
	enum.TriageLevelNonUrgent:  {"R", "routine", "Non-urgent"},
}

// EncounterPriority is the R4 Encounter.priority: the ticket's Manchester category as a v3 ActPriority
// code (IMMEDIATE emergency, VERY_URGENT and URGENT urgent, STANDARD and NON_URGENT routine), the
// category itself as text. Only a queue ordered by triage has priorities, and only once the patient is
// triaged: nil otherwise.
func EncounterPriority(level enum.TriageLevel, awaitingTriage, triageQueue bool) *CodeableConcept {
	p, ok := priorities[level]
	if !triageQueue || awaitingTriage || !ok {
		return nil
	}
	return &CodeableConcept{Coding: []Coding{{System: actPrioritySystem, Code: p.code, Display: ptr(p.display)}}, Text: ptr(p.text)}
}

// StatusHistory is the encounter's statuses over time, from the ticket's events in time order: each
// status with the period it held, the last one open while the ticket is. A self check-in into a
// triage queue is arrived until its first re-triage, then triaged.
func StatusHistory(t *ent.Ticket, triageQueue bool, events []*ent.TicketEvent) []EncounterStatusHistory {
	self := t.Source == ticket.SourceKIOSK || t.Source == ticket.SourceMOBILE
	awaiting := t.AwaitingTriage
	if !awaiting && self && triageQueue {
		awaiting = slices.ContainsFunc(events, func(e *ent.TicketEvent) bool { return e.Action == enum.ActionRetriage })
	}
	var out []EncounterStatusHistory
	for _, e := range events {
		if e.Action == enum.ActionRetriage {
			awaiting = false
		}
		status := EncounterStatus(ticket.Status(e.ToStatus), awaiting, triageQueue)
		if n := len(out); n > 0 {
			if out[n-1].Status == status {
				continue
			}
			out[n-1].Period.End = ptr(e.At)
		}
		out = append(out, EncounterStatusHistory{Status: status, Period: Period{Start: ptr(e.At)}})
	}
	return out
}

// Final reports whether an encounter has ended: it will not change again.
func Final(s ticket.Status) bool {
	switch s {
	case ticket.StatusWAITING, ticket.StatusCALLED, ticket.StatusIN_SERVICE:
		return false
	default:
		return true
	}
}

// locationStatus is Encounter.location.status: planned once called there, active in service,
// completed once over.
func locationStatus(s ticket.Status) string {
	switch s {
	case ticket.StatusCALLED:
		return "planned"
	case ticket.StatusIN_SERVICE:
		return "active"
	default:
		return "completed"
	}
}

// EncounterOf maps a ticket with its queue, service point and events (in time order) loaded.
func EncounterOf(t *ent.Ticket) *Encounter {
	q := t.Edges.Queue
	triage := q != nil && TriageOrdered(q.Ordering)
	out := &Encounter{
		ID:            t.ID,
		Meta:          meta(t.UpdatedAt),
		Status:        EncounterStatus(t.Status, t.AwaitingTriage, triage),
		StatusHistory: StatusHistory(t, triage, t.Edges.Events),
		Class:         EncounterClass(triage),
		Priority:      EncounterPriority(t.TriageLevel, t.AwaitingTriage, triage),
		Subject:       ref("Patient", string(t.PatientID)),
		Period:        Period{Start: ptr(t.CheckedInAt), End: t.EndedAt},
		queueID:       string(t.QueueID),
		final:         Final(t.Status),
	}
	if q != nil {
		out.ServiceType = ptr(serviceType(q))
	}
	if t.AppointmentID != "" {
		out.Appointment = []Reference{ref("Appointment", string(t.AppointmentID))}
	}
	if t.PreviousID != "" {
		out.PartOf = ptr(ref("Encounter", string(t.PreviousID)))
	}
	if sp := t.Edges.ServicePoint; sp != nil {
		at := ref("Location", string(sp.ID))
		at.Display = ptr(sp.Name)
		start := t.CalledAt
		if start == nil {
			start = t.StartedAt
		}
		loc := EncounterLocation{Location: at, Status: locationStatus(t.Status), Period: Period{Start: start}}
		if Final(t.Status) {
			loc.Period.End = t.EndedAt
		}
		out.Location = []EncounterLocation{loc}
	}
	return out
}
