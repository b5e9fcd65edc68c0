package demo

import (
	"context"
	"fmt"

	"github.com/carequeue/carequeue/ent"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
)

// The hospital's layout: names are what the dashboards and the display boards show.
const (
	emergency   = "Emergency"
	outpatients = "Outpatients"
	laboratory  = "Laboratory"

	triage     = "Triage"
	clinic     = "General Clinic"
	cardiology = "Cardiology"
	bloods     = "Blood Tests"
	imaging    = "Imaging"
)

var staff = []struct {
	email, name string
	role        user.Role
}{
	{AdminEmail, "Morgan Ellis", user.RoleADMIN},
	{ReceptionistEmail, "Sam Okafor", user.RoleRECEPTIONIST},
	{DoctorEmail, "Dr Amara Nwosu", user.RoleCLINICIAN},
	{NurseEmail, "Tom Byrne", user.RoleCLINICIAN},
	{IntegrationEmail, "St Mary's EHR", user.RoleINTEGRATION},
	{KioskEmail, "Main entrance kiosk", user.RoleKIOSK},
}

var departments = []string{emergency, outpatients, laboratory}

// defaultServiceMinutes is each queue's estimate per patient until it has enough completed services
// of its own: what a visit there typically takes. The laboratory's walk-in queues take self check-in
// from the patient app (SelfCheckInQueues); the clinics take it only for a patient's appointment today.
var queues = []struct {
	department, name, prefix string
	ordering                 entqueue.Ordering
	defaultServiceMinutes    int
	selfCheckIn              bool
}{
	{emergency, triage, "E", entqueue.OrderingTRIAGE, 20, false},
	{outpatients, clinic, "C", entqueue.OrderingTRIAGE, 15, false},
	{outpatients, cardiology, "K", entqueue.OrderingFIFO, 20, false},
	{laboratory, bloods, "B", entqueue.OrderingFIFO, 5, true},
	{laboratory, imaging, "X", entqueue.OrderingFIFO, 10, true},
}

var servicePoints = []struct {
	department, name string
	serves           []string
}{
	{emergency, "Resus 1", []string{triage}},
	{emergency, "Bay 2", []string{triage}},
	{emergency, "Bay 3", []string{triage}},
	{outpatients, "Room 1", []string{clinic}},
	{outpatients, "Room 2", []string{clinic}},
	{outpatients, "Room 3", []string{cardiology}},
	{laboratory, "Phlebotomy 1", []string{bloods}},
	{laboratory, "Phlebotomy 2", []string{bloods}},
	{laboratory, "X-Ray", []string{imaging}},
}

func (l *loader) createFacility(ctx context.Context) (string, error) {
	tz := FacilityTimezone
	f, err := l.adm.CreateFacility(auth.NewContext(ctx, cliAdmin), ent.CreateFacilityInput{Name: FacilityName, Timezone: &tz})
	if err != nil {
		return "", err
	}
	l.facility = f
	return "✓", nil
}

func (l *loader) createStaff(ctx context.Context) (string, error) {
	l.staff = make(map[string]*ent.User, len(staff))
	ctx = auth.NewContext(ctx, cliAdmin)
	for _, s := range staff {
		email, fid := s.email, l.facility.ID
		u, err := l.sess.CreateUser(ctx, ent.CreateUserInput{Email: &email, Name: s.name, Role: s.role, FacilityID: &fid}, DemoPassword)
		if err != nil {
			return "", fmt.Errorf("%s: %w", s.email, err)
		}
		l.staff[s.email] = u
	}
	return count(len(l.staff), Staff), nil
}

func (l *loader) createDepartments(ctx context.Context) (string, error) {
	l.departments = make(map[string]*ent.Department, len(departments))
	ctx = auth.NewContext(ctx, cliAdmin)
	for _, name := range departments {
		d, err := l.adm.CreateDepartment(ctx, ent.CreateDepartmentInput{Name: name, FacilityID: l.facility.ID})
		if err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		l.departments[name] = d
	}
	return count(len(l.departments), Departments), nil
}

func (l *loader) createQueues(ctx context.Context) (string, error) {
	l.queues = make(map[string]*ent.Queue, len(queues))
	ctx = auth.NewContext(ctx, cliAdmin)
	for _, spec := range queues {
		ordering, minutes, self := spec.ordering, spec.defaultServiceMinutes, spec.selfCheckIn
		q, err := l.adm.CreateQueue(ctx, ent.CreateQueueInput{
			Name:                  spec.name,
			Prefix:                spec.prefix,
			Ordering:              &ordering,
			DefaultServiceMinutes: &minutes,
			SelfCheckIn:           &self,
			DepartmentID:          l.departments[spec.department].ID,
		})
		if err != nil {
			return "", fmt.Errorf("%s: %w", spec.name, err)
		}
		l.queues[spec.name] = q
	}
	return count(len(l.queues), Queues), nil
}

func (l *loader) createServicePoints(ctx context.Context) (string, error) {
	l.points = make(map[string]*ent.ServicePoint, len(servicePoints))
	ctx = auth.NewContext(ctx, cliAdmin)
	for _, spec := range servicePoints {
		var ids []pulid.ID
		for _, name := range spec.serves {
			ids = append(ids, l.queues[name].ID)
		}
		sp, err := l.adm.CreateServicePoint(ctx, ent.CreateServicePointInput{
			Name:         spec.name,
			DepartmentID: l.departments[spec.department].ID,
			QueueIDs:     ids,
		})
		if err != nil {
			return "", fmt.Errorf("%s: %w", spec.name, err)
		}
		l.points[spec.name] = sp
	}
	return count(len(l.points), ServicePoints), nil
}
