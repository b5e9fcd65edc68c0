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

// Notification is one message to a patient (SMS, push, or the log sender) with its delivery state.
type Notification struct{ ent.Schema }

// Mixin of the Notification.
func (Notification) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("NT"), TimeMixin{}}
}

// Fields of the Notification.
func (Notification) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("channel").Values("SMS", "PUSH", "LOG").Annotations(entgql.Type("NotificationChannel")),
		field.String("kind").NotEmpty().MaxLen(32).Comment("checked_in, wait_changed, ahead, called, transferred, cancelled, code"),
		field.String("recipient").Optional().MaxLen(4096).Sensitive().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Text("body").Optional(),
		// LOGGED: no provider is configured for the channel, so the message went to the server log only
		// (channel LOG): never shown as sent.
		field.Enum("status").Values("PENDING", "SENT", "DELIVERED", "FAILED", "STALE", "SKIPPED", "LOGGED").Default("PENDING").
			Annotations(entgql.Type("NotificationStatus")),
		field.Int("attempts").Default(0).NonNegative(),
		field.String("error").Optional().MaxLen(1000),
		field.String("provider_id").Optional().MaxLen(128),
		field.Time("sent_at").Optional().Nillable(),
		field.String("ticket_id").Optional().MaxLen(32),
		field.String("patient_id").Optional().MaxLen(32),
	}
}

// Indexes of the Notification.
func (Notification) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("ticket_id"),
		index.Fields("provider_id"),
		index.Fields("status", "created_at"),
	}
}

// Annotations of the Notification.
func (Notification) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}

// Policy of the Notification: see ent/schema/rule. Internal code acting beyond the viewer uses auth.SystemContext.
func (Notification) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.Scoped(rule.NotificationScope, auth.RoleAdmin),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowCreateOnly(),
			privacy.AlwaysDenyRule(),
		},
	}
}
