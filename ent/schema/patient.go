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
	"github.com/carequeue/carequeue/internal/audit/reads"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/input"
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
		field.String("language").Default("en").MaxLen(8).Comment("language of messages and screens: en, es or fr"),
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
// updatePatient, check-in's inline patient, the demo seed), meets the same input rules
// (internal/input, internal/phone) and is stored normalised.
func (Patient) Hooks() []ent.Hook {
	return []ent.Hook{inputHook(
		nameRule("given_name", "givenName", "the given name", input.NameMax),
		nameRule("family_name", "familyName", "the family name", input.NameMax),
		orNone(referenceRule("mrn", "mrn", "the MRN")),
		dateOfBirthRule("date_of_birth"),
		smsPhoneRule("phone", "phone"),
		languageRule("language"),
	)}
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
