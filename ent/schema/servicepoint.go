package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"entgo.io/ent/privacy"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/schema/rule"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/input"
)

// ServicePoint is a room, bay or counter where patients are seen; it serves one or more queues.
type ServicePoint struct{ ent.Schema }

// Mixin of the ServicePoint.
func (ServicePoint) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("SP"), TimeMixin{}}
}

// Fields of the ServicePoint.
func (ServicePoint) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100).Annotations(entgql.OrderField("NAME")),
		field.Bool("open").Default(true).Comment("staffed now; counts toward estimated waits"),
		field.Bool("active").Default(true),
		field.String("department_id").GoType(pulid.ID("")).Immutable(),
	}
}

// Edges of the ServicePoint.
func (ServicePoint) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("department", Department.Type).Ref("service_points").Field("department_id").Unique().Required().Immutable(),
		edge.To("queues", Queue.Type),
		edge.To("tickets", Ticket.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Annotations of the ServicePoint.
func (ServicePoint) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the ServicePoint: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (ServicePoint) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.ServicePointScope, rule.ReferenceReaders...),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowMutationInFacility(rule.ServicePointScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Hooks of the ServicePoint: its name meets the input rules whichever path sets it.
func (ServicePoint) Hooks() []ent.Hook {
	return []ent.Hook{inputHook(nameRule("name", "name", "the service point name", input.NameMax))}
}
