package queue_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
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
	f := &fixture{db: db, client: db.Ent, events: &eventLog{versions: make(chan queue.Event, 4096)},
		clock: &clock{base: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}}
	f.svc = queue.NewService(db, queue.Options{Publisher: f.events, Now: f.clock.now})
	ctx, c := context.Background(), f.client
	h := testfactory.SmallHospital(ctx, t, c, &testfactory.HospitalOpts{
		Facility:   testfactory.FacilityOpts{Name: "General", Timezone: "Europe/London"},
		Department: testfactory.DepartmentOpts{Name: "Emergency"},
		Queue:      testfactory.QueueOpts{Name: "Triage", Prefix: "E", Ordering: entqueue.OrderingTRIAGE},
	})
	f.facility, f.dept, f.triage = h.Facility, h.Department, h.Queue
	f.fifo = testfactory.Queue(ctx, t, c, &testfactory.QueueOpts{DepartmentID: f.dept.ID, Name: "Lab", Prefix: "L", Ordering: entqueue.OrderingFIFO})
	f.room1 = testfactory.ServicePoint(ctx, t, c, &testfactory.ServicePointOpts{Name: "Room 1", QueueIDs: []pulid.ID{f.triage.ID, f.fifo.ID}})
	f.room2 = testfactory.ServicePoint(ctx, t, c, &testfactory.ServicePointOpts{Name: "Room 2", QueueIDs: []pulid.ID{f.fifo.ID}})
	f.clinician = testfactory.As(ctx, h.Clinician)
	f.reception = testfactory.As(ctx, h.Receptionist)
	f.admin = testfactory.As(ctx, h.Admin)
	return f
}

func (f *fixture) patient(t *testing.T, name string) *ent.Patient {
	t.Helper()
	return testfactory.Patient(context.Background(), t, f.client, &testfactory.PatientOpts{FacilityID: f.facility.ID, GivenName: name})
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

func ticketLevel(s string) enum.TriageLevel { return enum.TriageLevel(s) }
