package webhook

import (
	"context"
	"fmt"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/ent/webhookendpoint"
)

// Payload is the JSON body of a delivery, in the Standard Webhooks shape: type, timestamp (when the
// event happened) and data.
type Payload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      Data      `json:"data"`
}

// Data is what a delivery says about the ticket. Patient identifiers appear only as far as the
// endpoint's data scope allows: none with CODES, the MRN from MRN up, name and phone with FULL only.
type Data struct {
	TicketID      string     `json:"ticketId"`
	Code          string     `json:"code"`
	Status        string     `json:"status"`
	PreviousState string     `json:"previousStatus,omitempty"`
	TriageLevel   string     `json:"triageLevel"`
	FacilityID    string     `json:"facilityId"`
	Queue         Named      `json:"queue"`
	Department    Named      `json:"department"`
	ServicePoint  *Named     `json:"servicePoint,omitempty"`
	CheckedInAt   time.Time  `json:"checkedInAt"`
	CalledAt      *time.Time `json:"calledAt,omitempty"`
	StartedAt     *time.Time `json:"startedAt,omitempty"`
	EndedAt       *time.Time `json:"endedAt,omitempty"`
	AppointmentID string     `json:"appointmentId,omitempty"`
	// TransferredTo is the new ticket of a ticket.transferred event.
	TransferredTo *Transfer `json:"transferredTo,omitempty"`
	Patient       *Patient  `json:"patient,omitempty"`
}

// Named is a reference with its display name.
type Named struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Transfer names the ticket a transfer opened.
type Transfer struct {
	TicketID string `json:"ticketId"`
	Code     string `json:"code"`
	Queue    Named  `json:"queue"`
}

// Patient is the patient part of a payload, filled as the data scope allows.
type Patient struct {
	ID         string `json:"id"`
	MRN        string `json:"mrn,omitempty"`
	GivenName  string `json:"givenName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
	Phone      string `json:"phone,omitempty"`
}

// buildPayload reads what ev's delivery says, through c (the system's reads). Status and event time are
// the recorded event's, so every attempt and replay of one message carries the same facts about it.
func buildPayload(ctx context.Context, c *ent.Client, ep *ent.WebhookEndpoint, event enum.WebhookEvent, ev *ent.TicketEvent) (*Payload, error) {
	t, err := c.Ticket.Query().Where(ticket.ID(ev.TicketID)).
		WithQueue(func(q *ent.QueueQuery) { q.WithDepartment() }).WithPatient().WithServicePoint().Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the event's ticket: %w", err)
	}
	q := t.Edges.Queue
	d := Data{
		TicketID: string(t.ID), Code: t.Code, Status: ev.ToStatus, PreviousState: ev.FromStatus, TriageLevel: ev.TriageLevel,
		FacilityID: string(ep.FacilityID), Queue: Named{ID: string(q.ID), Name: q.Name},
		Department:  Named{ID: string(q.DepartmentID), Name: q.Edges.Department.Name},
		CheckedInAt: t.CheckedInAt, CalledAt: t.CalledAt, StartedAt: t.StartedAt, EndedAt: t.EndedAt,
		AppointmentID: string(t.AppointmentID),
	}
	if sp := t.Edges.ServicePoint; sp != nil && ev.ServicePointID != "" {
		d.ServicePoint = &Named{ID: string(sp.ID), Name: sp.Name}
	}
	if event == enum.WebhookTicketTransferred {
		next, err := c.Ticket.Query().Where(ticket.PreviousID(t.ID)).WithQueue().Only(ctx)
		if err == nil {
			d.TransferredTo = &Transfer{TicketID: string(next.ID), Code: next.Code, Queue: Named{ID: string(next.QueueID), Name: next.Edges.Queue.Name}}
		} else if !ent.IsNotFound(err) {
			return nil, fmt.Errorf("reading the transfer's ticket: %w", err)
		}
	}
	d.Patient = patientData(t.Edges.Patient, ep.DataScope)
	return &Payload{Type: event.Wire(), Timestamp: ev.At.UTC(), Data: d}, nil
}

// patientData is the part of p that scope lets a payload carry: nothing with CODES (the default), the
// patient's id and MRN from MRN up, name and phone with FULL only.
func patientData(p *ent.Patient, scope webhookendpoint.DataScope) *Patient {
	if p == nil || scope != webhookendpoint.DataScopeMRN && scope != webhookendpoint.DataScopeFULL {
		return nil
	}
	out := &Patient{ID: string(p.ID)}
	switch scope {
	case webhookendpoint.DataScopeFULL:
		out.GivenName, out.FamilyName, out.Phone = p.GivenName, p.FamilyName, p.Phone
		fallthrough
	case webhookendpoint.DataScopeMRN:
		out.MRN = p.Mrn
	default:
	}
	return out
}
