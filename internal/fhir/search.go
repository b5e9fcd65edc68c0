package fhir

import (
	"strings"
	"time"

	"github.com/carequeue/carequeue/ent/appointment"
	"github.com/carequeue/carequeue/ent/predicate"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// Page bounds a list read: Count resources (_count, default DefaultCount, at most MaxCount) after the
// resource whose id is Cursor (_cursor: the last id of the previous page), in id order, which is
// creation order. A page shorter than Count is the last.
type Page struct {
	Count  *int
	Cursor *pulid.ID
}

// Paging limits.
const (
	DefaultCount = 20
	MaxCount     = 100
)

// check returns the page's size, checking _count and that _cursor is an id of the listed resource
// (prefix: its id prefix).
func (p Page) check(prefix string) (int, error) {
	if p.Cursor != nil {
		if err := resourceID("_cursor", prefix, *p.Cursor); err != nil {
			return 0, err
		}
	}
	if p.Count == nil {
		return DefaultCount, nil
	}
	if *p.Count < 1 || *p.Count > MaxCount {
		return 0, cqerr.Ef(cqerr.BadUserInput, "_count must be between 1 and %d", MaxCount).WithField("_count")
	}
	return *p.Count, nil
}

// Id prefixes of the records the resources map.
const (
	patientPrefix     = "PA"
	appointmentPrefix = "AP"
	encounterPrefix   = "TK"
	queuePrefix       = "QU"
)

// resourceID checks an id argument: the shape of CareQueue's ids with the record's prefix. It says
// nothing of whether the record exists or may be seen: a well-formed id is NOT_FOUND later when the
// viewer sees no such record, whatever the facility.
func resourceID(field, prefix string, id pulid.ID) error {
	if !id.Valid() || id.Prefix() != prefix {
		return cqerr.Ef(cqerr.BadUserInput, "%s must be an id of the form %s01...", field, prefix).WithField(field)
	}
	return nil
}

// referenceID reads a FHIR reference search value: "Patient/PA..." or the bare id.
func referenceID(kind, prefix, field, v string) (pulid.ID, error) {
	id := pulid.ID(strings.TrimPrefix(v, kind+"/"))
	if !id.Valid() || id.Prefix() != prefix {
		return "", cqerr.Ef(cqerr.BadUserInput, "%s must be a %s reference, %s/%s01... or the id alone", field, kind, kind, prefix).WithField(field)
	}
	return id, nil
}

// token reads a FHIR token search value: "system|value", "|value" (no system) or "value" (any system).
func token(field, v string) (system string, anySystem bool, value string, err error) {
	system, value, has := strings.Cut(v, "|")
	if !has {
		system, value, anySystem = "", v, true
	}
	if value == "" || len(value) > 64 || len(system) > 256 {
		return "", false, "", cqerr.E(cqerr.BadUserInput, field+" must be system|value or a value").WithField(field)
	}
	return system, anySystem, value, nil
}

// day reads a FHIR date search value: one day, YYYY-MM-DD.
func day(field, v string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, cqerr.E(cqerr.BadUserInput, field+" must be a day, YYYY-MM-DD").WithField(field)
	}
	return d, nil
}

func known(field, code string, codes []string) error {
	for _, c := range codes {
		if c == code {
			return nil
		}
	}
	return cqerr.Ef(cqerr.BadUserInput, "%s must be one of %s", field, strings.Join(codes, ", ")).WithField(field)
}

var triageOrderings = []entqueue.Ordering{entqueue.OrderingTRIAGE, entqueue.OrderingTRIAGE_DEADLINE_AWARE}

// encounterStatusWhere is EncounterStatus read backwards: the tickets whose encounter has status code.
func encounterStatusWhere(code string) predicate.Ticket {
	waiting := ticket.StatusIn(ticket.StatusWAITING, ticket.StatusCALLED)
	triageQueue := ticket.HasQueueWith(entqueue.OrderingIn(triageOrderings...))
	switch code {
	case EncounterArrived:
		return ticket.And(waiting, ticket.Or(ticket.AwaitingTriage(true), ticket.Not(triageQueue)))
	case EncounterTriaged:
		return ticket.And(waiting, ticket.AwaitingTriage(false), triageQueue)
	case EncounterInProgress:
		return ticket.StatusEQ(ticket.StatusIN_SERVICE)
	case EncounterFinished:
		return ticket.StatusIn(ticket.StatusCOMPLETED, ticket.StatusTRANSFERRED)
	case EncounterCancelled:
		return ticket.StatusIn(ticket.StatusNO_SHOW, ticket.StatusCANCELLED)
	default: // a code the view never produces
		return ticket.IDIn()
	}
}

// appointmentStatusWhere is AppointmentStatus read backwards.
func appointmentStatusWhere(code string) predicate.Appointment {
	checkedIn := appointment.StatusEQ(appointment.StatusCHECKED_IN)
	with := func(s ...ticket.Status) predicate.Appointment {
		return appointment.HasTicketsWith(ticket.StatusIn(s...))
	}
	switch code {
	case AppointmentBooked:
		return appointment.StatusEQ(appointment.StatusSCHEDULED)
	case AppointmentFulfilled:
		return appointment.And(checkedIn, with(ticket.StatusCOMPLETED))
	case AppointmentNoShow:
		return appointment.Or(appointment.StatusEQ(appointment.StatusNO_SHOW),
			appointment.And(checkedIn, with(ticket.StatusNO_SHOW), appointment.Not(with(ticket.StatusCOMPLETED))))
	case AppointmentCancelled:
		return appointment.Or(appointment.StatusEQ(appointment.StatusCANCELLED),
			appointment.And(checkedIn, with(ticket.StatusCANCELLED), appointment.Not(with(ticket.StatusCOMPLETED, ticket.StatusNO_SHOW))))
	case AppointmentArrived:
		return appointment.And(checkedIn, appointment.Not(with(ticket.StatusCOMPLETED, ticket.StatusNO_SHOW, ticket.StatusCANCELLED)))
	default:
		return appointment.IDIn()
	}
}
