package queue_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// fixture is a small hospital: one facility, one department with a TRIAGE queue and a FIFO queue,
// two service points, and a viewer for each staff role.
type fixture struct {
	db        *store.DB
	client    *ent.Client
	svc       *queue.Service
	events    *eventLog
	facility  *ent.Facility
	dept      *ent.Department
	triage    *ent.Queue
	fifo      *ent.Queue
	room1     *ent.ServicePoint
	room2     *ent.ServicePoint
	clinician context.Context
	reception context.Context
	admin     context.Context
	clock     *clock
}

// clock returns a strictly increasing time on each call: workflows read it under the queue lock, so
// stamps reveal commit order.
type clock struct {
	base time.Time
	n    atomic.Int64
}

func (c *clock) now() time.Time { return c.base.Add(time.Duration(c.n.Add(1)) * time.Millisecond) }

// advance moves the clock on by d.
func (c *clock) advance(d time.Duration) { c.n.Add(int64(d / time.Millisecond)) }

type eventLog struct {
	n        atomic.Int64
	versions chan queue.Event
}

func (l *eventLog) Publish(_ context.Context, e queue.Event) {
	l.n.Add(1)
	select {
	case l.versions <- e:
	default:
	}
}

func newFixture(t *testing.T, d store.Dialect) *fixture {
	t.Helper()
	db := storetest.NewMigratedDB(t, d, migrations.FS)
	f := &fixture{db: db, client: db.Client(), events: &eventLog{versions: make(chan queue.Event, 4096)},
		clock: &clock{base: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}}
	f.svc = queue.NewService(db, f.client, queue.Options{Publisher: f.events, Now: f.clock.now})
	sys := auth.SystemContext(context.Background())
	c := f.client
	f.facility = c.Facility.Create().SetName("General").SetTimezone("Europe/London").SaveX(sys)
	f.dept = c.Department.Create().SetName("Emergency").SetFacilityID(f.facility.ID).SaveX(sys)
	f.triage = c.Queue.Create().SetName("Triage").SetPrefix("E").SetOrdering("TRIAGE").SetDepartmentID(f.dept.ID).SaveX(sys)
	f.fifo = c.Queue.Create().SetName("Lab").SetPrefix("L").SetOrdering("FIFO").SetDepartmentID(f.dept.ID).SaveX(sys)
	f.room1 = c.ServicePoint.Create().SetName("Room 1").SetDepartmentID(f.dept.ID).AddQueueIDs(f.triage.ID, f.fifo.ID).SaveX(sys)
	f.room2 = c.ServicePoint.Create().SetName("Room 2").SetDepartmentID(f.dept.ID).AddQueueIDs(f.fifo.ID).SaveX(sys)
	staff := func(role user.Role) context.Context {
		u := c.User.Create().SetName(string(role)).SetEmail(string(role) + "@test").SetRole(role).SetFacilityID(f.facility.ID).SaveX(sys)
		return auth.NewContext(context.Background(), auth.Viewer{UserID: u.ID, Role: auth.Role(role), FacilityID: f.facility.ID})
	}
	f.clinician = staff(user.RoleCLINICIAN)
	f.reception = staff(user.RoleRECEPTIONIST)
	f.admin = staff(user.RoleADMIN)
	return f
}

func (f *fixture) patient(t *testing.T, name string) *ent.Patient {
	t.Helper()
	return f.client.Patient.Create().SetGivenName(name).SetFamilyName("Test").SetFacilityID(f.facility.ID).
		SaveX(auth.SystemContext(context.Background()))
}

func (f *fixture) checkIn(t *testing.T, q *ent.Queue, level string) *ent.Ticket {
	t.Helper()
	p := f.patient(t, "P")
	lv := ticketLevel(level)
	tk, err := f.svc.CheckIn(f.reception, queue.NoKey, queue.CheckInInput{QueueID: q.ID, PatientID: &p.ID, TriageLevel: &lv})
	require.NoError(t, err)
	return tk
}

// clearWaiting cancels every waiting ticket of q, so that a test knows who callNext calls.
func (f *fixture) clearWaiting(t *testing.T, q *ent.Queue) {
	t.Helper()
	for _, w := range f.client.Ticket.Query().Where(ticket.QueueID(q.ID), ticket.StatusEQ(ticket.StatusWAITING)).AllX(auth.SystemContext(context.Background())) {
		_, err := f.svc.CancelTicket(f.reception, queue.NoKey, w.ID, "clearing the line")
		require.NoError(t, err)
	}
}

func (f *fixture) version(t *testing.T, q *ent.Queue) int64 {
	t.Helper()
	return f.client.Queue.GetX(auth.SystemContext(context.Background()), q.ID).Version
}

func forEachDialect(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, d)
		})
	}
}

func ticketLevel(s string) ticket.TriageLevel { return ticket.TriageLevel(s) }
