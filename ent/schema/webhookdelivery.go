package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"entgo.io/ent/privacy"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/schema/rule"
	"github.com/carequeue/carequeue/internal/auth"
)

// WebhookDelivery is one attempt to deliver one event to one endpoint: the delivery log admins read
// and replay from. It never holds the payload (rebuilt from the ticket event) nor more of the
// receiver's answer than a short snippet.
type WebhookDelivery struct{ ent.Schema }

// Mixin of the WebhookDelivery.
func (WebhookDelivery) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("WD"), TimeMixin{}}
}

// Fields of the WebhookDelivery.
func (WebhookDelivery) Fields() []ent.Field {
	return []ent.Field{
		field.String("message_id").NotEmpty().MaxLen(64).Immutable().
			Comment("the webhook-id header: the same for every attempt and replay of one event"),
		field.Enum("event").GoType(enum.WebhookEvent("")).Immutable().Annotations(entgql.Type("WebhookEvent")),
		field.Int("attempt").Positive().Immutable(),
		field.Enum("status").Values("SUCCEEDED", "RETRYING", "FAILED").Immutable().
			Comment("RETRYING: failed, another attempt is scheduled; FAILED: failed for good").
			Annotations(entgql.Type("WebhookDeliveryStatus")),
		field.Int("http_status").Optional().Nillable().Immutable(),
		field.Int("duration_ms").NonNegative().Immutable(),
		field.String("error_class").Optional().MaxLen(32).Immutable().
			Comment("timeout, connection, blocked_address, redirect, http_4xx, http_5xx, http_429"),
		field.String("response_snippet").Optional().MaxLen(1024).Immutable().
			Comment("the first bytes of the receiver's answer, capped"),
		field.Bool("replay").Default(false).Immutable(),
		field.String("ticket_event_id").GoType(pulid.ID("")).Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("endpoint_id").GoType(pulid.ID("")).Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("facility_id").GoType(pulid.ID("")).Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the WebhookDelivery.
func (WebhookDelivery) Indexes() []ent.Index {
	return []ent.Index{index.Fields("endpoint_id", "created_at"), index.Fields("message_id")}
}

// Annotations of the WebhookDelivery.
func (WebhookDelivery) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Policy of the WebhookDelivery: the facility's admins read it; the delivery job writes it as the system.
func (WebhookDelivery) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.WebhookScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			privacy.AlwaysDenyRule(),
		},
	}
}
