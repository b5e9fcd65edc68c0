// Package demo owns the demo hospital that `carequeue seed --demo` and `carequeue serve --demo` load:
// St Mary's General Hospital (Europe/London) with three departments (Emergency, Outpatients,
// Laboratory), five queues (Emergency "Triage" E, TRIAGE order; Outpatients "General Clinic" C,
// TRIAGE; Outpatients "Cardiology" K, FIFO; Laboratory "Blood Tests" B, FIFO; Laboratory "Imaging" X,
// FIFO; the two Laboratory queues take self check-in from the patient app), nine service points, one account of each staff role (see the *Email constants, all with
// DemoPassword), and 56 fictional patients checked in across the queues, two of them from Cardiology
// appointments booked by the EHR account. Before this morning come PastDays closed days (pastdays.go):
// the same patients arriving over each morning's rush, served for minutes at a time on a clock set to
// each moment, some not there when called and some giving up, with those days' reports rebuilt so the
// analytics have figures. This morning is played the same way (morning.go): today's patients arrive
// one after another over the last hours, then a few are called, started and completed, each visit
// minutes long, up to a few minutes ago, so the dashboards, the display boards and the history show a
// morning under way. Every row is written
// through the admin, session and queue services as a real person would: the command-line admin
// builds the hospital, the EHR account books appointments, the receptionist checks patients in and
// the doctor and nurse call them, so privacy rules apply and the audit log reads like a morning's work.
// The data is fixed (names, MRN-10001 onwards, phones in Ofcom's drama range +44 7700 900xxx), and only
// the dates follow today (the past days are the days before it).
package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/facility"
	"github.com/carequeue/carequeue/internal/admin"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/store"
)

// The demo facility.
const (
	FacilityName     = "St Mary's General Hospital"
	FacilityTimezone = "Europe/London"
)

// The demo sign-ins: every account has DemoPassword. The admin, like all the staff, belongs to the
// demo facility.
const (
	DemoPassword      = "carequeue-demo"
	AdminEmail        = "admin@demo.carequeue.org"     // ADMIN
	ReceptionistEmail = "reception@demo.carequeue.org" // RECEPTIONIST
	DoctorEmail       = "doctor@demo.carequeue.org"    // CLINICIAN
	NurseEmail        = "nurse@demo.carequeue.org"     // CLINICIAN
	IntegrationEmail  = "ehr@demo.carequeue.org"       // INTEGRATION (the hospital's EHR)
	KioskEmail        = "kiosk@demo.carequeue.org"     // KIOSK (the self check-in kiosk in the lobby)
)

// The patient who has not arrived yet, for trying the kiosk and the patient app. At the kiosk: check in
// with the appointment reference, or with the phone number and date of birth. In the app: sign in with a
// code sent to KioskPhone, then check in to the General Clinic appointment (booked for later today, in
// the facility's time zone) or to one of SelfCheckInQueues.
const (
	KioskAppointmentRef = "EHR-APPT-70100"
	KioskPhone          = "+447700900999"
	KioskDateOfBirth    = "1985-06-15"
)

// SelfCheckInQueues are the demo queues that take self check-in from the patient app without an
// appointment.
var SelfCheckInQueues = []string{bloods, imaging}

// What Load creates.
const (
	Departments   = 3
	Queues        = 5
	ServicePoints = 9
	Staff         = 6
	// Appointments are booked for today: all but the kiosk patient's are checked in.
	Appointments = 3
	// CheckIns is how many patients are checked in (one ticket each).
	CheckIns = 56
	// Completed, InService and Called are the tickets moved on after check-in; the rest wait.
	Completed = 6
	InService = 5
	Called    = 4
	// OpenTickets are the tickets still in a queue (waiting, called or in service).
	OpenTickets = CheckIns - Completed
	Waiting     = CheckIns - Completed - InService - Called
)

// Options tune Load.
type Options struct {
	// Out receives one progress line per step and the sign-in details at the end; nil discards them.
	Out io.Writer
	// SkipIfPresent makes Load a no-op (it prints "demo data already present") when the demo facility
	// exists; without it Load refuses with CONFLICT.
	SkipIfPresent bool
}

// cliAdmin is who builds the hospital: a global admin, as the command line acts (cmd/carequeue).
var cliAdmin = auth.Viewer{Role: auth.RoleAdmin}

