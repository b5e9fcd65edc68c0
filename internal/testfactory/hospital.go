package testfactory

import (
	"context"
	"testing"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/user"
)

// Hospital is the small hospital most tests start from: one facility with one department, one queue,
// one open service point serving it, and an admin, a receptionist and a clinician of that facility.
// Add more with the other functions (QueueOpts{DepartmentID: h.Department.ID}, ...).
type Hospital struct {
	Facility     *ent.Facility
	Department   *ent.Department
	Queue        *ent.Queue
	ServicePoint *ent.ServicePoint
	Admin        *ent.User
	Receptionist *ent.User
	Clinician    *ent.User
}

// HospitalOpts override SmallHospital's parts; the ids that wire them together (FacilityID,
// DepartmentID, the service point's QueueIDs) are set by SmallHospital.
type HospitalOpts struct {
	Facility     FacilityOpts
	Department   DepartmentOpts
	Queue        QueueOpts
	ServicePoint ServicePointOpts
}

// SmallHospital inserts a Hospital; opts may be nil.
func SmallHospital(ctx context.Context, tb testing.TB, client *ent.Client, opts *HospitalOpts) *Hospital {
	tb.Helper()
	opts = orNew(opts)
	h := &Hospital{Facility: Facility(ctx, tb, client, &opts.Facility)}
	dept := opts.Department
	dept.FacilityID = h.Facility.ID
	h.Department = Department(ctx, tb, client, &dept)
	q := opts.Queue
	q.DepartmentID = h.Department.ID
	h.Queue = Queue(ctx, tb, client, &q)
	sp := opts.ServicePoint
	sp.DepartmentID, sp.QueueIDs = h.Department.ID, []pulid.ID{h.Queue.ID}
	h.ServicePoint = ServicePoint(ctx, tb, client, &sp)
	staff := func(role user.Role) *ent.User {
		return User(ctx, tb, client, &UserOpts{Role: role, FacilityID: h.Facility.ID})
	}
	h.Admin, h.Receptionist, h.Clinician = staff(user.RoleADMIN), staff(user.RoleRECEPTIONIST), staff(user.RoleCLINICIAN)
	return h
}
