package fhir

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/appointment"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/cqerr"
)

func TestEncounterStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name           string
		status         ticket.Status
		awaiting, tria bool
		want           string
	}{
		{"WaitingInFIFOIsArrived", ticket.StatusWAITING, false, false, EncounterArrived},
		{"WaitingTriagedIsTriaged", ticket.StatusWAITING, false, true, EncounterTriaged},
		{"SelfCheckInAwaitingTriageIsArrived", ticket.StatusWAITING, true, true, EncounterArrived},
		{"CalledKeepsItsTriage", ticket.StatusCALLED, false, true, EncounterTriaged},
		{"CalledInFIFOIsArrived", ticket.StatusCALLED, false, false, EncounterArrived},
		{"InServiceIsInProgress", ticket.StatusIN_SERVICE, false, true, EncounterInProgress},
		{"CompletedIsFinished", ticket.StatusCOMPLETED, false, true, EncounterFinished},
		{"TransferredIsFinished", ticket.StatusTRANSFERRED, false, false, EncounterFinished},
		{"NoShowIsCancelled", ticket.StatusNO_SHOW, false, true, EncounterCancelled},
		{"CancelledIsCancelled", ticket.StatusCANCELLED, true, true, EncounterCancelled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, EncounterStatus(tc.status, tc.awaiting, tc.tria))
			require.Contains(t, encounterCodes, tc.want, "an R4 EncounterStatus code")
		})
	}
}

func TestEncounterPriority(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                  string
		level                 enum.TriageLevel
		awaiting, triageQueue bool
		code, text            string
	}{
		{"ImmediateIsEmergency", enum.TriageLevelImmediate, false, true, "EM", "Immediate"},
		{"VeryUrgentIsUrgent", enum.TriageLevelVeryUrgent, false, true, "UR", "Very urgent"},
		{"UrgentIsUrgent", enum.TriageLevelUrgent, false, true, "UR", "Urgent"},
		{"StandardIsRoutine", enum.TriageLevelStandard, false, true, "R", "Standard"},
		{"NonUrgentIsRoutine", enum.TriageLevelNonUrgent, false, true, "R", "Non-urgent"},
		{"NoneInAFIFOQueue", enum.TriageLevelUrgent, false, false, "", ""},
		{"NoneAwaitingTriage", enum.TriageLevelStandard, true, true, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := EncounterPriority(tc.level, tc.awaiting, tc.triageQueue)
			if tc.code == "" {
				require.Nil(t, p)
				return
			}
			require.NotNil(t, p)
			require.Equal(t, actPrioritySystem, p.Coding[0].System)
			require.Equal(t, tc.code, p.Coding[0].Code)
			require.Equal(t, tc.text, *p.Text)
		})
	}
	for _, l := range enum.TriageLevels() {
		require.NotNil(t, EncounterPriority(l, false, true), "every level has a priority: %s", l)
	}
}

func TestAppointmentStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		status  appointment.Status
		tickets []ticket.Status
		want    string
	}{
		{"ScheduledIsBooked", appointment.StatusSCHEDULED, nil, AppointmentBooked},
		{"CheckedInWaitingIsArrived", appointment.StatusCHECKED_IN, []ticket.Status{ticket.StatusWAITING}, AppointmentArrived},
		{"TransferredAndStillWaitingIsArrived", appointment.StatusCHECKED_IN, []ticket.Status{ticket.StatusTRANSFERRED, ticket.StatusCALLED}, AppointmentArrived},
		{"ServedIsFulfilled", appointment.StatusCHECKED_IN, []ticket.Status{ticket.StatusCOMPLETED}, AppointmentFulfilled},
		{"ServedAfterTransferIsFulfilled", appointment.StatusCHECKED_IN, []ticket.Status{ticket.StatusTRANSFERRED, ticket.StatusCOMPLETED}, AppointmentFulfilled},
		{"CalledAndGoneIsNoShow", appointment.StatusCHECKED_IN, []ticket.Status{ticket.StatusNO_SHOW}, AppointmentNoShow},
		{"VisitCancelledIsCancelled", appointment.StatusCHECKED_IN, []ticket.Status{ticket.StatusCANCELLED}, AppointmentCancelled},
		{"NeverCameIsNoShow", appointment.StatusNO_SHOW, nil, AppointmentNoShow},
		{"CancelledIsCancelled", appointment.StatusCANCELLED, nil, AppointmentCancelled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, AppointmentStatus(tc.status, tc.tickets))
			require.Contains(t, appointmentCodes, tc.want, "an R4 AppointmentStatus code")
		})
	}
}

func at(minute int) time.Time { return time.Date(2026, 12, 4, 9, minute, 0, 0, time.UTC) }

func event(action enum.Action, to ticket.Status, minute int) *ent.TicketEvent {
	return &ent.TicketEvent{Action: action, ToStatus: string(to), At: at(minute)}
}

