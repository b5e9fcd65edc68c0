package fhir

import (
	"time"

	"github.com/carequeue/carequeue/ent/schema/pulid"
)

// The types below carry FHIR R4 element names, so that gqlgen binds schema/fhir.graphql to them
// field by field. Codes are FHIR's own strings ("in-progress"), which GraphQL enums cannot spell.

// Meta is Resource.meta.
type Meta struct {
	LastUpdated time.Time
	// VersionID changes whenever the resource does: the last update time in milliseconds. There is
	// no history read behind it.
	VersionID string
}

// Coding is a FHIR Coding.
type Coding struct {
	System  string
	Code    string
	Display *string
}

// CodeableConcept is a FHIR CodeableConcept.
type CodeableConcept struct {
	Coding []Coding
	Text   *string
}

// Identifier is a FHIR Identifier.
type Identifier struct {
	Use    *string
	Type   *CodeableConcept
	System *string
	Value  string
}

// HumanName is a FHIR HumanName.
type HumanName struct {
	Use    string
	Family string
	Given  []string
}

// ContactPoint is a FHIR ContactPoint.
type ContactPoint struct {
	System string
	Value  string
	Use    string
}

// Reference is a FHIR Reference ("Patient/PA..."), with a display only where the reader may see it.
type Reference struct {
	Reference string
	Display   *string
}

// Period is a FHIR Period; a missing end means "still going".
type Period struct {
	Start *time.Time
	End   *time.Time
}

// Patient is a FHIR Patient.
type Patient struct {
	ID                   pulid.ID
	Meta                 Meta
	Identifier           []Identifier
	Name                 []HumanName
	Telecom              []ContactPoint
	BirthDate            *string
	ManagingOrganization Reference
	Communication        []PatientCommunication
}

// ResourceType is "Patient".
func (Patient) ResourceType() string { return "Patient" }

// PatientCommunication is Patient.communication.
type PatientCommunication struct {
	Language  CodeableConcept
	Preferred bool
}

// Appointment is a FHIR Appointment.
type Appointment struct {
	ID          pulid.ID
	Meta        Meta
	Identifier  []Identifier
	Status      string
	ServiceType []CodeableConcept
	Start       *time.Time
	Created     *time.Time
	Participant []AppointmentParticipant
}

// ResourceType is "Appointment".
func (Appointment) ResourceType() string { return "Appointment" }

// AppointmentParticipant is Appointment.participant.
type AppointmentParticipant struct {
	Actor    Reference
	Required string
	Status   string
}

// Encounter is a FHIR Encounter: one ticket, from check-in to its end.
type Encounter struct {
	ID            pulid.ID
	Meta          Meta
	Status        string
	StatusHistory []EncounterStatusHistory
	Class         Coding
	Priority      *CodeableConcept
	ServiceType   *CodeableConcept
	Subject       Reference
	Appointment   []Reference
	Period        Period
	Location      []EncounterLocation
	PartOf        *Reference

	// queueID and final decide who may follow the encounter and when its feed forgets it.
	queueID string
	final   bool
}

// ResourceType is "Encounter".
func (Encounter) ResourceType() string { return "Encounter" }

// EncounterStatusHistory is Encounter.statusHistory.
type EncounterStatusHistory struct {
	Status string
	Period Period
}

// EncounterLocation is Encounter.location.
type EncounterLocation struct {
	Location Reference
	Status   string
	Period   Period
}

// Gender is always null: CareQueue does not record it.
func (Patient) Gender() *string { return nil }

// End is always null: CareQueue books a start time, not a length.
func (Appointment) End() *time.Time { return nil }
