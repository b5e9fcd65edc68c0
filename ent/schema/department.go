package schema

import (
	"context"
	"strings"

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
	"github.com/carequeue/carequeue/internal/cqerr"
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

// Hooks of the Department: the escalation phone is stored in E.164 whichever path sets it.
func (Department) Hooks() []ent.Hook {
	return []ent.Hook{normalizeEscalationPhone}
}

// normalizeEscalationPhone puts escalation_phone in E.164 before the field validator runs, and treats an
// empty or blank number as "no contact". Its errors are BAD_USER_INPUT naming the API's field
// ("escalationPhone"); callers put the path of their input in front (cqerr.Under).
func normalizeEscalationPhone(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		v, ok := m.Field("escalation_phone")
		if !ok {
			return next.Mutate(ctx, m)
		}
		if strings.TrimSpace(v.(string)) == "" {
			err := m.ResetField("escalation_phone")
			if err == nil && !m.Op().Is(ent.OpCreate) {
				err = m.ClearField("escalation_phone")
			}
			if err != nil {
				return nil, err
			}
			return next.Mutate(ctx, m)
		}
		tel, err := phone.Normalize(v.(string))
		if err != nil {
			return nil, cqerr.E(cqerr.BadUserInput, "escalation phone must be in international format with country code, e.g. +447700900123").WithField("escalationPhone")
		}
		if err := m.SetField("escalation_phone", tel); err != nil {
			return nil, err
		}
		return next.Mutate(ctx, m)
	})
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