func TestStatusHistory(t *testing.T) {
	t.Parallel()
	served := []*ent.TicketEvent{
		event(enum.ActionCheckIn, ticket.StatusWAITING, 0),
		event(enum.ActionCall, ticket.StatusCALLED, 10),
		event(enum.ActionRecall, ticket.StatusCALLED, 12),
		event(enum.ActionStart, ticket.StatusIN_SERVICE, 15),
		event(enum.ActionComplete, ticket.StatusCOMPLETED, 30),
	}
	selfCheckIn := []*ent.TicketEvent{
		event(enum.ActionCheckIn, ticket.StatusWAITING, 0),
		event(enum.ActionRetriage, ticket.StatusWAITING, 5),
		event(enum.ActionCall, ticket.StatusCALLED, 10),
	}
	type step struct {
		status     string
		start, end int // minutes; end -1: open
	}
	for _, tc := range []struct {
		name   string
		ticket *ent.Ticket
		triage bool
		events []*ent.TicketEvent
		want   []step
	}{
		{"CallAndRecallDoNotChangeStatus", &ent.Ticket{Source: ticket.SourceWALK_IN}, true, served,
			[]step{{EncounterTriaged, 0, 15}, {EncounterInProgress, 15, 30}, {EncounterFinished, 30, -1}}},
		{"FIFOQueueIsArrived", &ent.Ticket{Source: ticket.SourceWALK_IN}, false, served[:2],
			[]step{{EncounterArrived, 0, -1}}},
		{"SelfCheckInIsTriagedFromItsRetriage", &ent.Ticket{Source: ticket.SourceKIOSK}, true, selfCheckIn,
			[]step{{EncounterArrived, 0, 5}, {EncounterTriaged, 5, -1}}},
		{"StillAwaitingTriage", &ent.Ticket{Source: ticket.SourceMOBILE, AwaitingTriage: true}, true, selfCheckIn[:1],
			[]step{{EncounterArrived, 0, -1}}},
		{"NoEventsNoHistory", &ent.Ticket{}, true, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := StatusHistory(tc.ticket, tc.triage, tc.events)
			require.Len(t, got, len(tc.want))
			for i, w := range tc.want {
				require.Equal(t, w.status, got[i].Status)
				require.Equal(t, at(w.start), *got[i].Period.Start)
				if w.end < 0 {
					require.Nil(t, got[i].Period.End)
				} else {
					require.Equal(t, at(w.end), *got[i].Period.End)
				}
			}
		})
	}
}

func TestEncounterOf(t *testing.T) {
	t.Parallel()
	called, ended := at(10), at(30)
	tk := &ent.Ticket{
		ID: "TK1", PatientID: "PA1", QueueID: "QU1", AppointmentID: "AP1", PreviousID: "TK0",
		Status: ticket.StatusCOMPLETED, Source: ticket.SourceAPPOINTMENT,
		CheckedInAt: at(0), CalledAt: &called, EndedAt: &ended, UpdatedAt: at(30),
	}
	tk.Edges.Queue = &ent.Queue{ID: "QU1", Name: "Triage", Ordering: entqueue.OrderingTRIAGE}
	tk.Edges.ServicePoint = &ent.ServicePoint{ID: "SP1", Name: "Room 1"}
	e := EncounterOf(tk)
	require.Equal(t, "Encounter", e.ResourceType())
	require.Equal(t, EncounterFinished, e.Status)
	require.Equal(t, "EMER", e.Class.Code)
	require.Equal(t, "Patient/PA1", e.Subject.Reference)
	require.Nil(t, e.Subject.Display, "no patient name on an encounter")
	require.Equal(t, "Appointment/AP1", e.Appointment[0].Reference)
	require.Equal(t, "Encounter/TK0", e.PartOf.Reference)
	require.Equal(t, "Triage", *e.ServiceType.Text)
	require.Equal(t, Period{Start: ptr(at(0)), End: &ended}, e.Period)
	require.Equal(t, EncounterLocation{Location: Reference{Reference: "Location/SP1", Display: ptr("Room 1")}, Status: "completed",
		Period: Period{Start: &called, End: &ended}}, e.Location[0])
	require.Equal(t, "1796376600000", e.Meta.VersionID, "the last update in milliseconds")
	require.Equal(t, at(30), e.Meta.LastUpdated)

	tk.Status, tk.EndedAt = ticket.StatusCALLED, nil
	e = EncounterOf(tk)
	require.Equal(t, "planned", e.Location[0].Status, "called there, not yet in")
	require.Nil(t, e.Location[0].Period.End)
	require.Nil(t, e.Period.End)
}

