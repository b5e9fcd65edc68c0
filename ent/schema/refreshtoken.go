package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"entgo.io/ent/privacy"
	"github.com/carequeue/carequeue/ent/schema/pulid"
)

// RefreshToken is one link in a session's rotation chain. Only the hash is stored; presenting a used
// token again means it was stolen, and the whole family is revoked. Its created_at is when it was
// issued: the session's last activity as the server sees it (the idle timeout counts from it).
type RefreshToken struct{ ent.Schema }

// Mixin of the RefreshToken.
func (RefreshToken) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("RT"), TimeMixin{}}
}

// Fields of the RefreshToken.
func (RefreshToken) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").NotEmpty().MaxLen(128).Unique().Immutable().Sensitive(),
		field.String("family_id").NotEmpty().MaxLen(32).Immutable(),
		field.Time("expires_at").Immutable(),
		// session_started_at is the sign-in time of the family, copied into every rotation: the absolute
		// session lifetime counts from it. Empty on tokens issued before it existed (their created_at
		// stands in).
		field.Time("session_started_at").Optional().Nillable().Immutable(),
		field.Time("used_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
		field.String("address").Optional().MaxLen(64).Immutable(),
		field.String("user_id").GoType(pulid.ID("")).Immutable(),
	}
}

// Edges of the RefreshToken.
func (RefreshToken) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("refresh_tokens").Field("user_id").Unique().Required().Immutable(),
	}
}

// Indexes of the RefreshToken.
func (RefreshToken) Indexes() []ent.Index {
	return []ent.Index{index.Fields("family_id")}
}

// Annotations of the RefreshToken.
func (RefreshToken) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the RefreshToken: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (RefreshToken) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			privacy.AlwaysDenyRule(),
		},
	}
}
