package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"entgo.io/ent/privacy"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/schema/rule"
	"github.com/carequeue/carequeue/internal/auth"
)

// WebhookEndpoint is an integrator's HTTPS endpoint that receives a facility's queue events, signed
// with the Standard Webhooks scheme (internal/webhook). Its signing secret is not stored: the server
// derives it from its own key and secret_salt, so a copy of the database alone cannot forge deliveries.
type WebhookEndpoint struct{ ent.Schema }

// Mixin of the WebhookEndpoint.
func (WebhookEndpoint) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("WH"), TimeMixin{}}
}

// Fields of the WebhookEndpoint.
func (WebhookEndpoint) Fields() []ent.Field {
	return []ent.Field{
		field.String("url").NotEmpty().MaxLen(2048).Comment("where deliveries are POSTed"),
		field.String("description").Optional().MaxLen(200),
		field.JSON("events", []enum.WebhookEvent{}).
			Comment("the events delivered to this endpoint").
			Annotations(entgql.Type("[WebhookEvent!]")),
		field.Enum("data_scope").Values("CODES", "MRN", "FULL").Default("CODES").
			Comment("CODES: ticket code, queue, department, status and times; MRN: and the patient's MRN; FULL: and name and phone").
			Annotations(entgql.Type("WebhookDataScope")),
		field.Bool("enabled").Default(true),
		field.String("secret_salt").NotEmpty().MaxLen(64).Sensitive().
			Comment("random; the signing secret is HMAC(server key, id and salt): rotating replaces it").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("secret_rotated_at"),
		field.String("created_by_id").Optional().MaxLen(32).Immutable(),
		field.String("facility_id").GoType(pulid.ID("")).Immutable(),
	}
}

// Edges of the WebhookEndpoint.
func (WebhookEndpoint) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("facility", Facility.Type).Field("facility_id").Unique().Required().Immutable(),
	}
}

// Annotations of the WebhookEndpoint.
func (WebhookEndpoint) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}

// Policy of the WebhookEndpoint: the facility's admins only (a global admin sees all).
func (WebhookEndpoint) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.WebhookScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowMutationInFacility(rule.WebhookScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
	}
}
