package schema

import (
	"context"
	"fmt"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"entgo.io/ent/privacy"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/schema/rule"
	"github.com/carequeue/carequeue/internal/auth"
)

// AuditEntry is an append-only record of one event: a mutation (who, what, before/after), a read of
// patient data, a denial, a failed sign-in or a rejected token; when and from where. Nothing may update
// or delete one (an ent hook on both databases, a trigger on PostgreSQL, and an application role that
// may only insert and select). Entries form a hash chain (seq, prev_hash, hash; internal/audit), so
// an edit, a deletion or an insertion made by someone who gets past all of that shows up in
// `carequeue audit verify`.
type AuditEntry struct{ ent.Schema }

// Mixin of the AuditEntry.
func (AuditEntry) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("AU")}
}

// Fields of the AuditEntry.
func (AuditEntry) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at").Default(time.Now).Immutable().Annotations(entgql.OrderField("AT")),
		field.String("actor_id").Optional().MaxLen(32).Immutable().Comment("empty for the system"),
		field.String("actor_role").Optional().MaxLen(16).Immutable(),
		field.String("action").NotEmpty().MaxLen(64).Immutable().Comment("e.g. ticket.callNext"),
		field.String("entity_type").NotEmpty().MaxLen(32).Immutable(),
		field.String("entity_id").Optional().MaxLen(32).Immutable(),
		field.JSON("before", map[string]any{}).Optional().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.JSON("after", map[string]any{}).Optional().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("request_id").Optional().MaxLen(64).Immutable(),
		field.String("address").Optional().MaxLen(64).Immutable(),
		field.String("facility_id").Optional().MaxLen(32).Immutable(),
		// The chain. Entries written before it existed have none and are reported apart by verify.
		field.Int64("seq").Optional().Positive().Immutable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("position in the hash chain: 1, 2, 3... with no gap"),
		field.String("prev_hash").Optional().MaxLen(64).Immutable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("hash of the entry at seq-1; empty for the first"),
		field.String("hash").Optional().MaxLen(64).Immutable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("hex SHA-256 of prev_hash and the entry's canonical form"),
	}
}

// Indexes of the AuditEntry.
func (AuditEntry) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("entity_type", "entity_id"),
		index.Fields("at"),
		index.Fields("actor_id"),
		// Two writers can never both append at the same place, even if one skipped the chain head.
		index.Fields("seq").Unique(),
	}
}

// Annotations of the AuditEntry.
func (AuditEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}

// Policy of the AuditEntry: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (AuditEntry) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.AuditScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowCreateOnly(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Hooks of the AuditEntry: refuse every change but an insert, whoever asks (even the system context,
// which bypasses privacy rules but not hooks).
func (AuditEntry) Hooks() []ent.Hook {
	return []ent.Hook{
		func(next ent.Mutator) ent.Mutator {
			return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
				if !m.Op().Is(ent.OpCreate) {
					return nil, fmt.Errorf("audit entries are append-only: %s refused", m.Op())
				}
				return next.Mutate(ctx, m)
			})
		},
	}
}
