package enum

import (
	"io"
	"strconv"
)

// WebhookEvent is an event an outbound webhook endpoint may subscribe to (a closed list). The stored and
// GraphQL value is the constant's (TICKET_CHECKED_IN); the name on the wire, in a payload's "type", is
// the Standard Webhooks style dotted name that Wire returns (ticket.checkedIn). Both are stable.
type WebhookEvent string

// The webhook events, in workflow order.
const (
	WebhookTicketCheckedIn    WebhookEvent = "TICKET_CHECKED_IN"
	WebhookTicketCalled       WebhookEvent = "TICKET_CALLED"
	WebhookTicketStarted      WebhookEvent = "TICKET_STARTED"
	WebhookTicketCompleted    WebhookEvent = "TICKET_COMPLETED"
	WebhookTicketNoShow       WebhookEvent = "TICKET_NO_SHOW"
	WebhookTicketCancelled    WebhookEvent = "TICKET_CANCELLED"
	WebhookTicketTransferred  WebhookEvent = "TICKET_TRANSFERRED"
	WebhookAppointmentArrived WebhookEvent = "APPOINTMENT_ARRIVED"
)

var webhookWire = map[WebhookEvent]string{
	WebhookTicketCheckedIn:    "ticket.checkedIn",
	WebhookTicketCalled:       "ticket.called",
	WebhookTicketStarted:      "ticket.started",
	WebhookTicketCompleted:    "ticket.completed",
	WebhookTicketNoShow:       "ticket.noShow",
	WebhookTicketCancelled:    "ticket.cancelled",
	WebhookTicketTransferred:  "ticket.transferred",
	WebhookAppointmentArrived: "appointment.arrived",
}

// WebhookEvents returns every webhook event in workflow order.
func WebhookEvents() []WebhookEvent {
	return []WebhookEvent{WebhookTicketCheckedIn, WebhookTicketCalled, WebhookTicketStarted, WebhookTicketCompleted,
		WebhookTicketNoShow, WebhookTicketCancelled, WebhookTicketTransferred, WebhookAppointmentArrived}
}

// Wire is the event's name in a delivered payload ("ticket.checkedIn"); "" for an unknown value.
func (e WebhookEvent) Wire() string { return webhookWire[e] }

// Values lists the events for ent.
func (WebhookEvent) Values() []string { return values(WebhookEvents()) }

// MarshalGQL writes the event as its GraphQL enum value (WebhookEvent).
func (e WebhookEvent) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(e))) }

// UnmarshalGQL reads a WebhookEvent value.
func (e *WebhookEvent) UnmarshalGQL(v any) error {
	return unmarshal(v, WebhookEvents(), "WebhookEvent", e)
}
