package analytics

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/dailyreport"
	"github.com/carequeue/carequeue/ent/department"
	"github.com/carequeue/carequeue/ent/facility"
	"github.com/carequeue/carequeue/ent/predicate"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/ent/ticketevent"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// Service reads the figures and stores the daily reports. Who may read or recompute them is decided by
// DailyReport's privacy policy (admins of the facility); every read goes through it first.
type Service struct {
	db  *store.DB
	now func() time.Time
}

// NewService returns a Service on db (it reads through db.Ent); now is the clock (time.Now outside
// tests).
func NewService(db *store.DB, now func() time.Time) *Service {
	return &Service{db: db, now: now}
}

// Figures returns a department's rows from..to (inclusive): stored reports for past days, today's
// computed live when in range; by day, the department's total first, then queues by name.
// Errors: BAD_USER_INPUT for a bad range, NOT_FOUND for a department the viewer cannot see, FORBIDDEN
// for a viewer who is not an admin.
func (s *Service) Figures(ctx context.Context, departmentID pulid.ID, from, to string) ([]*Row, error) {
	days, err := Days(from, to)
	if err != nil {
		return nil, err
	}
	d, loc, err := s.department(ctx, departmentID)
	if err != nil {
		return nil, err
	}
	today := queue.ServiceDay(s.now(), loc)
	stored, err := s.db.Ent.DailyReport.Query().
		Where(dailyreport.DepartmentID(string(d.ID)), dailyreport.DayGTE(from), dailyreport.DayLTE(to), dailyreport.DayLT(today)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading daily reports: %w", err)
	}
	names := queueNames(d)
	rows := make([]*Row, 0, len(stored))
	for _, r := range stored {
		rows = append(rows, fromReport(r, names))
	}
	if slices.Contains(days, today) {
		live, err := compute(ctx, s.db.Ent, []*ent.Department{d}, today, true)
		if err != nil {
			return nil, err
		}
		rows = append(rows, live...)
	}
	sortRows(rows)
	return rows, nil
}

// Today returns a department's figures so far today. Errors as Figures.
func (s *Service) Today(ctx context.Context, departmentID pulid.ID) ([]*Row, error) {
	d, loc, err := s.department(ctx, departmentID)
	if err != nil {
		return nil, err
	}
	if err := s.gate(ctx); err != nil {
		return nil, err
	}
	rows, err := compute(ctx, s.db.Ent, []*ent.Department{d}, queue.ServiceDay(s.now(), loc), true)
	if err != nil {
		return nil, err
	}
	sortRows(rows)
	return rows, nil
}

// Recompute stores the reports of a facility's closed days from..to again, replacing what was there,
// with one audit entry, and returns how many reports it wrote. Errors: BAD_USER_INPUT for a bad range or
// a day that is not over yet, NOT_FOUND for a facility the viewer cannot see, FORBIDDEN for non-admins.
func (s *Service) Recompute(ctx context.Context, facilityID pulid.ID, from, to string) (int, error) {
	days, err := Days(from, to)
	if err != nil {
		return 0, err
	}
	if err := s.gate(ctx); err != nil {
		return 0, err
	}
	f, err := s.db.Ent.Facility.Query().Where(facility.ID(facilityID)).Only(ctx)
	if ent.IsNotFound(err) {
		return 0, cqerr.E(cqerr.NotFound, "facility not found")
	}
	if err != nil {
		return 0, fmt.Errorf("reading facility: %w", err)
	}
	loc, err := queue.LoadLocation(f.Timezone)
	if err != nil {
		return 0, err
	}
	if today := queue.ServiceDay(s.now(), loc); days[len(days)-1] >= today {
		return 0, cqerr.Ef(cqerr.BadUserInput, "%s is not over yet in the facility's time zone: today's figures are live (todayFigures)", today).WithField("to")
	}
	n := 0
	err = s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		for _, day := range days {
			written, err := storeDay(ctx, tx.Client, f.ID, day)
			if err != nil {
				return err
			}
			n += written
		}
		return audit.Record(ctx, tx.Client, audit.Entry{Action: "reports.recompute", EntityType: "Facility",
			EntityID: string(f.ID), FacilityID: string(f.ID),
			After: map[string]any{"from": from, "to": to, "reports": n}})
	})
	return n, err
}

