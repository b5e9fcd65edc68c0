package pulid

import (
	"fmt"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
)

// Annotation records a schema's prefix so code generation can map prefixes back to tables.
type Annotation struct{ Prefix string }

// Name implements schema.Annotation.
func (Annotation) Name() string { return "PULID" }

// MixinWithPrefix gives a schema an ID field of type ID with the given prefix.
func MixinWithPrefix(prefix string) *Mixin {
	if len(prefix) != PrefixLen {
		panic(fmt.Sprintf("pulid: prefix %q must be %d characters", prefix, PrefixLen))
	}
	return &Mixin{prefix: prefix}
}

// Mixin defines the id field.
type Mixin struct {
	mixin.Schema
	prefix string
}

// Fields implements ent.Mixin.
func (m Mixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").
			GoType(ID("")).
			MaxLen(PrefixLen + 26).
			DefaultFunc(func() ID { return New(m.prefix) }).
			Immutable(),
	}
}

// Annotations implements ent.Mixin.
func (m Mixin) Annotations() []schema.Annotation {
	return []schema.Annotation{Annotation{Prefix: m.prefix}}
}
