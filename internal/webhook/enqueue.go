package webhook

import (
	"context"
	"fmt"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/webhookendpoint"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// Enqueuer inserts one delivery job per subscribed endpoint and event into the workflow's own
// transaction (queue.EventSink).
type Enqueuer struct {
	jobs *jobs.Client
}

var _ queue.EventSink = (*Enqueuer)(nil)

// NewEnqueuer returns an Enqueuer inserting through c (an insert-only client is enough).
func NewEnqueuer(c *jobs.Client) *Enqueuer { return &Enqueuer{jobs: c} }

// TicketEventRecorded enqueues the deliveries ev owes the facility's enabled endpoints.
func (e *Enqueuer) TicketEventRecorded(ctx context.Context, tx *store.Tx, facilityID string, t *ent.Ticket, ev *ent.TicketEvent) error {
	events := EventsFor(ev.Action, ev.ToStatus, t.AppointmentID != "")
	if len(events) == 0 {
		return nil
	}
	// The system reads the endpoints: the clinician who called the ticket may not see them, but their
	// change is delivered all the same.
	endpoints, err := tx.Client.WebhookEndpoint.Query().
		Where(webhookendpoint.FacilityID(pulid.ID(facilityID)), webhookendpoint.Enabled(true)).
		All(auth.SystemContext(ctx))
	if err != nil {
		return fmt.Errorf("reading webhook endpoints: %w", err)
	}
	for _, ep := range endpoints {
		for _, event := range Subscribed(events, ep.Events) {
			args := DeliverArgs{EndpointID: string(ep.ID), TicketEventID: string(ev.ID), Event: event, MessageID: newMessageID()}
			if _, err := e.jobs.InsertTx(ctx, tx, args, nil); err != nil {
				return err
			}
		}
	}
	return nil
}
