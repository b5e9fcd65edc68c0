package schema

import (
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

// DailyReport holds one day's figures for a queue (queue_id set) or a whole department.
// Recomputing a day replaces its row.
type DailyReport struct{ ent.Schema }

// Mixin of the DailyReport.
func (DailyReport) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("DR"), TimeMixin{}}
}

// Fields of the DailyReport.
func (DailyReport) Fields() []ent.Field {
	return []ent.Field{
		field.String("day").NotEmpty().MaxLen(10).Annotations(entgql.OrderField("DAY")),
		field.String("department_id").MaxLen(32),
		field.String("queue_id").Default("").MaxLen(32).Comment("empty for the department's total (not NULL: the unique index must see it)"),
		field.Int("arrivals").Default(0),
		field.Int("served").Default(0),
		field.Int("no_shows").Default(0),
		field.Int("cancellations").Default(0),
		field.Int("median_wait_seconds").Optional().Nillable(),
		field.Int("p90_wait_seconds").Optional().Nillable(),
		field.Int("median_service_seconds").Optional().Nillable(),
		field.JSON("within_target", map[string]float64{}).Optional().
			Comment("share of tickets seen within the triage target, per level").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the DailyReport.
func (DailyReport) Indexes() []ent.Index {
	return []ent.Index{index.Fields("department_id", "queue_id", "day").Unique()}
}

// Annotations of the DailyReport.
func (DailyReport) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}

// Policy of the DailyReport: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (DailyReport) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.DailyReportScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			// Admins recompute their facility's days (internal/analytics checks the department first).
			rule.AllowMutationInFacility(rule.DailyReportScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
	}
}