// gate fails unless the viewer may read daily reports: live figures and recomputing follow the same
// policy as the stored reports.
func (s *Service) gate(ctx context.Context) error {
	if _, err := s.db.Ent.DailyReport.Query().Limit(1).IDs(ctx); err != nil {
		return fmt.Errorf("checking report access: %w", err)
	}
	return nil
}

// storeDay replaces one day's reports of a facility's departments and their queues.
func storeDay(ctx context.Context, c *ent.Client, facilityID pulid.ID, day string) (int, error) {
	depts, err := departments(ctx, c, department.FacilityID(facilityID))
	if err != nil || len(depts) == 0 {
		return 0, err
	}
	rows, err := compute(ctx, c, depts, day, false)
	if err != nil {
		return 0, err
	}
	ids := make([]string, len(depts))
	for i, d := range depts {
		ids[i] = string(d.ID)
	}
	if _, err := c.DailyReport.Delete().Where(dailyreport.Day(day), dailyreport.DepartmentIDIn(ids...)).Exec(ctx); err != nil {
		return 0, fmt.Errorf("replacing the reports of %s: %w", day, err)
	}
	creates := make([]*ent.DailyReportCreate, len(rows))
	for i, r := range rows {
		q := ""
		if r.QueueID != nil {
			q = string(*r.QueueID)
		}
		creates[i] = c.DailyReport.Create().SetDay(day).SetDepartmentID(string(r.DepartmentID)).SetQueueID(q).
			SetArrivals(r.Arrivals).SetServed(r.Served).SetNoShows(r.NoShows).SetCancellations(r.Cancellations).
			SetNillableMedianWaitSeconds(r.MedianWaitSeconds).SetNillableP90WaitSeconds(r.P90WaitSeconds).
			SetNillableMedianServiceSeconds(r.MedianServiceSeconds).SetWithinTarget(ShareMap(r.WithinTarget))
	}
	if err := c.DailyReport.CreateBulk(creates...).Exec(ctx); err != nil {
		return 0, fmt.Errorf("storing the reports of %s: %w", day, err)
	}
	return len(rows), nil
}

// department reads a department, with its queues and its facility's time zone, as the viewer.
func (s *Service) department(ctx context.Context, id pulid.ID) (*ent.Department, *time.Location, error) {
	ds, err := departments(ctx, s.db.Ent, department.ID(id))
	if err != nil {
		return nil, nil, err
	}
	if len(ds) == 0 {
		return nil, nil, cqerr.E(cqerr.NotFound, "department not found")
	}
	loc, err := queue.LoadLocation(ds[0].Edges.Facility.Timezone)
	if err != nil {
		return nil, nil, err
	}
	return ds[0], loc, nil
}

