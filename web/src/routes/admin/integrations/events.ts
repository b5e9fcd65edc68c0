// The webhook events and data scopes in the order the forms list them; their labels and
// descriptions are i18n keys webhooks.event.<EVENT> and webhooks.scope.<SCOPE>.
import type { WebhookDataScope, WebhookEvent } from "../../../generated/graphql";

export const WEBHOOK_EVENTS: readonly WebhookEvent[] = [
  "TICKET_CHECKED_IN",
  "TICKET_CALLED",
  "TICKET_STARTED",
  "TICKET_COMPLETED",
  "TICKET_NO_SHOW",
  "TICKET_CANCELLED",
  "TICKET_TRANSFERRED",
  "APPOINTMENT_ARRIVED",
];

export const DATA_SCOPES: readonly WebhookDataScope[] = ["CODES", "MRN", "FULL"];
