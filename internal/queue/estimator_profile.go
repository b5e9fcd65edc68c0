package queue

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/carequeue/carequeue/ent"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// MaxHistoryDays is the longest history Demand reads.
const MaxHistoryDays = 366

// Demand is what a queue's recent history says about who comes when and how long they take: what a
// replay of the queue needs (carequeue simulate --queue).
type Demand struct {
	QueueName string
	Policy    Policy
	// Escalation is the queue's TRIAGE_DEADLINE_AWARE escalation multiple.
	Escalation float64
	Targets    Targets
	// Days is how many days the history covers: those asked for, or fewer for a younger queue.
	Days float64
	// PerHour is the mean number of check-ins in each hour of the facility's day; Mix the number of
	// check-ins of each level, most urgent first.
	PerHour [24]float64
	Mix     [5]float64
	// Service is the cleaned service times of the period (the most recent ServiceSamples), as the
	// estimator learns them.
	Service ServiceTimes
	// OpenPoints is how many service points serving the queue are open now.
	OpenPoints int
}

// Arrivals is the number of check-ins in the history.
func (d *Demand) Arrivals() int {
	var n float64
	for _, m := range d.Mix {
		n += m
	}
	return int(n)
}

// Demand reads the last days of queue queueID's history, as the viewer (a queue they may not see is
// NOT_FOUND), in three statements. Errors: NOT_FOUND, BAD_USER_INPUT (days out of 1 to
// MaxHistoryDays).
func (s *Service) Demand(ctx context.Context, queueID pulid.ID, days int) (*Demand, error) {
	if days < 1 || days > MaxHistoryDays {
		return nil, cqerr.Ef(cqerr.BadUserInput, "the history must be from 1 to %d days (got %d)", MaxHistoryDays, days).WithField("days")
	}
	q, err := s.client.Queue.Query().Where(entqueue.ID(queueID)).
		WithDepartment(func(dq *ent.DepartmentQuery) { dq.WithFacility() }).Only(ctx)
	if err != nil {
		return nil, notFound(err, "queue")
	}
	loc := time.UTC
	if d := q.Edges.Department; d != nil && d.Edges.Facility != nil {
		if l, err := LoadLocation(d.Edges.Facility.Timezone); err == nil {
			loc = l
		}
	}
	now := s.now()
	from := now.Add(-time.Duration(days) * 24 * time.Hour)
	if q.CreatedAt.After(from) && q.CreatedAt.Before(now) { // a creation time after now: clocks out of step
		from = q.CreatedAt
	}
	d := &Demand{QueueName: q.Name, Policy: Policy(q.Ordering), Escalation: float64(q.EscalationPercent) / 100,
		Targets: TargetsOf(q), Days: math.Max(now.Sub(from).Hours()/24, 0)}
	sys := auth.SystemContext(ctx)
	ts, err := s.client.Ticket.Query().
		Where(ticket.QueueID(q.ID), ticket.ServiceDayGTE(ServiceDay(from.Add(-24*time.Hour), time.UTC)), ticket.CheckedInAtGTE(from)).
		Order(ent.Desc(ticket.FieldCheckedInAt)).
		Limit(historyLimit*10).
		Select(ticket.FieldStatus, ticket.FieldTriageLevel, ticket.FieldCheckedInAt, ticket.FieldCalledAt, ticket.FieldEndedAt).
		All(sys)
	if err != nil {
		return nil, fmt.Errorf("reading the queue's history: %w", err)
	}
	var recent []Occupancy
	for _, t := range ts { // newest check-ins first: close enough to newest services first
		d.PerHour[t.CheckedInAt.In(loc).Hour()]++
		d.Mix[Level(t.TriageLevel).Rank()]++
		if t.CalledAt != nil && t.EndedAt != nil &&
			(t.Status == ticket.StatusCOMPLETED || t.Status == ticket.StatusNO_SHOW || t.Status == ticket.StatusTRANSFERRED) {
			recent = append(recent, Occupancy{Level: Level(t.TriageLevel), Took: t.EndedAt.Sub(*t.CalledAt)})
		}
	}
	if d.Days > 0 {
		for h := range d.PerHour {
			d.PerHour[h] /= d.Days
		}
	}
	d.Service = LearnServiceTimes(recent)
	if d.OpenPoints, err = s.openPoints(sys, q.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// LevelMean is the mean of the kept service times of level l, or of every level when l has fewer than
// minLevelSamples; false with none at all.
func (st ServiceTimes) LevelMean(l Level) (time.Duration, bool) {
	ds := st.byLevel[l.Rank()]
	if len(ds) < minLevelSamples {
		ds = st.all
	}
	if len(ds) == 0 {
		return 0, false
	}
	var sum float64
	for _, d := range ds {
		sum += float64(d)
	}
	return time.Duration(sum / float64(len(ds))), true
}

// CV is the coefficient of variation of the kept service times (0 with fewer than two).
func (st ServiceTimes) CV() float64 {
	n := len(st.all)
	if n < 2 || st.mean <= 0 {
		return 0
	}
	var ss float64
	for _, d := range st.all {
		x := float64(d - st.mean)
		ss += x * x
	}
	return math.Sqrt(ss/float64(n-1)) / float64(st.mean)
}
