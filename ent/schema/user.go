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

// User is an account: staff (admin, receptionist, clinician), an integration's service account, or a
// patient who signed in with a one-time code. Each has exactly one role.
type User struct{ ent.Schema }

// Mixin of the User.
func (User) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("US"), TimeMixin{}}
}

// Fields of the User.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").Optional().MaxLen(254).
			Comment("sign-in name for staff and integrations; stored lower-case").
			Annotations(entgql.OrderField("EMAIL")),
		field.String("name").NotEmpty().MaxLen(200).Annotations(entgql.OrderField("NAME")),
		field.Enum("role").Values("ADMIN", "RECEPTIONIST", "CLINICIAN", "PATIENT", "INTEGRATION", "KIOSK").
			Annotations(entgql.Type("Role")),
		field.String("password_hash").Optional().Sensitive().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("phone").Optional().MaxLen(16).Validate(phone.Validate).
			Comment("E.164; patients sign in with it").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Bool("active").Default(true),
		field.Time("last_login_at").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.String("facility_id").GoType(pulid.ID("")).Optional().
			Comment("staff belong to one facility; empty for a patient account"),
	}
}

// Edges of the User.
func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("facility", Facility.Type).Ref("users").Field("facility_id").Unique(),
		edge.To("patients", Patient.Type).
			Comment("the patient records this account may see (same phone)").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("refresh_tokens", RefreshToken.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the User.
func (User) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("email").Unique(),
		index.Fields("phone"),
	}
}

// Annotations of the User.
func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the User: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (User) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.UserScope),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowMutationInFacility(rule.UserScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Hooks of the User: its name meets the input rules whichever path sets it.
func (User) Hooks() []ent.Hook {
	return []ent.Hook{inputHook(nameRule("name", "name", "the name", input.LongNameMax))}
}