// Load creates the demo hospital in db through the given services (see the package comment). The
// services must be built on db. It is not one transaction (each service call commits its own), so a
// failure leaves part of the demo behind; the error names the step that failed.
//
// Errors: CONFLICT when the demo facility exists and SkipIfPresent is false, and when the database holds
// any other facility (a real hospital's: the demo is never mixed in); otherwise whatever the
// failing step returned, wrapped as "demo <step>: ...".
func Load(ctx context.Context, db *store.DB, sess *session.Service, adm *admin.Service, q *queue.Service, opts Options) error {
	out := opts.Out
	if out == nil {
		out = io.Discard
	}
	l := &loader{out: out, db: db, client: db.Ent, sess: sess, adm: adm, q: q}
	// This morning is played on a clock set to each of its moments (morning.go).
	l.morning = q.WithClock(func() time.Time { return l.at })
	sys := auth.NewContext(ctx, cliAdmin)
	present, err := l.client.Facility.Query().Where(facility.Name(FacilityName)).Exist(sys)
	if err != nil {
		return fmt.Errorf("demo: looking for an existing demo facility: %w", err)
	}
	if present {
		if opts.SkipIfPresent {
			fmt.Fprintln(out, "demo data already present")
			return nil
		}
		return cqerr.Ef(cqerr.Conflict, "the demo facility %q already exists: the demo is loaded (start from an empty database to load it again)", FacilityName)
	}
	// Demo accounts have published passwords: they must never be added beside a real hospital's data.
	others, err := l.client.Facility.Query().Count(sys)
	if err != nil {
		return fmt.Errorf("demo: looking for existing facilities: %w", err)
	}
	if others > 0 {
		return cqerr.Ef(cqerr.Conflict, "this database already holds %d facilities of its own: the demo (whose accounts have published passwords) loads only into an empty database", others)
	}
	for _, s := range []struct {
		name string
		run  func(context.Context) (string, error)
	}{
		{"facility", l.createFacility},
		{"departments", l.createDepartments},
		{"queues", l.createQueues},
		{"service points", l.createServicePoints},
		{"staff", l.createStaff},
		{"appointments", l.bookAppointments},
		{"past days", l.pastDays},
		{"this morning", l.planMorning},
		{"check-ins", l.checkIn},
		{"history", l.serve},
	} {
		progress, err := s.run(ctx)
		if err != nil {
			return fmt.Errorf("demo %s: %w", s.name, err)
		}
		fmt.Fprintf(out, "%s %s\n", s.name, progress)
	}
	l.printLogins()
	return nil
}

// loader carries what one Load has created so far.
type loader struct {
	out    io.Writer
	db     *store.DB
	client *ent.Client
	sess   *session.Service
	adm    *admin.Service
	q      *queue.Service

	facility    *ent.Facility
	staff       map[string]*ent.User // by e-mail
	departments map[string]*ent.Department
	queues      map[string]*ent.Queue
	points      map[string]*ent.ServicePoint
	patients    map[int]*ent.Patient // registered ahead of check-in, by index in patients
	bookings    map[int]*ent.Appointment

	// morning is q on the clock at (this morning's moments); arrivals and steps are its plan.
	morning  *queue.Service
	at       time.Time
	arrivals []time.Time
	steps    []morningStep
}

// planMorning places this morning's check-ins and history on the clock (morningPlan), ending now.
func (l *loader) planMorning(context.Context) (string, error) {
	loc, err := queue.LoadLocation(FacilityTimezone)
	if err != nil {
		return "", err
	}
	now := time.Now().In(loc)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	l.arrivals, l.steps = morningPlan(now, midnight, len(patients), rand.New(rand.NewPCG(13, 1)))
	return fmt.Sprintf("from %s to %s", l.arrivals[0].Format("15:04"), now.Format("15:04")), nil
}

// as is ctx acting as the demo account with the given e-mail.
func (l *loader) as(ctx context.Context, email string) context.Context {
	u := l.staff[email]
	return auth.NewContext(ctx, auth.Viewer{UserID: u.ID, Role: auth.Role(u.Role), FacilityID: u.FacilityID})
}

// count is a progress figure: "3/3".
func count(done, of int) string { return fmt.Sprintf("%d/%d", done, of) }

func (l *loader) printLogins() {
	fmt.Fprintf(l.out, "\nDemo hospital ready: %s (%d patients in %d queues).\n", FacilityName, OpenTickets, Queues)
	fmt.Fprintf(l.out, "Sign in with password %q as:\n", DemoPassword)
	for _, s := range staff {
		fmt.Fprintf(l.out, "  %-30s %s\n", s.email, s.role)
	}
	fmt.Fprintf(l.out, "Patient app: sign in with a code sent to %s (appointment %s today).\n", KioskPhone, KioskAppointmentRef)
}
