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
	jobs      *jobs.Client
	endpoints *EndpointCache
}

var _ queue.EventSink = (*Enqueuer)(nil)

// NewEnqueuer returns an Enqueuer inserting through c (an insert-only client is enough) and reading
// the endpoints through cache (nil: a query per event). Give the Service the same cache.
func NewEnqueuer(c *jobs.Client, cache *EndpointCache) *Enqueuer {
	return &Enqueuer{jobs: c, endpoints: cache}
}

// TicketEventRecorded enqueues the deliveries ev owes the facility's enabled endpoints.
func (e *Enqueuer) TicketEventRecorded(ctx context.Context, tx *store.Tx, facilityID string, t *ent.Ticket, ev *ent.TicketEvent) error {
	events := EventsFor(ev.Action, ev.ToStatus, t.AppointmentID != "")
	if len(events) == 0 {
		return nil
	}
	endpoints, err := e.endpoints.get(pulid.ID(facilityID), func() ([]target, error) {
		return enabledEndpoints(ctx, tx, pulid.ID(facilityID))
	})
	if err != nil {
		return err
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

// enabledEndpoints reads a facility's enabled endpoints. The system reads them: the clinician who called
// the ticket may not see them, but their change is delivered all the same.
func enabledEndpoints(ctx context.Context, tx *store.Tx, facilityID pulid.ID) ([]target, error) {
	eps, err := tx.Client.WebhookEndpoint.Query().
		Where(webhookendpoint.FacilityID(facilityID), webhookendpoint.Enabled(true)).
		Select(webhookendpoint.FieldID, webhookendpoint.FieldEvents).
		All(auth.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("reading webhook endpoints: %w", err)
	}
	out := make([]target, len(eps))
	for i, ep := range eps {
		out[i] = target{ID: ep.ID, Events: ep.Events}
	}
	return out, nil
}
