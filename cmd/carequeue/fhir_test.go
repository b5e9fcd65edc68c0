package main

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/store"
)

type fhirRef struct {
	Reference string
	Display   *string
}

type fhirPeriod struct {
	Start, End *time.Time
}

type fhirEncounter struct {
	ResourceType, ID, Status string
	StatusHistory            []struct {
		Status string
		Period fhirPeriod
	}
	Class    struct{ Code string }
	Priority *struct {
		Coding []struct{ System, Code string }
		Text   string
	}
	ServiceType struct{ Text string }
	Subject     fhirRef
	Appointment []fhirRef
	Period      fhirPeriod
	Location    []struct {
		Location fhirRef
		Status   string
		Period   fhirPeriod
	}
	Meta struct{ LastUpdated, VersionID string }
}

const fhirEncounterFields = `resourceType id status statusHistory{ status period{ start end } } class{ code } priority{ coding{ system code } text }
	serviceType{ text } subject{ reference display } appointment{ reference } period{ start end }
	location{ location{ reference display } status period{ start end } } meta{ lastUpdated versionId }`

// fhirQuery runs a query in the fhir namespace and decodes its field into dst.
func (s *testServer) fhir(t *testing.T, token, query string, vars map[string]any, field string, dst any) {
	t.Helper()
	var ns map[string]json.RawMessage
	s.ok(t, token, query, vars, "fhir", &ns)
	require.NoError(t, json.Unmarshal(ns[field], dst), string(ns[field]))
}

