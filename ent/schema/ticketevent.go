package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"entgo.io/ent/privacy"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/schema/rule"
)

// TicketEvent records one status change of a ticket; analytics are computed from these.
type TicketEvent struct{ ent.Schema }

// Mixin of the TicketEvent.
func (TicketEvent) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("TE")}
}

// Fields of the TicketEvent.
func (TicketEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("action").GoType(enum.Action("")).Immutable().Annotations(entgql.Type("TicketAction")),
		field.String("from_status").Optional().MaxLen(16).Immutable(),
		field.String("to_status").NotEmpty().MaxLen(16).Immutable(),
		field.String("triage_level").NotEmpty().MaxLen(16).Immutable(),
		field.Enum("from_triage_level").GoType(enum.TriageLevel("")).Optional().Nillable().Immutable().
			Comment("RETRIAGE: the level before the re-triage (equal to triage_level when it confirmed the level)").
			Annotations(entgql.Type("TriageLevel")),
		// 500 characters (queue.MaxRetriageReason) of up to 4 bytes each.
		field.String("reason").Optional().Nillable().MaxLen(2000).Immutable().
			Comment("RETRIAGE: why, in the words of the clinician or receptionist who re-triaged"),
		field.Time("at").Default(time.Now).Immutable().Annotations(entgql.OrderField("AT")),
		field.String("actor_id").Optional().MaxLen(32).Immutable(),
		field.String("queue_id").MaxLen(32).Immutable(),
		field.String("service_point_id").Optional().MaxLen(32).Immutable(),
		field.String("ticket_id").GoType(pulid.ID("")).Immutable(),
		field.String("idempotency_key").Optional().MaxLen(128).Immutable().
			Deprecated("keys live in idempotency_keys; the column stays one release so that replicas of the previous one keep running during a rolling upgrade, and is dropped in the next").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the TicketEvent.
func (TicketEvent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("ticket", Ticket.Type).Ref("events").Field("ticket_id").Unique().Required().Immutable(),
	}
}

// Indexes of the TicketEvent.
func (TicketEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("queue_id", "at"), index.Fields("idempotency_key").Unique()}
}

// Annotations of the TicketEvent.
func (TicketEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Policy of the TicketEvent: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (TicketEvent) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.TicketEventScope),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowCreateOnly(),
			privacy.AlwaysDenyRule(),
		},
	}
}
