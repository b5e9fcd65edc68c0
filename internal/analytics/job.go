package analytics

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/dailyreport"
	"github.com/carequeue/carequeue/ent/department"
	"github.com/carequeue/carequeue/ent/facility"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// Queue is the River queue of report jobs, apart from notifications so a report never delays a message.
const Queue = "reports"

// SweepEvery is how often the sweep runs: each facility's day is reported within this long after its
// local midnight, whatever its time zone.
const SweepEvery = 15 * time.Minute

// LookBack is how many closed days each sweep checks. A ticket of a closed day can still change (a
// patient who checked in at 23:50 is seen at 00:30), and a facility's time zone can move its midnight by
// up to 26 hours; three days cover both.
const LookBack = 3

// SweepArgs is the periodic job that keeps every facility's daily reports up to date.
type SweepArgs struct{}

// Kind is stored in river_job.kind: never rename it.
func (SweepArgs) Kind() string { return "analytics_sweep" }

// InsertOpts: one sweep per period even with several leaders in a row, few attempts (the next sweep
// comes soon anyway).
func (SweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: SweepEvery}}
}

// PeriodicJob schedules the sweep every SweepEvery, and once at start.
func PeriodicJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(SweepEvery), func() (river.JobArgs, *river.InsertOpts) {
		return SweepArgs{}, nil
	}, &river.PeriodicJobOpts{RunOnStart: true})
}

// SweepWorker recomputes each facility's closed days whose reports are missing or older than their
// tickets' last change: after local midnight a day gets its reports, and a late change to one of its
// tickets replaces them.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	db  *store.DB
	now func() time.Time
}

// NewSweepWorker returns the worker; now is the clock (time.Now outside tests).
func NewSweepWorker(db *store.DB, now func() time.Time) *SweepWorker {
	return &SweepWorker{db: db, now: now}
}

// Work runs one sweep.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	_, err := Sweep(auth.SystemContext(ctx), w.db, w.now())
	return err
}

// Sweep stores the reports of every active facility's last LookBack closed days that need them, each
// day in its own transaction, and returns the days it stored ("facility/day"). ctx must allow reading
// and writing every facility's reports (auth.SystemContext).
func Sweep(ctx context.Context, db *store.DB, now time.Time) ([]string, error) {
	c := db.Ent
	fs, err := c.Facility.Query().Where(facility.Active(true)).Order(ent.Asc(facility.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading facilities: %w", err)
	}
	var done []string
	for _, f := range fs {
		loc, err := queue.LoadLocation(f.Timezone)
		if err != nil {
			return done, err
		}
		depts, err := c.Department.Query().Where(department.FacilityID(f.ID)).IDs(ctx)
		if err != nil {
			return done, fmt.Errorf("reading departments: %w", err)
		}
		if len(depts) == 0 {
			continue
		}
		today, _ := time.Parse(time.DateOnly, queue.ServiceDay(now, loc))
		for i := LookBack; i >= 1; i-- {
			day := today.AddDate(0, 0, -i).Format(time.DateOnly)
			due, err := outdated(ctx, c, depts, day)
			if err != nil {
				return done, err
			}
			if !due {
				continue
			}
			err = db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
				_, err := storeDay(ctx, tx.Client, f.ID, day)
				return err
			})
			if err != nil {
				return done, err
			}
			done = append(done, string(f.ID)+"/"+day)
		}
	}
	return done, nil
}

// outdated reports whether a facility's day (its departments depts) has no reports yet, or a ticket of
// that day changed after they were written.
func outdated(ctx context.Context, c *ent.Client, depts []pulid.ID, day string) (bool, error) {
	ids := make([]string, len(depts))
	for i, d := range depts {
		ids[i] = string(d)
	}
	oldest, err := c.DailyReport.Query().Where(dailyreport.Day(day), dailyreport.DepartmentIDIn(ids...)).
		Order(ent.Asc(dailyreport.FieldUpdatedAt)).First(ctx)
	if ent.IsNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading reports of %s: %w", day, err)
	}
	return c.Ticket.Query().Where(ticket.ServiceDay(day), ticket.UpdatedAtGT(oldest.UpdatedAt),
		ticket.HasQueueWith(entqueue.DepartmentIDIn(depts...))).Exist(ctx)
}