// TestFHIRView reads patients, appointments and encounters in FHIR's shape through the real handler,
// by id, by MRN and by search with paging, and refuses patients, kiosks, other facilities' records
// and API clients without the scope.
func TestFHIRView(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, map[string]string{"FHIR_MRN_SYSTEM": "https://hospital.example/mrn/{facility}", "APP_ENV": codesInTheLog["APP_ENV"]})
		h := setupHospital(t, s)
		system := "https://hospital.example/mrn/" + h.facility

		var ada node
		s.ok(t, h.reception, `mutation($f:ID!){ createPatient(input:{givenName:"Ada", familyName:"Lovelace", facilityID:$f, mrn:"MRN-1815", phone:"+33612345671", dateOfBirth:"1990-04-03T00:00:00Z"}){ id } }`,
			map[string]any{"f": h.facility}, "createPatient", &ada)
		var apt node
		s.ok(t, h.reception, `mutation($p:ID!,$q:ID!,$at:Time!){ createAppointment(input:{patientID:$p, queueID:$q, scheduledAt:$at, externalRef:"EHR-77"}){ id } }`,
			map[string]any{"p": ada.ID, "q": h.triage, "at": time.Now().UTC().Add(time.Hour).Format(time.RFC3339)}, "createAppointment", &apt)

		t.Run("PatientByIdAndByMRN", func(t *testing.T) {
			var p struct {
				ResourceType, ID string
				Identifier       []struct{ System, Value string }
				Name             []struct {
					Family string
					Given  []string
				}
				BirthDate string
				Gender    *string
				Meta      struct{ LastUpdated, VersionID string }
			}
			q := `query($id:ID!){ fhir{ Patient(id:$id){ resourceType id identifier{ system value } name{ family given } birthDate gender meta{ lastUpdated versionId } } } }`
			s.fhir(t, h.clinician, q, map[string]any{"id": ada.ID}, "Patient", &p)
			require.Equal(t, "Patient", p.ResourceType)
			require.Equal(t, ada.ID, p.ID)
			require.Equal(t, []struct{ System, Value string }{{system, "MRN-1815"}}, p.Identifier)
			require.Equal(t, "Lovelace", p.Name[0].Family)
			require.Equal(t, []string{"Ada"}, p.Name[0].Given)
			require.Equal(t, "1990-04-03", p.BirthDate)
			require.Nil(t, p.Gender)
			require.NotEmpty(t, p.Meta.VersionID)

			list := `query($i:String!){ fhir{ PatientList(identifier:$i){ id } } }`
			for _, tc := range []struct {
				identifier string
				found      int
			}{
				{system + "|MRN-1815", 1},
				{"MRN-1815", 1},
				{"https://hospital.example/mrn/FC-other|MRN-1815", 0},
				{"urn:oid:1.2.3|MRN-1815", 0},
				{system + "|MRN-0000", 0},
			} {
				var found []node
				s.fhir(t, h.clinician, list, map[string]any{"i": tc.identifier}, "PatientList", &found)
				require.Len(t, found, tc.found, tc.identifier)
			}
		})

		// A journey: checked in for the appointment, called, served; a second visit waits.
		var first node
		s.ok(t, h.reception, `mutation($q:ID!,$p:ID!,$a:ID!){ checkIn(input:{queueID:$q, patientID:$p, appointmentID:$a, triageLevel:URGENT}){ id } }`,
			map[string]any{"q": h.triage, "p": ada.ID, "a": apt.ID}, "checkIn", &first)
		s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`, map[string]any{"q": h.triage, "sp": h.room1}, "", nil)
		s.ok(t, h.clinician, `mutation($t:ID!){ startService(ticketID:$t){ id } }`, map[string]any{"t": first.ID}, "", nil)
		s.ok(t, h.clinician, `mutation($t:ID!){ completeTicket(ticketID:$t){ id } }`, map[string]any{"t": first.ID}, "", nil)
		var second node
		s.ok(t, h.reception, `mutation($q:ID!,$p:ID!){ checkIn(input:{queueID:$q, patientID:$p}){ id } }`,
			map[string]any{"q": h.lab, "p": ada.ID}, "checkIn", &second)

		t.Run("EncounterOfAJourney", func(t *testing.T) {
			var e fhirEncounter
			s.fhir(t, h.clinician, `query($id:ID!){ fhir{ Encounter(id:$id){ `+fhirEncounterFields+` } } }`, map[string]any{"id": first.ID}, "Encounter", &e)
			require.Equal(t, "Encounter", e.ResourceType)
			require.Equal(t, "finished", e.Status)
			require.Equal(t, "EMER", e.Class.Code, "a triage queue")
			require.NotNil(t, e.Priority, "triaged at check-in")
			require.Equal(t, "http://terminology.hl7.org/CodeSystem/v3-ActPriority", e.Priority.Coding[0].System)
			require.Equal(t, "UR", e.Priority.Coding[0].Code, "URGENT")
			require.Equal(t, "Urgent", e.Priority.Text)
			require.Equal(t, "Triage", e.ServiceType.Text)
			require.Equal(t, "Patient/"+ada.ID, e.Subject.Reference)
			require.Nil(t, e.Subject.Display, "no name on an encounter")
			require.Equal(t, []fhirRef{{Reference: "Appointment/" + apt.ID}}, e.Appointment)
			require.NotNil(t, e.Period.Start)
			require.NotNil(t, e.Period.End)
			require.Len(t, e.Location, 1)
			require.Equal(t, "Location/"+h.room1, e.Location[0].Location.Reference)
			require.Equal(t, "Room 1", *e.Location[0].Location.Display)
			require.Equal(t, "completed", e.Location[0].Status)
			var statuses []string
			for _, st := range e.StatusHistory {
				statuses = append(statuses, st.Status)
			}
			require.Equal(t, []string{"triaged", "in-progress", "finished"}, statuses)
			require.WithinDuration(t, *e.Period.Start, *e.StatusHistory[0].Period.Start, time.Second, "from the check-in")
			require.Nil(t, e.StatusHistory[2].Period.End)

			var a struct {
				Status      string
				Identifier  []struct{ Value string }
				Participant []struct{ Actor fhirRef }
			}
			s.fhir(t, h.reception, `query($id:ID!){ fhir{ Appointment(id:$id){ status identifier{ value } participant{ actor{ reference display } } } } }`,
				map[string]any{"id": apt.ID}, "Appointment", &a)
			require.Equal(t, "fulfilled", a.Status, "checked in and served")
			require.Equal(t, "EHR-77", a.Identifier[0].Value)
			require.Equal(t, "Patient/"+ada.ID, a.Participant[0].Actor.Reference)
			require.Nil(t, a.Participant[0].Actor.Display)
		})

		t.Run("SearchesWithPaging", func(t *testing.T) {
			q := `query($p:String,$s:String,$d:String,$n:Int,$c:ID){ fhir{ EncounterList(patient:$p, status:$s, date:$d, _count:$n, _cursor:$c){ id status } } }`
			var page1, page2, page3 []node
			s.fhir(t, h.clinician, q, map[string]any{"p": "Patient/" + ada.ID, "n": 1}, "EncounterList", &page1)
			require.Equal(t, []node{{ID: first.ID, Status: "finished"}}, page1)
			s.fhir(t, h.clinician, q, map[string]any{"p": ada.ID, "n": 1, "c": page1[0].ID}, "EncounterList", &page2)
			require.Equal(t, []node{{ID: second.ID, Status: "arrived"}}, page2, "a FIFO queue: arrived")
			s.fhir(t, h.clinician, q, map[string]any{"p": ada.ID, "n": 1, "c": page2[0].ID}, "EncounterList", &page3)
			require.Empty(t, page3)

			var byStatus []node
			s.fhir(t, h.clinician, q, map[string]any{"s": "arrived"}, "EncounterList", &byStatus)
			require.Equal(t, []node{{ID: second.ID, Status: "arrived"}}, byStatus)
			s.fhir(t, h.clinician, q, map[string]any{"s": "planned"}, "EncounterList", &byStatus)
			require.Empty(t, byStatus, "a code the view never produces finds nothing")
			s.fhir(t, h.clinician, q, map[string]any{"d": "2001-01-01"}, "EncounterList", &byStatus)
			require.Empty(t, byStatus)

			var apts []node
			s.fhir(t, h.clinician, `query($p:String!){ fhir{ AppointmentList(patient:$p, status:"fulfilled"){ id status } } }`,
				map[string]any{"p": ada.ID}, "AppointmentList", &apts)
			require.Equal(t, []node{{ID: apt.ID, Status: "fulfilled"}}, apts)
		})

		t.Run("CarelessInput", func(t *testing.T) {
			for _, tc := range []struct {
				query, field string
			}{
				{`{ fhir{ EncounterList(_count:0){ id } } }`, "_count"},
				{`{ fhir{ PatientList(_count:1000){ id } } }`, "_count"},
				{`{ fhir{ EncounterList(status:"in progress"){ id } } }`, "status"},
				{`{ fhir{ AppointmentList(date:"04/12/2026"){ id } } }`, "date"},
				{`{ fhir{ EncounterList(patient:"Patient/x' OR 1=1"){ id } } }`, "patient"},
				{`{ fhir{ PatientList(identifier:"|"){ id } } }`, "identifier"},
				{`{ fhir{ Patient(id:"PA1"){ id } } }`, "id"},
				{`{ fhir{ Patient(id:"../Patient/x"){ id } } }`, "id"},
				{`{ fhir{ Encounter(id:"` + ada.ID + `"){ id } } }`, "id"},
				{`{ fhir{ Appointment(id:"` + first.ID + `"){ id } } }`, "id"},
				{`{ fhir{ EncounterList(patient:"Encounter/` + first.ID + `"){ id } } }`, "patient"},
				{`{ fhir{ EncounterList(_cursor:"` + ada.ID + `"){ id } } }`, "_cursor"},
				{`{ fhir{ PatientList(_cursor:"not-an-id"){ id } } }`, "_cursor"},
			} {
				r := s.gql(t, h.clinician, tc.query, nil)
				require.Equal(t, "BAD_USER_INPUT", r.code(), r.Raw)
				require.Equal(t, tc.field, r.Errors[0].Extensions["field"], r.Raw)
			}
		})

		t.Run("PatientsAndKiosksAreRefused", func(t *testing.T) {
			patient := patientSession(t, s, h, "+33612345671")
			for _, token := range []string{patient, h.kiosk(t, s)} {
				r := s.gql(t, token, `query($id:ID!){ fhir{ Patient(id:$id){ id } } }`, map[string]any{"id": ada.ID})
				require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
				require.NotContains(t, r.Raw, "Lovelace")
			}
			r := s.gql(t, "", `{ fhir{ EncounterList{ id } } }`, nil)
			require.Equal(t, "UNAUTHENTICATED", r.code(), r.Raw)
		})

		t.Run("AnotherFacilityIsNotFound", func(t *testing.T) {
			var f, far node
			s.ok(t, h.admin, `mutation{ createFacility(input:{name:"Other", timezone:"Europe/Paris"}){ id } }`, nil, "createFacility", &f)
			s.ok(t, h.admin, `mutation($f:ID!){ createPatient(input:{givenName:"Far", familyName:"Away", facilityID:$f, mrn:"MRN-1815"}){ id } }`,
				map[string]any{"f": f.ID}, "createPatient", &far)
			for _, id := range []string{far.ID, string(pulid.New("PA"))} {
				r := s.gql(t, h.clinician, `query($id:ID!){ fhir{ Patient(id:$id){ id name{ family } } } }`, map[string]any{"id": id})
				require.Equal(t, "NOT_FOUND", r.code(), r.Raw)
				require.NotContains(t, r.Raw, "Away")
			}
			var found []node
			s.fhir(t, h.clinician, `{ fhir{ PatientList(identifier:"MRN-1815"){ id } } }`, nil, "PatientList", &found)
			require.Equal(t, []node{{ID: ada.ID}}, found, "the same MRN elsewhere is not listed")
			s.fhir(t, h.admin, `{ fhir{ PatientList(identifier:"MRN-1815"){ id } } }`, nil, "PatientList", &found)
			require.Len(t, found, 2, "a global admin sees every facility")
			s.fhir(t, h.admin, `query($i:String!){ fhir{ PatientList(identifier:$i){ id } } }`, map[string]any{"i": "https://hospital.example/mrn/" + f.ID + "|MRN-1815"}, "PatientList", &found)
			require.Equal(t, []node{{ID: far.ID}}, found, "the system names the facility")
		})

		t.Run("APIClientsReadWithinTheirScopes", func(t *testing.T) {
			var c apiClientSecret
			s.ok(t, h.admin, `mutation($f:ID!){ createAPIClient(input:{name:"EHR", facilityID:$f, scopes:["queues:read"]}){ client{ id } clientSecret } }`,
				map[string]any{"f": h.facility}, "createAPIClient", &c)
			grant := s.token(t, formType, "grant_type=client_credentials", basic(c.Client.ID, c.ClientSecret))
			require.Equal(t, http.StatusOK, grant.Status)
			var e fhirEncounter
			s.fhir(t, grant.AccessToken, `query($id:ID!){ fhir{ Encounter(id:$id){ `+fhirEncounterFields+` } } }`, map[string]any{"id": first.ID}, "Encounter", &e)
			require.Equal(t, "finished", e.Status)
			for _, q := range []string{
				`query($id:ID!){ fhir{ Patient(id:$id){ id } } }`,
				`query($id:String!){ fhir{ PatientList(identifier:$id){ id } } }`,
				`query($id:ID!){ fhir{ Appointment(id:$id){ id } } }`,
			} {
				r := s.gql(t, grant.AccessToken, q, map[string]any{"id": ada.ID})
				require.Equal(t, "FORBIDDEN", r.code(), q+": "+r.Raw)
				require.NotContains(t, r.Raw, "Lovelace")
			}

			s.ok(t, h.admin, `mutation($f:ID!){ createAPIClient(input:{name:"MPI", facilityID:$f, scopes:["patients:read"]}){ client{ id } clientSecret } }`,
				map[string]any{"f": h.facility}, "createAPIClient", &c)
			grant = s.token(t, formType, "grant_type=client_credentials", basic(c.Client.ID, c.ClientSecret))
			var p struct{ ID string }
			s.fhir(t, grant.AccessToken, `query($id:ID!){ fhir{ Patient(id:$id){ id } } }`, map[string]any{"id": ada.ID}, "Patient", &p)
			require.Equal(t, ada.ID, p.ID)
			r := s.gql(t, grant.AccessToken, `query($id:ID!){ fhir{ Encounter(id:$id){ id } } }`, map[string]any{"id": first.ID})
			require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
		})
	})
}

// TestFHIREncounterFeed follows a queue's encounters over a real socket: the open ones first, then
// each check-in and call as an Encounter update.
func TestFHIREncounterFeed(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, codesInTheLog)
		h := setupHospital(t, s)
		waiting := h.checkIn(t, s, h.triage, "Early", "STANDARD")

		feed := s.subscribe(t, h.clinician, `subscription($q:[ID!]){ fhirEncounterChanged(queueIDs:$q){ `+fhirEncounterFields+` } }`,
			map[string]any{"q": []string{h.triage}})
		next := func(c *websocket.Conn) []fhirEncounter {
			m := s.read(t, c)
			require.Equal(t, "next", m.Type, string(m.Payload))
			var v struct {
				Data struct{ FhirEncounterChanged []fhirEncounter }
			}
			require.NoError(t, json.Unmarshal(m.Payload, &v), string(m.Payload))
			require.NotContains(t, string(m.Payload), `"errors"`)
			return v.Data.FhirEncounterChanged
		}
		open := next(feed)
		require.Len(t, open, 1, "the open encounters come first")
		require.Equal(t, waiting.ID, open[0].ID)
		require.Equal(t, "triaged", open[0].Status)
		require.Equal(t, "R", open[0].Priority.Coding[0].Code, "STANDARD is routine")

		s.ok(t, h.clinician, `mutation($t:ID!){ retriageTicket(ticketID:$t, triageLevel:NON_URGENT, reason:"feels better"){ id } }`, map[string]any{"t": waiting.ID}, "", nil)
		got := next(feed)
		require.Len(t, got, 1, "a re-triage is an encounter change")
		require.Equal(t, waiting.ID, got[0].ID)
		require.Equal(t, "R", got[0].Priority.Coding[0].Code)
		require.Equal(t, "Non-urgent", got[0].Priority.Text)

		arrival := h.checkIn(t, s, h.triage, "Late", "URGENT")
		got = next(feed)
		require.Len(t, got, 1, "only what changed")
		require.Equal(t, arrival.ID, got[0].ID)
		require.Equal(t, "triaged", got[0].Status)

		s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`, map[string]any{"q": h.triage, "sp": h.room1}, "", nil)
		got = next(feed)
		require.Len(t, got, 1)
		require.Equal(t, arrival.ID, got[0].ID, "the urgent patient is called first")
		require.Len(t, got[0].Location, 1)
		require.Equal(t, "Location/"+h.room1, got[0].Location[0].Location.Reference)
		require.Equal(t, "planned", got[0].Location[0].Status)
		require.NotNil(t, got[0].Location[0].Period.Start)

		s.ok(t, h.clinician, `mutation($t:ID!){ startService(ticketID:$t){ id } }`, map[string]any{"t": arrival.ID}, "", nil)
		got = next(feed)
		require.Equal(t, "in-progress", got[0].Status)
		require.Equal(t, "active", got[0].Location[0].Status)
		require.Len(t, got[0].StatusHistory, 2)

		s.ok(t, h.clinician, `mutation($t:ID!){ completeTicket(ticketID:$t){ id } }`, map[string]any{"t": arrival.ID}, "", nil)
		got = next(feed)
		require.Equal(t, arrival.ID, got[0].ID)
		require.Equal(t, "finished", got[0].Status, "a closed encounter is sent once, final")
		require.NotNil(t, got[0].Period.End)

		t.Run("EverySubscriberGetsItsOwnFirstMessage", func(t *testing.T) {
			// The same document, variables and rights as feed: identical snapshot subscriptions share
			// one execution (fanout), but this feed sends changes, so a second subscriber must start
			// from the open encounters, not from the first one's latest change.
			later := h.checkIn(t, s, h.triage, "Later", "STANDARD")
			got := next(feed)
			require.Len(t, got, 1)
			require.Equal(t, later.ID, got[0].ID)
			twin := s.subscribe(t, h.clinician, `subscription($q:[ID!]){ fhirEncounterChanged(queueIDs:$q){ `+fhirEncounterFields+` } }`,
				map[string]any{"q": []string{h.triage}})
			open := next(twin)
			ids := make([]string, len(open))
			for i, e := range open {
				ids[i] = e.ID
			}
			require.ElementsMatch(t, []string{waiting.ID, later.ID}, ids, "the open encounters, not the last change")
		})

		t.Run("RefusedAndUnknownQueues", func(t *testing.T) {
			patient := patientSession(t, s, h, "+33612345678")
			c := s.subscribe(t, patient, `subscription{ fhirEncounterChanged{ id } }`, nil)
			m := s.read(t, c)
			require.Contains(t, string(m.Payload), `"code":"FORBIDDEN"`, m.Type)
			require.Contains(t, string(m.Payload), `"data":null`)

			q := otherFacilityQueue(t, s, h)
			c = s.subscribe(t, h.clinician, `subscription($q:[ID!]){ fhirEncounterChanged(queueIDs:$q){ id } }`, map[string]any{"q": []string{h.triage, q.ID}})
			m = s.read(t, c)
			require.Contains(t, string(m.Payload), `"code":"NOT_FOUND"`, m.Type)
			require.Contains(t, string(m.Payload), `"data":null`)
			require.NotContains(t, string(m.Payload), "Other Q")

			c = s.subscribe(t, h.clinician, `subscription($q:[ID!]){ fhirEncounterChanged(queueIDs:$q){ id } }`, map[string]any{"q": []string{h.triage, h.room1}})
			m = s.read(t, c)
			require.Contains(t, string(m.Payload), `"code":"BAD_USER_INPUT"`, m.Type)
			require.Contains(t, string(m.Payload), `"field":"queueIDs"`)
		})
	})
}

