package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/privacy"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// AuditChainHead is the one row (id 1) that serialises appends to the audit hash chain: every writer
// increments seq in its own transaction, which holds the row's lock until it commits, so two writers
// never take the same place in the chain. A writer that rolls back rolls its increment back too.
type AuditChainHead struct{ ent.Schema }

// Fields of the AuditChainHead.
func (AuditChainHead) Fields() []ent.Field {
	return []ent.Field{
		field.Int("id").Positive().Immutable(),
		field.Int64("seq").NonNegative().Comment("seq of the newest chained audit entry"),
	}
}

// Annotations of the AuditChainHead.
func (AuditChainHead) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the AuditChainHead: only the audit log itself, as the system, touches it.
func (AuditChainHead) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}
