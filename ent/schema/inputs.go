package schema

import (
	"context"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent"

	gen "github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/facility"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/input"
	"github.com/carequeue/carequeue/internal/phone"
)

// A fieldRule checks and cleans one field of a mutation before it is stored. Its errors are
// BAD_USER_INPUT naming the API's field ("givenName"); callers put the path of the entity in their
// input in front (cqerr.Under).
type fieldRule struct {
	field string
	check func(ctx context.Context, m ent.Mutation, v any) (any, error)
	// optional: a blank value means "none" (not set on create, cleared on update) instead of an error.
	optional bool
}

// orNone makes r optional.
func orNone(r fieldRule) fieldRule {
	r.optional = true
	return r
}

// inputHook applies rules to the fields a create or update sets, whichever path it comes by
// (GraphQL, kiosk, patient app, command line, demo seed): the one place each input rule is enforced.
func inputHook(rules ...fieldRule) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			for _, r := range rules {
				v, ok := m.Field(r.field)
				if !ok {
					continue
				}
				if s, isString := v.(string); isString && r.optional && strings.TrimSpace(s) == "" {
					if err := clearField(m, r.field); err != nil {
						return nil, err
					}
					continue
				}
				clean, err := r.check(ctx, m, v)
				if err != nil {
					return nil, err
				}
				if err := m.SetField(r.field, clean); err != nil {
					return nil, err
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}

// clearField forgets a blank optional value: not set on create, cleared on update.
func clearField(m ent.Mutation, field string) error {
	if err := m.ResetField(field); err != nil {
		return err
	}
	if m.Op().Is(ent.OpCreate) {
		return nil
	}
	return m.ClearField(field)
}

func nameRule(field, api, what string, max int) fieldRule {
	return fieldRule{field: field, check: func(_ context.Context, _ ent.Mutation, v any) (any, error) {
		return input.Name(api, what, v.(string), max)
	}}
}

func textRule(field, api, what string, max int) fieldRule {
	return fieldRule{field: field, check: func(_ context.Context, _ ent.Mutation, v any) (any, error) {
		return input.Text(api, what, v.(string), max)
	}}
}

func referenceRule(field, api, what string) fieldRule {
	return fieldRule{field: field, check: func(_ context.Context, _ ent.Mutation, v any) (any, error) {
		return input.Reference(api, what, v.(string))
	}}
}

func languageRule(field string) fieldRule {
	return fieldRule{field: field, check: func(_ context.Context, _ ent.Mutation, v any) (any, error) {
		return input.Language("language", v.(string))
	}}
}

func dateOfBirthRule(field string) fieldRule {
	return fieldRule{field: field, check: func(_ context.Context, _ ent.Mutation, v any) (any, error) {
		dob := v.(time.Time)
		return dob, input.DateOfBirth("dateOfBirth", dob, time.Now())
	}}
}

// smsPhoneRule stores a number people typed as E.164, reading national numbers in the region of the
// entity's facility (Facility.phone_region).
func smsPhoneRule(field, api string) fieldRule {
	return fieldRule{field: field, check: func(ctx context.Context, m ent.Mutation, v any) (any, error) {
		region, err := mutationRegion(ctx, m)
		if err != nil {
			return nil, err
		}
		return phone.ForSMS(v.(string), region, api)
	}}
}

// mutationRegion is the phone region of the facility the mutated entity belongs to (its facility_id),
// or "" when a bulk update does not say which (then only international numbers are accepted).
func mutationRegion(ctx context.Context, m ent.Mutation) (string, error) {
	var id pulid.ID
	if v, ok := m.Field("facility_id"); ok {
		id = v.(pulid.ID)
	} else if old, ok := m.(interface {
		OldFacilityID(context.Context) (pulid.ID, error)
	}); ok && m.Op().Is(ent.OpUpdateOne) {
		var err error
		if id, err = old.OldFacilityID(ctx); err != nil {
			return "", fmt.Errorf("reading the facility of the %s: %w", strings.ToLower(m.Type()), err)
		}
	}
	c, ok := m.(interface{ Client() *gen.Client })
	if id == "" || !ok {
		return "", nil
	}
	// The region is not secret, and the facility may be outside what the viewer may read (a patient
	// app registering against its facility): read it as the system.
	region, err := c.Client().Facility.Query().Where(facility.ID(id)).Select(facility.FieldPhoneRegion).String(auth.SystemContext(ctx))
	if gen.IsNotFound(err) {
		return "", nil // the foreign key refuses the row; the number is read as international meanwhile
	}
	if err != nil {
		return "", fmt.Errorf("reading the facility's phone region: %w", err)
	}
	return region, nil
}
