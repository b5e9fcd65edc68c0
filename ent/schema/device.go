package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"entgo.io/ent/privacy"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/schema/rule"
)

// Device is a patient's phone registered for push notifications.
type Device struct{ ent.Schema }

// Mixin of the Device.
func (Device) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("DV"), TimeMixin{}}
}

// Fields of the Device.
func (Device) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("platform").Values("IOS", "ANDROID", "WEB"),
		field.String("push_token").NotEmpty().MaxLen(4096).Unique().Sensitive().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("last_seen_at").Optional().Nillable(),
		field.String("patient_id").GoType(pulid.ID("")),
	}
}

// Edges of the Device.
func (Device) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("patient", Patient.Type).Ref("devices").Field("patient_id").Unique().Required(),
	}
}

// Annotations of the Device.
func (Device) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}

// Policy of the Device: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (Device) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.DeviceScope),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			// The patient app registers and removes its own devices (internal/notify.Devices).
			rule.AllowOwnerMutation(rule.DeviceScope),
			privacy.AlwaysDenyRule(),
		},
	}
}
