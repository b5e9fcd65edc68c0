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
	"github.com/carequeue/carequeue/internal/phone"
)

// Department is a unit of a facility (Emergency, Outpatients, Laboratory) with its own queues and rooms.
type Department struct{ ent.Schema }

// Mixin of the Department.
func (Department) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("DP"), TimeMixin{}}
}

// Fields of the Department.
func (Department) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200).Annotations(entgql.OrderField("NAME")),
		field.Bool("active").Default(true),
		field.String("facility_id").GoType(pulid.ID("")).Immutable(),
		// Not in the Department type every reference reader (kiosks too) sees: the escalationPhone
		// resolver shows it to staff only. Not filterable either, for the same reason.
		field.String("escalation_phone").Optional().MaxLen(16).Validate(phone.Validate).
			Comment("E.164 number of the nurse in charge's ward phone or pager: escalations and urgent-share warnings are sent to it by SMS").
			Annotations(entgql.Skip(entgql.SkipType, entgql.SkipWhereInput, entgql.SkipOrderField)),
	}
}

// Edges of the Department.
func (Department) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("facility", Facility.Type).Ref("departments").Field("facility_id").Unique().Required().Immutable(),
		edge.To("queues", Queue.Type).Annotations(entgql.RelayConnection()),
		edge.To("service_points", ServicePoint.Type).Annotations(entgql.RelayConnection()),
	}
}

// Hooks of the Department: the name and the escalation phone meet the input rules whichever path sets
// them; the phone is read in the facility's region and stored in E.164, and a blank one means none.
func (Department) Hooks() []ent.Hook {
	return []ent.Hook{inputHook(
		nameRule("name", "name", "the department name", input.LongNameMax),
		orNone(smsPhoneRule("escalation_phone", "escalationPhone")),
	)}
}

// Indexes of the Department.
func (Department) Indexes() []ent.Index {
	return []ent.Index{index.Fields("facility_id", "name").Unique()}
}

// Annotations of the Department.
func (Department) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the Department: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (Department) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.DepartmentScope, rule.ReferenceReaders...),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowMutationInFacility(rule.DepartmentScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
	}
}
