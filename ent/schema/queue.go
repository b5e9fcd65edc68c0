package schema

import (
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
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/input"
)

// Queue is an ordered line of tickets. Every change to a queue locks its row and bumps version in the
// same transaction, so version numbers are gap-free and subscribers can notice a missed event.
type Queue struct{ ent.Schema }

// Mixin of the Queue.
func (Queue) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("QU"), TimeMixin{}}
}

// Fields of the Queue.
func (Queue) Fields() []ent.Field {
	target := func(name string, def int) ent.Field {
		return field.Int(name).Default(def).NonNegative().
			Comment("target maximum wait in minutes for this triage level")
	}
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200).Annotations(entgql.OrderField("NAME")),
		field.String("prefix").NotEmpty().MaxLen(3).
			Comment("ticket code prefix: C gives C-012"),
		field.Enum("ordering").Values("TRIAGE", "FIFO", "TRIAGE_DEADLINE_AWARE").Default("TRIAGE").
			Comment("TRIAGE: IMMEDIATE, then VERY_URGENT, then everyone else, each by earliest deadline; FIFO: order of check-in to this queue; TRIAGE_DEADLINE_AWARE: IMMEDIATE, VERY_URGENT, then escalated patients (oldest first), then those still within target, then those past it (each by deadline)").
			Annotations(entgql.Type("QueuePolicy")),
		field.Int("escalation_percent").Default(150).Range(100, 1000).
			Comment("TRIAGE_DEADLINE_AWARE: a patient who has waited this percentage of their level's target is escalated, called before everyone outside the urgent group"),
		field.Int("max_wait_minutes").Default(360).Range(30, 1440).
			Comment("a patient still waiting this long after arriving, whatever their level, is escalated: flagged on the needs-attention list within a minute"),
		field.Int("urgent_share_limit_percent").Default(50).Range(10, 100).
			Comment("staff are warned when the urgent group (IMMEDIATE, VERY_URGENT) took more than this share of the queue's service time over the last hour"),
		field.Time("urgent_share_high_since").Optional().Nillable().
			Comment("when the URGENT_SHARE_HIGH warning last came on, null while it is off: the escalation job announces its start, not every minute of it").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("urgent_share_announced_at").Optional().Nillable().
			Comment("when the start of an URGENT_SHARE_HIGH warning was last sent to the department's escalation phone").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Bool("active").Default(true),
		field.Bool("self_check_in").Default(false).
			Comment("patients may check themselves in to this queue from the app without an appointment; without it the app checks in only a patient's own appointment for today"),
		field.Enum("self_check_in_level").GoType(enum.TriageLevel("")).Default(string(enum.TriageLevelStandard)).
			Comment("TRIAGE orderings: the level a kiosk or app check-in is ordered as while it awaits triage").
			Annotations(entgql.Type("TriageLevel")),
		field.Bool("transfer_keeps_arrival").Default(true).
			Comment("a patient transferred into this queue keeps the arrival time of their visit for the target clock; off: the transfer starts it again"),
		field.Int64("version").Default(0).NonNegative().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Int("notify_ahead").Default(3).NonNegative().
			Comment("notify a patient when their position reaches this number"),
		field.Int("default_service_minutes").Default(10).Positive().
			Comment("estimate used until the queue has recent service times"),
		target("target_immediate_minutes", 0),
		target("target_very_urgent_minutes", 10),
		target("target_urgent_minutes", 60),
		target("target_standard_minutes", 120),
		target("target_non_urgent_minutes", 240),
		field.String("department_id").GoType(pulid.ID("")).Immutable(),
	}
}

// Edges of the Queue.
func (Queue) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("department", Department.Type).Ref("queues").Field("department_id").Unique().Required().Immutable(),
		edge.To("tickets", Ticket.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.From("service_points", ServicePoint.Type).Ref("queues"),
	}
}

// Indexes of the Queue.
func (Queue) Indexes() []ent.Index {
	return []ent.Index{index.Fields("department_id", "name").Unique()}
}

// Annotations of the Queue.
func (Queue) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the Queue: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (Queue) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.QueueScope, rule.ReferenceReaders...),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowMutationInFacility(rule.QueueScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Hooks of the Queue: its name meets the input rules whichever path sets it.
func (Queue) Hooks() []ent.Hook {
	return []ent.Hook{inputHook(nameRule("name", "name", "the queue name", input.LongNameMax))}
}
