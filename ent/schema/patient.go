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
	"github.com/carequeue/carequeue/internal/audit/reads"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/phone"
)

// Patient is a person registered at a facility. The MRN (medical record number) is unique per facility.
type Patient struct{ ent.Schema }

// Mixin of the Patient.
func (Patient) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("PA"), TimeMixin{}}
}

// Fields of the Patient.
func (Patient) Fields() []ent.Field {
	return []ent.Field{
		field.String("mrn").Optional().MaxLen(64).Comment("medical record number, unique per facility"),
		field.String("given_name").NotEmpty().MaxLen(100),
		field.String("family_name").NotEmpty().MaxLen(100).Annotations(entgql.OrderField("FAMILY_NAME")),
		field.Time("date_of_birth").Optional().Nillable(),
		field.String("phone").Optional().MaxLen(16).Validate(phone.Validate).Comment("E.164, e.g. +447700900123"),
		field.String("language").Default("en").MaxLen(8).Comment("BCP 47 tag for messages: en, es, fr"),
		field.Bool("sms_opt_in").Default(true),
		field.String("facility_id").GoType(pulid.ID("")).Immutable(),
		field.String("account_id").GoType(pulid.ID("")).Optional().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Edges of the Patient.
func (Patient) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("facility", Facility.Type).Ref("patients").Field("facility_id").Unique().Required().Immutable(),
		edge.From("account", User.Type).Ref("patients").Field("account_id").Unique().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("tickets", Ticket.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("appointments", Appointment.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("devices", Device.Type).Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Patient.
func (Patient) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("facility_id", "mrn").Unique(),
		index.Fields("phone"),
		index.Fields("facility_id", "family_name", "given_name"),
	}
}

// Annotations of the Patient.
func (Patient) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Interceptors of the Patient: every patient a GraphQL operation reads is collected for the audit log
// (internal/audit/reads; graph.ReadTrail writes one entry per operation).
func (Patient) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{reads.Interceptor()}
}

// Hooks of the Patient: every create and update, whichever path it comes by (createPatient,
// updatePatient, check-in's inline patient, the demo seed), stores the patient normalised.
func (Patient) Hooks() []ent.Hook {
	return []ent.Hook{normalizePatient}
}

// normalizePatient trims the names, refusing empty ones, and puts the phone in E.164 before the field
// validators run. Its errors are BAD_USER_INPUT naming the API's field ("givenName", "phone"); callers
// put the path of the patient in their input in front (cqerr.Under).
func normalizePatient(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		for _, f := range []struct{ name, api, label string }{
			{"given_name", "givenName", "given name"},
			{"family_name", "familyName", "family name"},
		} {
			v, ok := m.Field(f.name)
			if !ok {
				continue
			}
			name := strings.TrimSpace(v.(string))
			if name == "" {
				return nil, cqerr.E(cqerr.BadUserInput, f.label+" must not be empty").WithField(f.api)
			}
			if err := m.SetField(f.name, name); err != nil {
				return nil, err
			}
		}
		if v, ok := m.Field("phone"); ok {
			tel, err := phone.Normalize(v.(string))
			if err != nil {
				return nil, err
			}
			if err := m.SetField("phone", tel); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
}

// Policy of the Patient: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (Patient) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.PatientScope),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowMutationInFacility(rule.PatientScope, auth.RoleAdmin, auth.RoleReceptionist, auth.RoleClinician, auth.RoleIntegration),
			privacy.AlwaysDenyRule(),
		},
	}
}
