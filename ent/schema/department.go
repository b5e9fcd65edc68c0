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
