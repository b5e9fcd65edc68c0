package analytics

import (
	"math"
	"time"

	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

// MaxRangeDays bounds a date range: a year and a day, so a leap year's same-day-last-year fits.
const MaxRangeDays = 366

// Row is one day's figures for a queue or, with QueueID nil, a department's total: a stored daily
// report, or today's figures so far (Live).
type Row struct {
	Day          string
	DepartmentID pulid.ID
	QueueID      *pulid.ID
	QueueName    *string
	Live         bool

	Arrivals, Served, NoShows, Cancellations                int
	MedianWaitSeconds, P90WaitSeconds, MedianServiceSeconds *int
	WithinTarget                                            []LevelShare
}

// LevelShare is one triage level's share (0 to 1) of called patients called within its target.
type LevelShare struct {
	Level enum.TriageLevel
	Share float64
}

// NewRow turns figures into a row; shares are listed most urgent level first.
func NewRow(day string, departmentID pulid.ID, q *pulid.ID, name *string, live bool, f Figures) *Row {
	shares := map[string]float64{}
	for l, s := range f.WithinTarget {
		shares[string(l)] = s
	}
	return &Row{
		Day: day, DepartmentID: departmentID, QueueID: q, QueueName: name, Live: live,
		Arrivals: f.Arrivals, Served: f.Served, NoShows: f.NoShows, Cancellations: f.Cancellations,
		MedianWaitSeconds:    seconds(f.MedianWait),
		P90WaitSeconds:       seconds(f.P90Wait),
		MedianServiceSeconds: seconds(f.MedianService),
		WithinTarget:         Shares(shares),
	}
}

// Shares orders a level→share map (as stored in DailyReport.within_target) most urgent level first,
// leaving out names that are not levels.
func Shares(m map[string]float64) []LevelShare {
	out := []LevelShare{}
	for _, l := range queue.Levels() {
		if s, ok := m[string(l)]; ok {
			out = append(out, LevelShare{Level: enum.TriageLevel(l), Share: s})
		}
	}
	return out
}

// ShareMap is the stored form of shares.
func ShareMap(shares []LevelShare) map[string]float64 {
	m := make(map[string]float64, len(shares))
	for _, s := range shares {
		m[string(s.Level)] = s.Share
	}
	return m
}

func seconds(d *time.Duration) *int {
	if d == nil {
		return nil
	}
	s := int(math.Round(d.Seconds()))
	return &s
}

// Days returns the days from..to (inclusive, YYYY-MM-DD), at most MaxRangeDays of them.
// Errors: BAD_USER_INPUT naming the field at fault.
func Days(from, to string) ([]string, error) {
	f, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, cqerr.Ef(cqerr.BadUserInput, "from must be a date such as 2026-11-25").WithField("from")
	}
	t, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return nil, cqerr.Ef(cqerr.BadUserInput, "to must be a date such as 2026-11-25").WithField("to")
	}
	if t.Before(f) {
		return nil, cqerr.E(cqerr.BadUserInput, "to must not be before from").WithField("to")
	}
	// Calendar days, counted in UTC where every day has 24 hours.
	n := int(t.Sub(f)/(24*time.Hour)) + 1
	if n > MaxRangeDays {
		return nil, cqerr.Ef(cqerr.BadUserInput, "a range covers at most %d days", MaxRangeDays).WithField("to")
	}
	days := make([]string, 0, n)
	for d := f; !d.After(t); d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format(time.DateOnly))
	}
	return days, nil
}
