package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"entgo.io/ent/privacy"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
)

// IdempotencyKey remembers one workflow call made with a client's idempotency key, so that the same
// call repeated (an offline dashboard replaying, a retry after a lost response) returns the first
// result and changes nothing, and the key reused for anything else is refused. A key belongs to its
// actor: two clients choosing the same key never see each other's results.
type IdempotencyKey struct{ ent.Schema }

// Mixin of the IdempotencyKey.
func (IdempotencyKey) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("IK")}
}

// Fields of the IdempotencyKey.
func (IdempotencyKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("actor_id").MaxLen(32).Immutable().
			Comment("the user, patient or kiosk that made the call; empty for the system"),
		field.String("key").NotEmpty().MaxLen(128).Immutable(),
		field.Enum("action").GoType(enum.Action("")).Immutable(),
		field.String("target_id").MaxLen(32).Immutable().
			Comment("what the call acted on: the queue of a check-in or callNext, else the ticket"),
		field.String("request_hash").MaxLen(64).Immutable().
			Comment("SHA-256 of the call's other arguments; empty on keys carried over from before it was kept"),
		field.String("ticket_id").GoType(pulid.ID("")).Immutable().Comment("the ticket the call returned"),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Indexes of the IdempotencyKey.
func (IdempotencyKey) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("actor_id", "key").Unique(),
		// Expired keys are pruned by age.
		index.Fields("created_at"),
	}
}

// Annotations of the IdempotencyKey.
func (IdempotencyKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the IdempotencyKey: only the workflow engine reads and writes keys, as the system.
func (IdempotencyKey) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}
