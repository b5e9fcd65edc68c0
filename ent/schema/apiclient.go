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

// APIClient is a service account of one facility (an EHR, a booking system) that signs in with the
// OAuth 2.0 client credentials grant (internal/session.ClientToken). Its id is the client_id. Only the
// SHA-256 of its secret is stored: the secret is 32 random bytes, so a slow password hash would add
// nothing but CPU per token request (see auth.HashSecret). secret_id names the current secret and is
// the "session" of every access token issued with it: rotating or revoking the client changes or
// ends it, and the revocation check refuses older tokens.
type APIClient struct{ ent.Schema }

// Mixin of the APIClient.
func (APIClient) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("AK"), TimeMixin{}}
}

// Fields of the APIClient.
func (APIClient) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.String("facility_id").GoType(pulid.ID("")).Immutable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		// scopes are auth.Scope values, checked by the service (auth.ParseScopes).
		field.Strings("scopes"),
		field.String("secret_hash").NotEmpty().MaxLen(128).Sensitive().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("secret_id").NotEmpty().MaxLen(32).
			Annotations(entgql.Skip(entgql.SkipAll)),
		// secret_prefix is the secret's first characters, shown so that a person can tell which secret
		// a system holds without the secret being readable.
		field.String("secret_prefix").NotEmpty().MaxLen(16),
		field.Time("last_used_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
		field.String("created_by").Optional().MaxLen(32).Immutable(),
	}
}

// Indexes of the APIClient.
func (APIClient) Indexes() []ent.Index {
	return []ent.Index{index.Fields("facility_id")}
}

// Annotations of the APIClient.
func (APIClient) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField("apiClients").Description("The API clients (service accounts) an admin may manage: ADMIN of their facility, a global admin everywhere."),
	}
}

// Policy of the APIClient: only admins manage clients, in their own facility. The token endpoint
// reads clients as the system (no one is signed in yet).
func (APIClient) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.APIClientScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowMutationInFacility(rule.APIClientScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
	}
}
