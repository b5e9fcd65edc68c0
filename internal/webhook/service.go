package webhook

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/contrib/entgql"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/webhookdelivery"
	"github.com/carequeue/carequeue/ent/webhookendpoint"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/store"
)

// MaxDescription bounds an endpoint's description.
const MaxDescription = 200

// CreateInput registers an endpoint (GraphQL CreateWebhookEndpointInput).
type CreateInput struct {
	FacilityID  pulid.ID
	URL         string
	Description *string
	Events      []enum.WebhookEvent
	DataScope   *webhookendpoint.DataScope
}

// UpdateInput changes an endpoint; nil fields stay as they are.
type UpdateInput struct {
	URL         *string
	Description *string
	Events      []enum.WebhookEvent
	DataScope   *webhookendpoint.DataScope
	Enabled     *bool
}

// Created is an endpoint with its secret, shown once (GraphQL WebhookEndpointWithSecret).
type Created struct {
	Endpoint *ent.WebhookEndpoint
	Secret   string
}

// Service runs the admin operations on endpoints and their delivery log. Who may call them is decided by
// the ent privacy rules (a facility's admins).
type Service struct {
	db         *store.DB
	jobs       *jobs.Client
	key        []byte
	production bool
	now        func() time.Time
	endpoints  *EndpointCache
}

// NewService returns a Service on db; key is the server's key for endpoint secrets, jobs inserts replays,
// production applies the production URL rules (ValidURL), cache is the Enqueuer's (invalidated after
// each change, nil when there is none).
func NewService(db *store.DB, c *jobs.Client, key []byte, production bool, now func() time.Time, cache *EndpointCache) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, jobs: c, key: key, production: production, now: now, endpoints: cache}
}

// changed tells this replica's enqueuer about a committed change to facility's endpoints.
func (s *Service) changed(facility pulid.ID) { s.endpoints.Invalidate(facility) }

// validEvents checks a subscription list: at least one event, each known (GraphQL already refuses
// unknown values; this guards other callers), duplicates dropped.
func validEvents(events []enum.WebhookEvent) ([]enum.WebhookEvent, error) {
	if len(events) == 0 {
		return nil, cqerr.E(cqerr.BadUserInput, "choose at least one event").WithField("events")
	}
	out := make([]enum.WebhookEvent, 0, len(events))
	for _, e := range events {
		if e.Wire() == "" {
			return nil, cqerr.Ef(cqerr.BadUserInput, "%q is not a webhook event", string(e)).WithField("events")
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

func validDescription(d *string) error {
	if d != nil && (len([]rune(*d)) > MaxDescription || strings.ContainsFunc(*d, func(r rune) bool { return r < 0x20 || r == 0x7f })) {
		return cqerr.Ef(cqerr.BadUserInput, "the description must be at most %d characters on one line", MaxDescription).WithField("description")
	}
	return nil
}

// Create registers an endpoint and returns it with its secret. Errors: BAD_USER_INPUT (input.url,
// input.events, input.description), FORBIDDEN (not an admin of the facility).
func (s *Service) Create(ctx context.Context, in CreateInput) (*Created, error) {
	events, err := validEvents(in.Events)
	if err == nil {
		err = ValidURL(in.URL, s.production)
	}
	if err == nil {
		err = validDescription(in.Description)
	}
	if err != nil {
		return nil, cqerr.Under(err, "input")
	}
	var out *Created
	err = s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		// The facility must be visible to the viewer: nobody registers an endpoint elsewhere.
		if _, err := tx.Client.Facility.Get(ctx, in.FacilityID); err != nil {
			return notFound(err, "facility")
		}
		salt := newSalt()
		c := tx.Client.WebhookEndpoint.Create().SetFacilityID(in.FacilityID).SetURL(in.URL).SetEvents(events).
			SetSecretSalt(salt).SetSecretRotatedAt(s.now()).SetNillableDescription(in.Description).
			SetNillableDataScope(in.DataScope)
		if v, ok := auth.FromContext(ctx); ok {
			c.SetCreatedByID(string(v.UserID))
		}
		ep, err := c.Save(ctx)
		if err != nil {
			return err
		}
		out = &Created{Endpoint: ep, Secret: FormatSecret(secretKey(s.key, string(ep.ID), salt))}
		return audit.Record(ctx, tx.Client, audit.Entry{Action: "webhook.create", EntityType: "WebhookEndpoint",
			FacilityID: string(ep.FacilityID), After: ep})
	})
	if err == nil {
		s.changed(in.FacilityID)
	}
	return out, err
}

// Update changes an endpoint. Errors: NOT_FOUND, BAD_USER_INPUT (input.*), FORBIDDEN.
func (s *Service) Update(ctx context.Context, id pulid.ID, in UpdateInput) (*ent.WebhookEndpoint, error) {
	var err error
	if in.Events != nil {
		in.Events, err = validEvents(in.Events)
	}
	if err == nil && in.URL != nil {
		err = ValidURL(*in.URL, s.production)
	}
	if err == nil {
		err = validDescription(in.Description)
	}
	if err != nil {
		return nil, cqerr.Under(err, "input")
	}
	var out *ent.WebhookEndpoint
	err = s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		before, err := tx.Client.WebhookEndpoint.Get(ctx, id)
		if err != nil {
			return notFound(err, "webhook endpoint")
		}
		u := tx.Client.WebhookEndpoint.UpdateOne(before).SetNillableDescription(in.Description).
			SetNillableDataScope(in.DataScope).SetNillableEnabled(in.Enabled)
		if in.URL != nil {
			u.SetURL(*in.URL)
		}
		if in.Events != nil {
			u.SetEvents(in.Events)
		}
		if out, err = u.Save(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Client, audit.Entry{Action: "webhook.update", EntityType: "WebhookEndpoint",
			FacilityID: string(out.FacilityID), Before: before, After: out})
	})
	if err == nil {
		s.changed(out.FacilityID)
	}
	return out, err
}

