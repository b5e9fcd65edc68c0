package admin

import (
	"context"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
)

// CreateDepartment creates a department, its escalation phone normalised to E.164 by the Department
// schema's hook. Errors: NOT_FOUND (facility), BAD_USER_INPUT (input.escalationPhone), CONFLICT,
// FORBIDDEN.
func (s *Service) CreateDepartment(ctx context.Context, in ent.CreateDepartmentInput) (*ent.Department, error) {
	return write(ctx, s, "department.create", "Department", func(ctx context.Context, c *ent.Client) (*ent.Department, any, error) {
		if _, err := c.Facility.Get(ctx, in.FacilityID); err != nil {
			return nil, nil, notFound(err, "facility")
		}
		d, err := c.Department.Create().SetInput(in).Save(ctx)
		return d, nil, err
	})
}

// UpdateDepartment changes a department; an empty escalation phone removes it. Errors: NOT_FOUND,
// BAD_USER_INPUT (input.escalationPhone), CONFLICT, FORBIDDEN.
func (s *Service) UpdateDepartment(ctx context.Context, id pulid.ID, in ent.UpdateDepartmentInput) (*ent.Department, error) {
	return write(ctx, s, "department.update", "Department", func(ctx context.Context, c *ent.Client) (*ent.Department, any, error) {
		before, err := c.Department.Get(ctx, id)
		if err != nil {
			return nil, nil, notFound(err, "department")
		}
		d, err := c.Department.UpdateOne(before).SetInput(in).Save(ctx)
		return d, before, err
	})
}

// EscalationPhone is department d's escalation phone for staff (who may need to ring the nurse in
// charge), nil when it has none and for other viewers: kiosks read departments too.
func EscalationPhone(ctx context.Context, d *ent.Department) *string {
	if v, ok := auth.FromContext(ctx); !ok || !v.IsStaff() || d.EscalationPhone == "" {
		return nil
	}
	return &d.EscalationPhone
}