func departments(ctx context.Context, c *ent.Client, where ...predicate.Department) ([]*ent.Department, error) {
	ds, err := c.Department.Query().Where(where...).
		WithQueues(func(q *ent.QueueQuery) { q.Order(ent.Asc(entqueue.FieldName), ent.Asc(entqueue.FieldID)) }).
		WithFacility().Order(ent.Asc(department.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading departments: %w", err)
	}
	return ds, nil
}

// compute reads one day's tickets of the departments' queues (a ticket belongs to the facility-local
// day it checked in, its service_day) and returns each department's total and each queue's figures,
// zeros included: a day without patients is a day, not a gap.
func compute(ctx context.Context, c *ent.Client, depts []*ent.Department, day string, live bool) ([]*Row, error) {
	deptOf := map[pulid.ID]pulid.ID{}
	var qids []pulid.ID
	for _, d := range depts {
		for _, q := range d.Edges.Queues {
			deptOf[q.ID] = d.ID
			qids = append(qids, q.ID)
		}
	}
	ts, err := c.Ticket.Query().Where(ticket.ServiceDay(day), ticket.QueueIDIn(qids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the tickets of %s: %w", day, err)
	}
	prevQueue, err := previousQueues(ctx, c, ts)
	if err != nil {
		return nil, err
	}
	atCall, err := levelsAtCall(ctx, c, day, qids)
	if err != nil {
		return nil, err
	}
	targets := map[pulid.ID]queue.Targets{}
	for _, d := range depts {
		for _, q := range d.Edges.Queues {
			targets[q.ID] = queue.TargetsOf(q)
		}
	}
	byQueue := map[pulid.ID][]Ticket{}
	byDept := map[pulid.ID][]Ticket{}
	for _, t := range ts {
		a := Ticket{Level: queue.Level(t.TriageLevel), Status: queue.Status(t.Status), CheckedInAt: t.CheckedInAt,
			TargetAt: t.TargetAt, CalledAt: t.CalledAt, StartedAt: t.StartedAt, EndedAt: t.EndedAt}.
			CountedAt(atCall[t.ID], targets[t.QueueID])
		byQueue[t.QueueID] = append(byQueue[t.QueueID], a)
		d := deptOf[t.QueueID]
		if pq, ok := prevQueue[t.PreviousID]; ok && t.Source == ticket.SourceTRANSFER && deptOf[pq] == d {
			a.Internal = true
		}
		byDept[d] = append(byDept[d], a)
	}
	var rows []*Row
	for _, d := range depts {
		rows = append(rows, NewRow(day, d.ID, nil, nil, live, Compute(byDept[d.ID])))
		for _, q := range d.Edges.Queues {
			id, name := q.ID, q.Name
			rows = append(rows, NewRow(day, d.ID, &id, &name, live, Compute(byQueue[q.ID])))
		}
	}
	return rows, nil
}

// levelsAtCall maps the tickets of day in the queues qids that were called to the triage level they had
// when first called: the level the CALL event recorded (a ticket is called once; RECALL repeats it).
func levelsAtCall(ctx context.Context, c *ent.Client, day string, qids []pulid.ID) (map[pulid.ID]queue.Level, error) {
	es, err := c.TicketEvent.Query().
		Where(ticketevent.ActionEQ(enum.ActionCall), ticketevent.HasTicketWith(ticket.ServiceDay(day), ticket.QueueIDIn(qids...))).
		Order(ent.Asc(ticketevent.FieldAt), ent.Asc(ticketevent.FieldID)).
		Select(ticketevent.FieldTicketID, ticketevent.FieldTriageLevel).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the calls of %s: %w", day, err)
	}
	out := make(map[pulid.ID]queue.Level, len(es))
	for _, e := range es {
		if _, seen := out[e.TicketID]; !seen {
			out[e.TicketID] = queue.Level(e.TriageLevel)
		}
	}
	return out, nil
}

// previousQueues maps the previous tickets of transferred-in tickets to their queues.
func previousQueues(ctx context.Context, c *ent.Client, ts []*ent.Ticket) (map[pulid.ID]pulid.ID, error) {
	var prev []pulid.ID
	for _, t := range ts {
		if t.PreviousID != "" {
			prev = append(prev, t.PreviousID)
		}
	}
	out := map[pulid.ID]pulid.ID{}
	if len(prev) == 0 {
		return out, nil
	}
	ps, err := c.Ticket.Query().Where(ticket.IDIn(prev...)).Select(ticket.FieldID, ticket.FieldQueueID).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading transferred tickets: %w", err)
	}
	for _, p := range ps {
		out[p.ID] = p.QueueID
	}
	return out, nil
}

func queueNames(d *ent.Department) map[string]string {
	m := map[string]string{}
	for _, q := range d.Edges.Queues {
		m[string(q.ID)] = q.Name
	}
	return m
}

func fromReport(r *ent.DailyReport, names map[string]string) *Row {
	row := &Row{Day: r.Day, DepartmentID: pulid.ID(r.DepartmentID), Arrivals: r.Arrivals, Served: r.Served,
		NoShows: r.NoShows, Cancellations: r.Cancellations, MedianWaitSeconds: r.MedianWaitSeconds,
		P90WaitSeconds: r.P90WaitSeconds, MedianServiceSeconds: r.MedianServiceSeconds, WithinTarget: Shares(r.WithinTarget)}
	if r.QueueID != "" {
		id, name := pulid.ID(r.QueueID), cmp.Or(names[r.QueueID], r.QueueID)
		row.QueueID, row.QueueName = &id, &name
	}
	return row
}

// sortRows orders rows by day, the department's total first, then queues by name.
func sortRows(rows []*Row) {
	slices.SortStableFunc(rows, func(a, b *Row) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(string(a.DepartmentID), string(b.DepartmentID)),
			cmp.Compare(name(a), name(b)))
	})
}

// name sorts a department's total ("") before its queues.
func name(r *Row) string {
	if r.QueueName == nil {
		return ""
	}
	return "\x01" + *r.QueueName
}
