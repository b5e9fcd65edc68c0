package webhook

import (
	"slices"

	"github.com/carequeue/carequeue/ent/schema/enum"
)

// EventsFor returns the webhook events a recorded ticket event is, given the action and the status the
// ticket reached and whether it came from an appointment. A transfer records two ticket events (the
// closed ticket and the new one): only the closed one is ticket.transferred, and its payload names the
// new ticket. Re-triage and escalation are not webhook events.
func EventsFor(action enum.Action, toStatus string, fromAppointment bool) []enum.WebhookEvent {
	switch action {
	case enum.ActionCheckIn:
		if fromAppointment {
			return []enum.WebhookEvent{enum.WebhookTicketCheckedIn, enum.WebhookAppointmentArrived}
		}
		return []enum.WebhookEvent{enum.WebhookTicketCheckedIn}
	case enum.ActionCall, enum.ActionRecall:
		return []enum.WebhookEvent{enum.WebhookTicketCalled}
	case enum.ActionStart:
		return []enum.WebhookEvent{enum.WebhookTicketStarted}
	case enum.ActionComplete:
		return []enum.WebhookEvent{enum.WebhookTicketCompleted}
	case enum.ActionNoShow:
		return []enum.WebhookEvent{enum.WebhookTicketNoShow}
	case enum.ActionCancel:
		return []enum.WebhookEvent{enum.WebhookTicketCancelled}
	case enum.ActionTransfer:
		if toStatus == "TRANSFERRED" {
			return []enum.WebhookEvent{enum.WebhookTicketTransferred}
		}
	default:
	}
	return nil
}

// Subscribed is the part of events that subs names.
func Subscribed(events, subs []enum.WebhookEvent) []enum.WebhookEvent {
	var out []enum.WebhookEvent
	for _, e := range events {
		if slices.Contains(subs, e) {
			out = append(out, e)
		}
	}
	return out
}
