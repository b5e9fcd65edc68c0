package schema

import (
	"context"
	"strings"

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
	"github.com/carequeue/carequeue/internal/locale"
	"github.com/carequeue/carequeue/internal/phone"
)

// Facility is a hospital or clinic site; its time zone decides when daily ticket codes restart.
type Facility struct{ ent.Schema }

// Mixin of the Facility.
func (Facility) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("FC"), TimeMixin{}}
}

// Fields of the Facility.
func (Facility) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200).Annotations(entgql.OrderField("NAME")),
		field.String("timezone").Default("UTC").MaxLen(64).
			Comment("IANA time zone, e.g. Europe/Paris"),
		field.Bool("active").Default(true),
		field.String("language").Default("en").MaxLen(8).
			Comment("language of the waiting-room boards and kiosks: en, es or fr"),
		// Formats are the locale's, words the language's: a UK hospital can run Spanish boards that
		// still show 14:05 and 3 Apr 1990 as its staff read them. A facility created without one gets
		// locale.Derive(language, timezone) from the admin service.
		field.String("locale").Default(locale.Default).MaxLen(16).Validate(locale.Validate).
			Comment("BCP 47 locale of dates, times and numbers (locale.Supported), e.g. en-GB, en-US, es-ES, fr-FR"),
		field.String("phone_region").Default(phone.DefaultRegion).MaxLen(2).Validate(phone.ValidRegion).
			Comment("ISO 3166-1 alpha-2 country (GB, FR, US) whose national phone numbers people type here: \"07700 900123\" is read as +447700900123 in GB"),
	}
}

// Edges of the Facility.
func (Facility) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("departments", Department.Type).Annotations(entgql.RelayConnection()),
		edge.To("patients", Patient.Type).Annotations(entgql.RelayConnection()),
		edge.To("users", User.Type).Annotations(entgql.RelayConnection()),
	}
}

// Annotations of the Facility.
func (Facility) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(), entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the Facility: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (Facility) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.FacilityScope, rule.ReferenceReaders...),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowMutationInFacility(rule.FacilityScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Hooks of the Facility: its name, language and phone region meet the input rules whichever path
// sets them.
func (Facility) Hooks() []ent.Hook {
	return []ent.Hook{inputHook(
		nameRule("name", "name", "the facility name", input.LongNameMax),
		languageRule("language"),
		fieldRule{field: "phone_region", check: func(_ context.Context, _ ent.Mutation, v any) (any, error) {
			region := strings.ToUpper(strings.TrimSpace(v.(string)))
			return region, phone.ValidRegion(region)
		}},
	)}
}