func TestPatientOf(t *testing.T) {
	t.Parallel()
	born := time.Date(1990, 4, 3, 0, 0, 0, 0, time.UTC)
	p := &ent.Patient{ID: "PA1", FacilityID: "FC1", Mrn: "M-42", GivenName: "Ada", FamilyName: "Lovelace",
		DateOfBirth: &born, Phone: "+447700900123", Language: "en", UpdatedAt: at(0)}
	got := PatientOf(p, "https://q.example/fhir/sid/mrn/{facility}")
	require.Equal(t, "Patient", got.ResourceType())
	require.Equal(t, "https://q.example/fhir/sid/mrn/FC1", *got.Identifier[0].System)
	require.Equal(t, "M-42", got.Identifier[0].Value)
	require.Equal(t, "MR", got.Identifier[0].Type.Coding[0].Code)
	require.Equal(t, []HumanName{{Use: "official", Family: "Lovelace", Given: []string{"Ada"}}}, got.Name)
	require.Equal(t, "1990-04-03", *got.BirthDate)
	require.Equal(t, "Organization/FC1", got.ManagingOrganization.Reference)
	require.Nil(t, got.Gender())

	p.Mrn, p.Phone, p.DateOfBirth = "", "", nil
	got = PatientOf(p, "urn:oid:1.2.3")
	require.Empty(t, got.Identifier, "no MRN, no identifier")
	require.Empty(t, got.Telecom)
	require.Nil(t, got.BirthDate)
}

func TestFacilityOfSystem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, template, system, facility string
		all, ok                          bool
	}{
		{"PerFacility", "https://q.example/mrn/{facility}", "https://q.example/mrn/FC1", "FC1", false, true},
		{"PerFacilityInTheMiddle", "urn:x:{facility}:mrn", "urn:x:FC2:mrn", "FC2", false, true},
		{"OtherSystem", "https://q.example/mrn/{facility}", "urn:oid:1.2", "", false, false},
		{"NoFacilityPart", "https://q.example/mrn/{facility}", "https://q.example/mrn/", "", false, false},
		{"OneSystemForAll", "urn:oid:1.2.3", "urn:oid:1.2.3", "", true, true},
		{"OneSystemOther", "urn:oid:1.2.3", "urn:oid:1.2.4", "", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, all, ok := facilityOfSystem(tc.template, tc.system)
			require.Equal(t, tc.facility, f)
			require.Equal(t, tc.all, all)
			require.Equal(t, tc.ok, ok)
		})
	}
}

func TestSearchValues(t *testing.T) {
	t.Parallel()
	t.Run("References", func(t *testing.T) {
		pa := pulid.New("PA")
		id, err := referenceID("Patient", "PA", "patient", "Patient/"+string(pa))
		require.NoError(t, err)
		require.Equal(t, pa, id)
		id, err = referenceID("Patient", "PA", "patient", string(pa))
		require.NoError(t, err)
		require.Equal(t, pa, id)
		for _, bad := range []string{"", "Patient/", "PA1", "Encounter/" + string(pulid.New("TK")), string(pulid.New("TK")),
			"Patient/" + string(pa) + "|x", "' OR 1=1", string(pa) + "0"} {
			_, err = referenceID("Patient", "PA", "patient", bad)
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), bad)
			require.Equal(t, "patient", fieldOf(err), bad)
		}
	})
	t.Run("Ids", func(t *testing.T) {
		require.NoError(t, resourceID("id", "TK", pulid.New("TK")))
		for _, bad := range []pulid.ID{"", "TK", "TK01", pulid.New("PA"), "tk" + pulid.New("TK")[2:], pulid.New("TK") + "Z"} {
			err := resourceID("id", "TK", bad)
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), string(bad))
		}
	})
	t.Run("Tokens", func(t *testing.T) {
		system, anySystem, value, err := token("identifier", "urn:oid:1|M-1")
		require.NoError(t, err)
		require.Equal(t, []any{"urn:oid:1", false, "M-1"}, []any{system, anySystem, value})
		_, anySystem, value, err = token("identifier", "M-1")
		require.NoError(t, err)
		require.Equal(t, []any{true, "M-1"}, []any{anySystem, value})
		for _, bad := range []string{"", "urn:oid:1|", "|"} {
			_, _, _, err = token("identifier", bad)
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), bad)
		}
	})
	t.Run("Pages", func(t *testing.T) {
		n, err := Page{}.check("TK")
		require.NoError(t, err)
		require.Equal(t, DefaultCount, n)
		for _, bad := range []int{0, -1, MaxCount + 1} {
			_, err = Page{Count: &bad}.check("TK")
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err))
			require.Equal(t, "_count", fieldOf(err))
		}
		good := pulid.New("TK")
		_, err = Page{Cursor: &good}.check("TK")
		require.NoError(t, err)
		for _, bad := range []pulid.ID{"x", pulid.New("PA")} {
			_, err = Page{Cursor: &bad}.check("TK")
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), string(bad))
			require.Equal(t, "_cursor", fieldOf(err))
		}
	})
	t.Run("Days", func(t *testing.T) {
		_, err := day("date", "2026-12-04")
		require.NoError(t, err)
		for _, bad := range []string{"04/12/2026", "2026-02-31", "2026-12-04T00:00:00Z"} {
			_, err = day("date", bad)
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), bad)
		}
	})
}

// fieldOf is the argument a coded error names.
func fieldOf(err error) string {
	var e *cqerr.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
