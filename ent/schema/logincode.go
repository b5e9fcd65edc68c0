package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"entgo.io/ent/privacy"
	"github.com/carequeue/carequeue/ent/schema/pulid"
)

// LoginCode is a one-time code sent by SMS to a patient's phone. Stored as a keyed hash; five attempts,
// five minutes.
type LoginCode struct{ ent.Schema }

// Mixin of the LoginCode.
func (LoginCode) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("LC"), TimeMixin{}}
}

// Fields of the LoginCode.
func (LoginCode) Fields() []ent.Field {
	return []ent.Field{
		field.String("phone").NotEmpty().MaxLen(16).Immutable(),
		field.String("code_hash").NotEmpty().MaxLen(128).Immutable().Sensitive(),
		field.Time("expires_at").Immutable(),
		field.Int("attempts").Default(0).NonNegative(),
		field.Time("consumed_at").Optional().Nillable(),
	}
}

// Indexes of the LoginCode.
func (LoginCode) Indexes() []ent.Index {
	return []ent.Index{index.Fields("phone", "created_at")}
}

// Annotations of the LoginCode.
func (LoginCode) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the LoginCode: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (LoginCode) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			privacy.AlwaysDenyRule(),
		},
	}
}
