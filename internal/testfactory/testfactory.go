// Package testfactory inserts CareQueue's records directly into a test database: facilities,
// departments, queues, service points, staff and patient accounts, patients, appointments and tickets,
// each with sensible defaults that an options struct overrides, and SmallHospital, the facility,
// department, queue, room and staff most tests start from. Every write bypasses the privacy rules
// (auth.SystemContext), so a fixture never depends on who the test acts as; names, emails, phones and
// prefixes come from a process-wide counter, so several calls in one test never collide. A missing
// parent is created too: Ticket with no queue builds the queue, its department and its facility.
//
// Only tests import it. It fails the test (require) rather than returning errors.
package testfactory

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
)

var seq atomic.Int64

// next returns a number no other call in this process has had.
func next() int { return int(seq.Add(1)) }

// Phone returns an E.164 mobile number no other call in this process has returned, in 07700 0xxxxx: a
// range libphonenumber takes as UK mobiles (07700 9xxxxx outside 900xxx is not, and the server now checks).
func Phone() string { return fmt.Sprintf("+4477000%05d", next()%100000) }

// prefix returns a ticket prefix of one to three capital letters for n (1 A, 26 Z, 27 AA, ...).
func prefix(n int) string {
	n = (n-1)%(26+26*26+26*26*26) + 1
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// or is v, or def when v is the zero value.
func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// save saves c as the system (bypassing the privacy rules), failing the test on an error.
func save[T any](ctx context.Context, tb testing.TB, what string, c interface {
	Save(context.Context) (T, error)
}) T {
	tb.Helper()
	v, err := c.Save(auth.SystemContext(ctx))
	require.NoError(tb, err, "testfactory: %s", what)
	return v
}

// orNew is opts, or zero options when it is nil.
func orNew[T any](opts *T) *T {
	if opts == nil {
		return new(T)
	}
	return opts
}

// facilityOr is id, or a new Facility's when it is empty.
func facilityOr(ctx context.Context, tb testing.TB, client *ent.Client, id pulid.ID) pulid.ID {
	tb.Helper()
	if id == "" {
		id = Facility(ctx, tb, client, nil).ID
	}
	return id
}

// departmentOr is id, or a new Department's when it is empty.
func departmentOr(ctx context.Context, tb testing.TB, client *ent.Client, id pulid.ID) pulid.ID {
	tb.Helper()
	if id == "" {
		id = Department(ctx, tb, client, nil).ID
	}
	return id
}

// set is &v, or nil when v is the zero value: for ent's SetNillable setters, so an unset option keeps
// the schema's default.
func set[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// FacilityOpts override Facility's defaults; the zero value keeps them.
type FacilityOpts struct {
	Name     string // default "Facility N"
	Timezone string // default UTC
	Language string // default en
	Locale   string // default en-GB
}

// Facility inserts a facility.
func Facility(ctx context.Context, tb testing.TB, client *ent.Client, opts *FacilityOpts) *ent.Facility {
	tb.Helper()
	opts = orNew(opts)
	return save(ctx, tb, "facility", client.Facility.Create().
		SetName(or(opts.Name, fmt.Sprintf("Facility %d", next()))).
		SetNillableTimezone(set(opts.Timezone)).
		SetNillableLanguage(set(opts.Language)).
		SetNillableLocale(set(opts.Locale)))
}

// DepartmentOpts override Department's defaults.
type DepartmentOpts struct {
	FacilityID pulid.ID // default: a new Facility
	Name       string   // default "Department N"
}

// Department inserts a department.
func Department(ctx context.Context, tb testing.TB, client *ent.Client, opts *DepartmentOpts) *ent.Department {
	tb.Helper()
	opts = orNew(opts)
	facilityID := facilityOr(ctx, tb, client, opts.FacilityID)
	return save(ctx, tb, "department", client.Department.Create().
		SetName(or(opts.Name, fmt.Sprintf("Department %d", next()))).
		SetFacilityID(facilityID))
}

// QueueOpts override Queue's defaults. Targets keep the schema's defaults (0, 10, 60, 120, 240 min).
type QueueOpts struct {
	DepartmentID pulid.ID       // default: a new Department
	Name         string         // default "Queue N"
	Prefix       string         // default one to three letters from the counter
	Ordering     queue.Ordering // default TRIAGE
	NotifyAhead  *int           // default 3
	SelfCheckIn  bool
}

// Queue inserts a queue.
func Queue(ctx context.Context, tb testing.TB, client *ent.Client, opts *QueueOpts) *ent.Queue {
	tb.Helper()
	opts = orNew(opts)
	departmentID := departmentOr(ctx, tb, client, opts.DepartmentID)
	n := next()
	return save(ctx, tb, "queue", client.Queue.Create().
		SetName(or(opts.Name, fmt.Sprintf("Queue %d", n))).
		SetPrefix(or(opts.Prefix, prefix(n))).
		SetOrdering(or(opts.Ordering, queue.DefaultOrdering)).
		SetSelfCheckIn(opts.SelfCheckIn).
		SetNillableNotifyAhead(opts.NotifyAhead).
		SetDepartmentID(departmentID))
}

// ServicePointOpts override ServicePoint's defaults.
type ServicePointOpts struct {
	// DepartmentID defaults to the first queue's department, or a new Department.
	DepartmentID pulid.ID
	Name         string     // default "Room N"
	QueueIDs     []pulid.ID // the queues it serves; default none
	Closed       bool       // not staffed now (default open)
}

// ServicePoint inserts a service point (a room, bay or counter).
func ServicePoint(ctx context.Context, tb testing.TB, client *ent.Client, opts *ServicePointOpts) *ent.ServicePoint {
	tb.Helper()
	opts = orNew(opts)
	sys := auth.SystemContext(ctx)
	departmentID := opts.DepartmentID
	if departmentID == "" && len(opts.QueueIDs) > 0 {
		q, err := client.Queue.Get(sys, opts.QueueIDs[0])
		require.NoError(tb, err, "testfactory: service point's queue")
		departmentID = q.DepartmentID
	}
	departmentID = departmentOr(ctx, tb, client, departmentID)
	return save(ctx, tb, "service point", client.ServicePoint.Create().
		SetName(or(opts.Name, fmt.Sprintf("Room %d", next()))).
		SetOpen(!opts.Closed).
		SetDepartmentID(departmentID).
		AddQueueIDs(opts.QueueIDs...))
}

// UserOpts override User's defaults.
type UserOpts struct {
	Role user.Role // default CLINICIAN
	// FacilityID is the staff member's facility; empty makes a global account (a global admin, or a
	// patient's account, which has none).
	FacilityID pulid.ID
	Name       string // default "<Role> N", e.g. "Clinician 7"
	// Email defaults to a unique address for every role but PATIENT (patients sign in by phone).
	Email        string
	Phone        string // default none
	PasswordHash string // default none: the account cannot sign in with a password
	Inactive     bool
}

// User inserts an account: staff with a role, an integration or kiosk account, or a patient's account.
func User(ctx context.Context, tb testing.TB, client *ent.Client, opts *UserOpts) *ent.User {
	tb.Helper()
	opts = orNew(opts)
	role := or(opts.Role, user.RoleCLINICIAN)
	n := next()
	word := strings.ToLower(string(role))
	email := opts.Email
	if email == "" && role != user.RolePATIENT {
		email = fmt.Sprintf("%s-%d@test.carequeue.org", word, n)
	}
	return save(ctx, tb, "user", client.User.Create().
		SetRole(role).
		SetName(or(opts.Name, fmt.Sprintf("%s%s %d", strings.ToUpper(word[:1]), word[1:], n))).
		SetActive(!opts.Inactive).
		SetNillableEmail(set(email)).
		SetNillableFacilityID(set(opts.FacilityID)).
		SetNillablePhone(set(opts.Phone)).
		SetNillablePasswordHash(set(opts.PasswordHash)))
}

// Viewer is u as the privacy rules see it.
func Viewer(u *ent.User) auth.Viewer {
	return auth.Viewer{UserID: u.ID, Role: auth.Role(u.Role), FacilityID: u.FacilityID}
}

// As returns ctx acting as u.
func As(ctx context.Context, u *ent.User) context.Context {
	return auth.NewContext(ctx, Viewer(u))
}

// PatientOpts override Patient's defaults.
type PatientOpts struct {
	FacilityID  pulid.ID // default: a new Facility
	GivenName   string   // default "Pat"
	FamilyName  string   // default "Test N"
	MRN         string   // default none
	Phone       string   // default none (no SMS); Phone() gives a unique one
	Language    string   // default en
	DateOfBirth *time.Time
	AccountID   pulid.ID // the patient's own account (a PATIENT User); default none
	NoSMS       bool     // opted out of SMS
}

// Patient inserts a patient record.
func Patient(ctx context.Context, tb testing.TB, client *ent.Client, opts *PatientOpts) *ent.Patient {
	tb.Helper()
	opts = orNew(opts)
	facilityID := facilityOr(ctx, tb, client, opts.FacilityID)
	return save(ctx, tb, "patient", client.Patient.Create().
		SetFacilityID(facilityID).
		SetGivenName(or(opts.GivenName, "Pat")).
		SetFamilyName(or(opts.FamilyName, fmt.Sprintf("Test %d", next()))).
		SetSmsOptIn(!opts.NoSMS).
		SetNillableDateOfBirth(opts.DateOfBirth).
		SetNillableMrn(set(opts.MRN)).
		SetNillablePhone(set(opts.Phone)).
		SetNillableLanguage(set(opts.Language)).
		SetNillableAccountID(set(opts.AccountID)))
}
