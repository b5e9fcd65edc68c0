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
	"github.com/carequeue/carequeue/internal/input"
)

// Ticket is a patient's place in one queue. Tickets change only through the queue workflows
// (internal/queue), never through generic mutations, so every change is ordered, versioned and audited.
type Ticket struct{ ent.Schema }

// Mixin of the Ticket.
func (Ticket) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("TK"), TimeMixin{}}
}

// Fields of the Ticket.
func (Ticket) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").NotEmpty().MaxLen(16).Immutable().
			Comment("short human code: queue prefix and daily sequence, C-012").
			Annotations(entgql.OrderField("CODE")),
		field.String("service_day").NotEmpty().MaxLen(10).Immutable().
			Comment("the facility-local date (YYYY-MM-DD) the daily sequence belongs to"),
		field.Int("seq").Positive().Immutable(),
		field.Enum("status").
			Values("WAITING", "CALLED", "IN_SERVICE", "COMPLETED", "NO_SHOW", "CANCELLED", "TRANSFERRED").
			Default("WAITING").
			Annotations(entgql.Type("TicketStatus"), entgql.OrderField("STATUS")),
		field.Enum("triage_level").GoType(enum.TriageLevel("")).
			Default(string(enum.TriageLevelStandard)).
			Annotations(entgql.Type("TriageLevel")),
		field.Bool("awaiting_triage").Default(false).
			Comment("a self check-in (kiosk, patient app) into a TRIAGE queue that no clinician or receptionist has triaged yet; it is ordered as the queue's self_check_in_level until retriageTicket (even to the same level) clears it"),
		field.Enum("source").
			Values("WALK_IN", "APPOINTMENT", "KIOSK", "MOBILE", "TRANSFER", "INTEGRATION").
			Default("WALK_IN").Immutable().
			Annotations(entgql.Type("TicketSource")),
		field.String("note").Optional().MaxLen(2000),
		field.Time("checked_in_at").Immutable().Annotations(entgql.OrderField("CHECKED_IN_AT")),
		field.Time("arrived_at").Immutable().
			Comment("when the visit started: the check-in time, or for a transfer into a queue that keeps arrival (transfer_keeps_arrival) the first ticket's arrived_at; the target clock counts from it").
			Annotations(entgql.OrderField("ARRIVED_AT")),
		field.Time("target_at").
			Comment("arrival (or, later, the appointment time) plus the triage level's target wait: the deadline").
			Annotations(entgql.OrderField("TARGET_AT")),
		field.Time("called_at").Optional().Nillable(),
		field.Time("started_at").Optional().Nillable(),
		field.Time("ended_at").Optional().Nillable().Comment("completed, no-show, cancelled or transferred"),
		field.Time("escalated_at").Optional().Nillable().
			Comment("when the ticket, still waiting, passed its queue's maximum wait; set once by the escalation job"),
		field.Int("recall_count").Default(0).NonNegative(),
		field.String("cancel_reason").Optional().MaxLen(500),
		field.String("status_token").NotEmpty().MaxLen(64).Immutable().
			Comment("secret for the public status page linked from the SMS"),
		field.String("idempotency_key").Optional().MaxLen(128).Immutable().
			Deprecated("keys live in idempotency_keys; the column stays one release so that replicas of the previous one keep running during a rolling upgrade, and is dropped in the next").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Bool("notified_ahead").Default(false).
			Annotations(entgql.Skip(entgql.SkipAll)),
		// What the patient was last told about their wait by message (check-in, transfer, wait
		// change), so that only a material change of it is worth another message (notify.WaitChange).
		// The patient's screens show the live range; these remember what reached their phone.
		field.Time("wait_told_at").Optional().Nillable().
			Comment("when a message last told the patient a wait range").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("wait_told_low").Optional().NonNegative().
			Comment("the lower end of that range, minutes from wait_told_at").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("wait_told_high").Optional().NonNegative().
			Comment("the upper end of that range, minutes from wait_told_at").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("queue_id").GoType(pulid.ID("")).Immutable(),
		field.String("patient_id").GoType(pulid.ID("")).Immutable(),
		field.String("appointment_id").GoType(pulid.ID("")).Optional().Immutable(),
		field.String("service_point_id").GoType(pulid.ID("")).Optional(),
		field.String("called_by_id").GoType(pulid.ID("")).Optional(),
		field.String("previous_id").GoType(pulid.ID("")).Optional().Immutable().
			Comment("the ticket this one was transferred from"),
	}
}

// Edges of the Ticket.
func (Ticket) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("queue", Queue.Type).Ref("tickets").Field("queue_id").Unique().Required().Immutable(),
		edge.From("patient", Patient.Type).Ref("tickets").Field("patient_id").Unique().Required().Immutable(),
		edge.From("appointment", Appointment.Type).Ref("tickets").Field("appointment_id").Unique().Immutable(),
		edge.From("service_point", ServicePoint.Type).Ref("tickets").Field("service_point_id").Unique(),
		edge.To("called_by", User.Type).Field("called_by_id").Unique(),
		edge.To("next", Ticket.Type).Unique().
			From("previous").Field("previous_id").Unique().Immutable(),
		edge.To("events", TicketEvent.Type).Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Ticket.
func (Ticket) Indexes() []ent.Index {
	return []ent.Index{
		// The waiting line of a queue: snapshots and callNext read WAITING tickets of one queue.
		index.Fields("queue_id", "status", "target_at"),
		// Daily codes: the next sequence is max(seq)+1 for the queue and day, and a code is never reused.
		index.Fields("queue_id", "service_day", "seq").Unique(),
		index.Fields("idempotency_key").Unique(),
		index.Fields("status_token").Unique(),
		index.Fields("patient_id", "checked_in_at"),
		// Estimates and analytics read recent completions of a queue.
		index.Fields("queue_id", "ended_at"),
	}
}

// Annotations of the Ticket.
func (Ticket) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}

// Policy of the Ticket: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (Ticket) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.TicketScope),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowTicketWorkflow(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Hooks of the Ticket: its note and cancellation reason meet the input rules whichever workflow sets
// them.
func (Ticket) Hooks() []ent.Hook {
	return []ent.Hook{inputHook(
		textRule("note", "note", "the note", input.NoteMax),
		textRule("cancel_reason", "reason", "the reason", input.ReasonMax),
	)}
}
