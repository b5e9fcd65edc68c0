// Package fhir owns CareQueue's FHIR R4-shaped read view (schema/fhir.graphql): Patient, Appointment
// and Encounter resources mapped from patients, appointments and tickets, read through the viewer's
// ent privacy rules, and a change feed of Encounters built on the realtime fan-out. The mapping
// functions are pure; docs/integration.md ("FHIR view") is the integrator's table of them.
//
// Only staff (ADMIN, RECEPTIONIST, CLINICIAN) and integrations read the view: patients and kiosks are
// refused (FORBIDDEN). A resource of another facility is NOT_FOUND, exactly like one that does not exist.
package fhir