type fhirAppointment struct {
	ID, Status  string
	Start       *time.Time
	Participant []struct{ Actor fhirRef }
}

const fhirAppointmentFeed = `subscription($q:[ID!]){ fhirAppointmentChanged(queueIDs:$q){ id status start participant{ actor{ reference } } } }`

// TestFHIRAppointmentFeed follows a queue's appointments over a real socket: today's booked and
// arrived ones first, then each booking, check-in and end of visit (fulfilled, noshow) and each
// cancellation as an Appointment update, and nothing for changes an Appointment does not show.
func TestFHIRAppointmentFeed(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, codesInTheLog)
		h := setupHospital(t, s)
		patient := func(given string) string {
			var p node
			s.ok(t, h.reception, `mutation($f:ID!,$g:String!){ createPatient(input:{givenName:$g, familyName:"Feed", facilityID:$f}){ id } }`,
				map[string]any{"f": h.facility, "g": given}, "createPatient", &p)
			return p.ID
		}
		book := func(patientID string, at time.Time) string {
			var a node
			s.ok(t, h.reception, `mutation($p:ID!,$q:ID!,$at:Time!){ createAppointment(input:{patientID:$p, queueID:$q, scheduledAt:$at}){ id } }`,
				map[string]any{"p": patientID, "q": h.triage, "at": at.UTC().Format(time.RFC3339)}, "createAppointment", &a)
			return a.ID
		}
		checkIn := func(patientID, appointmentID string) string {
			var tk node
			s.ok(t, h.reception, `mutation($q:ID!,$p:ID!,$a:ID!){ checkIn(input:{queueID:$q, patientID:$p, appointmentID:$a, triageLevel:URGENT}){ id } }`,
				map[string]any{"q": h.triage, "p": patientID, "a": appointmentID}, "checkIn", &tk)
			return tk.ID
		}
		next := func(c *websocket.Conn) []fhirAppointment {
			m := s.read(t, c)
			require.Equal(t, "next", m.Type, string(m.Payload))
			var v struct {
				Data struct{ FhirAppointmentChanged []fhirAppointment }
			}
			require.NoError(t, json.Unmarshal(m.Payload, &v), string(m.Payload))
			require.NotContains(t, string(m.Payload), `"errors"`)
			return v.Data.FhirAppointmentChanged
		}
		ids := func(as []fhirAppointment) []string {
			out := make([]string, len(as))
			for i, a := range as {
				out[i] = a.ID + " " + a.Status
			}
			return out
		}
		now := time.Now()
		ada, bob, cy := patient("Ada"), patient("Bob"), patient("Cy")
		adaApt := book(ada, now)
		cyApt := book(cy, now.Add(72*time.Hour)) // another day: not current

		feed := s.subscribe(t, h.clinician, fhirAppointmentFeed, map[string]any{"q": []string{h.triage}})
		require.Equal(t, []string{adaApt + " booked"}, ids(next(feed)), "today's booked appointments come first")

		bobApt := book(bob, now)
		got := next(feed)
		require.Equal(t, []string{bobApt + " booked"}, ids(got), "a booking")
		require.Equal(t, "Patient/"+bob, got[0].Participant[0].Actor.Reference)

		adaTicket := checkIn(ada, adaApt)
		require.Equal(t, []string{adaApt + " arrived"}, ids(next(feed)), "the check-in")

		// Calling and serving change the encounter, not the appointment: the next message is the end.
		s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`, map[string]any{"q": h.triage, "sp": h.room1}, "", nil)
		s.ok(t, h.clinician, `mutation($t:ID!){ startService(ticketID:$t){ id } }`, map[string]any{"t": adaTicket}, "", nil)
		s.ok(t, h.clinician, `mutation($t:ID!){ completeTicket(ticketID:$t){ id } }`, map[string]any{"t": adaTicket}, "", nil)
		require.Equal(t, []string{adaApt + " fulfilled"}, ids(next(feed)), "served")

		bobTicket := checkIn(bob, bobApt)
		require.Equal(t, []string{bobApt + " arrived"}, ids(next(feed)))
		s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`, map[string]any{"q": h.triage, "sp": h.room1}, "", nil)
		s.ok(t, h.clinician, `mutation($t:ID!){ markNoShow(ticketID:$t){ id } }`, map[string]any{"t": bobTicket}, "", nil)
		require.Equal(t, []string{bobApt + " noshow"}, ids(next(feed)), "the visit was missed")

		s.ok(t, h.reception, `mutation($id:ID!){ updateAppointment(id:$id, input:{status:CANCELLED}){ id } }`, map[string]any{"id": cyApt}, "", nil)
		require.Equal(t, []string{cyApt + " cancelled"}, ids(next(feed)), "a cancellation, whatever the day")

		t.Run("EverySubscriberGetsItsOwnFirstMessage", func(t *testing.T) {
			dan := patient("Dan")
			danApt := book(dan, now)
			require.Equal(t, []string{danApt + " booked"}, ids(next(feed)))
			twin := s.subscribe(t, h.clinician, fhirAppointmentFeed, map[string]any{"q": []string{h.triage}})
			require.Equal(t, []string{danApt + " booked"}, ids(next(twin)), "the current appointments, not the last change")
			s.ok(t, h.reception, `mutation($id:ID!){ updateAppointment(id:$id, input:{status:NO_SHOW}){ id } }`, map[string]any{"id": danApt}, "", nil)
			require.Equal(t, []string{danApt + " noshow"}, ids(next(feed)), "marked missed")
			require.Equal(t, []string{danApt + " noshow"}, ids(next(twin)))
		})

		t.Run("APIClientsNeedTheAppointmentsScope", func(t *testing.T) {
			for scope, ok := range map[string]bool{"appointments:write": true, "queues:read": false} {
				var c apiClientSecret
				s.ok(t, h.admin, `mutation($f:ID!,$s:String!){ createAPIClient(input:{name:"EHR", facilityID:$f, scopes:[$s]}){ client{ id } clientSecret } }`,
					map[string]any{"f": h.facility, "s": scope}, "createAPIClient", &c)
				grant := s.token(t, formType, "grant_type=client_credentials", basic(c.Client.ID, c.ClientSecret))
				require.Equal(t, http.StatusOK, grant.Status)
				sub := s.subscribe(t, grant.AccessToken, fhirAppointmentFeed, nil)
				if ok {
					require.NotNil(t, next(sub), scope)
					continue
				}
				m := s.read(t, sub)
				require.Contains(t, string(m.Payload), `"code":"FORBIDDEN"`, scope)
			}
		})

		t.Run("RefusedViewersAndBadInput", func(t *testing.T) {
			s.ok(t, h.reception, `mutation($f:ID!){ createPatient(input:{givenName:"Eve", familyName:"Feed", facilityID:$f, phone:"+33612345679"}){ id } }`,
				map[string]any{"f": h.facility}, "createPatient", nil)
			for _, token := range []string{patientSession(t, s, h, "+33612345679"), h.kiosk(t, s)} {
				c := s.subscribe(t, token, `subscription{ fhirAppointmentChanged{ id } }`, nil)
				m := s.read(t, c)
				require.Contains(t, string(m.Payload), `"code":"FORBIDDEN"`, m.Type)
				require.Contains(t, string(m.Payload), `"data":null`)
			}

			q := otherFacilityQueue(t, s, h)
			c := s.subscribe(t, h.clinician, `subscription($q:[ID!]){ fhirAppointmentChanged(queueIDs:$q){ id } }`, map[string]any{"q": []string{h.triage, q.ID}})
			m := s.read(t, c)
			require.Contains(t, string(m.Payload), `"code":"NOT_FOUND"`, m.Type)
			require.NotContains(t, string(m.Payload), "Other Q")

			for _, tc := range []struct {
				token string
				vars  map[string]any
			}{
				{h.clinician, map[string]any{"q": []string{h.triage, h.room1}}},
				{h.admin, nil}, // an account of every facility names its queues
			} {
				c = s.subscribe(t, tc.token, `subscription($q:[ID!]){ fhirAppointmentChanged(queueIDs:$q){ id } }`, tc.vars)
				m = s.read(t, c)
				require.Contains(t, string(m.Payload), `"code":"BAD_USER_INPUT"`, m.Type)
				require.Contains(t, string(m.Payload), `"field":"queueIDs"`)
			}
		})
	})
}

// otherFacilityQueue creates a facility besides h's with one queue, "Other Q".
func otherFacilityQueue(t *testing.T, s *testServer, h *hospital) node {
	t.Helper()
	var f, dep, q node
	s.ok(t, h.admin, `mutation{ createFacility(input:{name:"Other", timezone:"Europe/Paris"}){ id } }`, nil, "createFacility", &f)
	s.ok(t, h.admin, `mutation($f:ID!){ createDepartment(input:{name:"ED", facilityID:$f}){ id } }`, map[string]any{"f": f.ID}, "createDepartment", &dep)
	s.ok(t, h.admin, `mutation($d:ID!){ createQueue(input:{name:"Other Q", prefix:"O", ordering:FIFO, active:true, departmentID:$d}){ id } }`, map[string]any{"d": dep.ID}, "createQueue", &q)
	return q
}