// Rotate replaces an endpoint's secret and returns the new one: deliveries from now on are signed with
// it. Errors: NOT_FOUND, FORBIDDEN.
func (s *Service) Rotate(ctx context.Context, id pulid.ID) (*Created, error) {
	var out *Created
	err := s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		ep, err := tx.Client.WebhookEndpoint.Get(ctx, id)
		if err != nil {
			return notFound(err, "webhook endpoint")
		}
		salt := newSalt()
		if ep, err = tx.Client.WebhookEndpoint.UpdateOne(ep).SetSecretSalt(salt).SetSecretRotatedAt(s.now()).Save(ctx); err != nil {
			return err
		}
		out = &Created{Endpoint: ep, Secret: FormatSecret(secretKey(s.key, string(ep.ID), salt))}
		return audit.Record(ctx, tx.Client, audit.Entry{Action: "webhook.rotateSecret", EntityType: "WebhookEndpoint",
			FacilityID: string(ep.FacilityID), After: ep})
	})
	if err == nil {
		s.changed(out.Endpoint.FacilityID)
	}
	return out, err
}

// Delete removes an endpoint and its delivery log; its queued deliveries find it gone and stop.
// Errors: NOT_FOUND, FORBIDDEN.
func (s *Service) Delete(ctx context.Context, id pulid.ID) (bool, error) {
	var facility pulid.ID
	err := s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		ep, err := tx.Client.WebhookEndpoint.Get(ctx, id)
		if err != nil {
			return notFound(err, "webhook endpoint")
		}
		// The log is append-only for everyone; the viewer's right to it was checked by the read above.
		if _, err := tx.Client.WebhookDelivery.Delete().Where(webhookdelivery.EndpointID(id)).Exec(auth.SystemContext(ctx)); err != nil {
			return fmt.Errorf("deleting webhook deliveries: %w", err)
		}
		if err := tx.Client.WebhookEndpoint.DeleteOne(ep).Exec(ctx); err != nil {
			return err
		}
		facility = ep.FacilityID
		return audit.Record(ctx, tx.Client, audit.Entry{Action: "webhook.delete", EntityType: "WebhookEndpoint",
			EntityID: string(ep.ID), FacilityID: string(ep.FacilityID), Before: ep})
	})
	if err == nil {
		s.changed(facility)
	}
	return err == nil, err
}

// Replay sends a logged delivery's event again, as a new job with the same webhook-id. Errors:
// NOT_FOUND (the delivery, or its endpoint, is not the viewer's), CONFLICT (the endpoint is disabled).
func (s *Service) Replay(ctx context.Context, deliveryID pulid.ID) (bool, error) {
	err := s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		d, err := tx.Client.WebhookDelivery.Get(ctx, deliveryID)
		if err != nil {
			return notFound(err, "webhook delivery")
		}
		ep, err := tx.Client.WebhookEndpoint.Get(ctx, d.EndpointID)
		if err != nil {
			return notFound(err, "webhook endpoint")
		}
		if !ep.Enabled {
			return cqerr.E(cqerr.Conflict, "the endpoint is disabled: enable it before replaying")
		}
		args := DeliverArgs{EndpointID: string(ep.ID), TicketEventID: string(d.TicketEventID), Event: d.Event, MessageID: d.MessageID, Replay: true}
		if _, err := s.jobs.InsertTx(ctx, tx, args, nil); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Client, audit.Entry{Action: "webhook.replay", EntityType: "WebhookDelivery",
			EntityID: string(d.ID), FacilityID: string(ep.FacilityID)})
	})
	return err == nil, err
}

// Deliveries pages an endpoint's delivery log, newest first. Errors: NOT_FOUND.
func (s *Service) Deliveries(ctx context.Context, endpointID pulid.ID, after *entgql.Cursor[pulid.ID], first *int,
	before *entgql.Cursor[pulid.ID], last *int) (*ent.WebhookDeliveryConnection, error) {
	if _, err := s.db.Ent.WebhookEndpoint.Get(ctx, endpointID); err != nil {
		return nil, notFound(err, "webhook endpoint")
	}
	return s.db.Ent.WebhookDelivery.Query().Where(webhookdelivery.EndpointID(endpointID)).
		Paginate(ctx, after, first, before, last, ent.WithWebhookDeliveryOrder(&ent.WebhookDeliveryOrder{
			Field: ent.WebhookDeliveryOrderFieldCreatedAt, Direction: entgql.OrderDirectionDesc}))
}

// LastDelivery returns the newest attempt logged for the endpoint, nil before the first. The viewer's
// right to the log is checked by its privacy rules.
func (s *Service) LastDelivery(ctx context.Context, endpointID pulid.ID) (*ent.WebhookDelivery, error) {
	d, err := s.db.Ent.WebhookDelivery.Query().Where(webhookdelivery.EndpointID(endpointID)).
		Order(ent.Desc(webhookdelivery.FieldCreatedAt), ent.Desc(webhookdelivery.FieldID)).First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return d, err
}

func notFound(err error, what string) error {
	if ent.IsNotFound(err) {
		return cqerr.Ef(cqerr.NotFound, "%s not found", what)
	}
	return err
}
