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
	"github.com/carequeue/carequeue/ent/schema/rule"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/input"
)

// Appointment is a scheduled visit; checking in turns it into a ticket whose deadline counts from the
// later of the scheduled time and the arrival.
type Appointment struct{ ent.Schema }

// Mixin of the Appointment.
func (Appointment) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("AP"), TimeMixin{}}
}

// Fields of the Appointment.
func (Appointment) Fields() []ent.Field {
	return []ent.Field{
		field.Time("scheduled_at").Annotations(entgql.OrderField("SCHEDULED_AT")),
		field.Enum("status").Values("SCHEDULED", "CHECKED_IN", "CANCELLED", "NO_SHOW").Default("SCHEDULED").
			Annotations(entgql.Type("AppointmentStatus")),
		field.String("external_ref").Optional().MaxLen(128).Comment("the EHR's identifier"),
		field.String("note").Optional().MaxLen(2000),
		field.String("patient_id").GoType(pulid.ID("")),
		field.String("queue_id").GoType(pulid.ID("")),
	}
}

// Edges of the Appointment.
func (Appointment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("patient", Patient.Type).Ref("appointments").Field("patient_id").Unique().Required(),
		edge.To("queue", Queue.Type).Field("queue_id").Unique().Required(),
		edge.To("tickets", Ticket.Type).Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Appointment.
func (Appointment) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("queue_id", "scheduled_at"),
		index.Fields("external_ref"),
	}
}

// Annotations of the Appointment.
func (Appointment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the Appointment: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (Appointment) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.AppointmentScope),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowMutationInFacility(rule.AppointmentScope, auth.RoleAdmin, auth.RoleReceptionist, auth.RoleIntegration),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Hooks of the Appointment: its reference and note meet the input rules whichever path sets them (the
// admin screens, integrations, the demo seed); a blank reference means none.
func (Appointment) Hooks() []ent.Hook {
	return []ent.Hook{inputHook(
		orNone(referenceRule("external_ref", "externalRef", "the appointment reference")),
		textRule("note", "note", "the note", input.NoteMax),
	)}
}
