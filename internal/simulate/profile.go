// Package simulate replays synthetic emergency-department days through CareQueue's real ordering
// (queue.Order) and wait estimator (queue.Estimator), and measures both: the share of patients called
// within target and the waits per triage level, and how far the estimate each patient was given at
// check-in was from the wait they had, next to the naive formula and the estimator it replaced. It is
// pure (no I/O, seeded randomness), so a run is reproducible from its Profile alone; `carequeue
// simulate` prints its results and docs/BENCHMARKS.md records them.
package simulate

import (
	"fmt"
	"math"
	"time"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

// Profile is a synthetic department: who arrives when, how urgent, how long they take, and how many
// service points serve them.
type Profile struct {
	// Points is the number of service points, open all the time.
	Points int
	// Hours is how long patients keep arriving; WarmUp the first hours, not scored, while the estimator
	// has no history yet. Patients arriving later are still served (their arrivals keep the scored
	// ones' situation realistic), but not scored.
	Hours, WarmUp int
	// Load is the mean offered load: mean arrivals per hour × mean service time ÷ Points. Daily peaks
	// go well above it.
	Load float64
	// Shape is the relative arrival intensity of each hour of the day (scaled to a mean of 1).
	Shape [24]float64
	// Mix is the share of each triage level, most urgent first (scaled to a sum of 1).
	Mix [5]float64
	// Service is the mean time at a service point of each level, most urgent first; CV the spread of
	// the (log-normal) service times, as a coefficient of variation.
	Service [5]time.Duration
	CV      float64
	// Clicks is the share of services recorded as under a minute (call, start and complete clicked
	// together afterwards); Forgotten the share recorded hours too long (complete clicked late). Both
	// spoil only the records the estimator learns from, not the care.
	Clicks, Forgotten float64
	Targets           queue.Targets
	Seed              uint64
}

// DefaultProfile is the emergency department docs/BENCHMARKS.md measures: 4 service points, a week of
// history (168 hours, not scored: the estimator learns from it as it would in a department that has
// used CareQueue for a week) then 96 scored hours, a Manchester Triage mix, arrivals peaking late morning at 1.5 times the
// daily mean and falling to a third of it before dawn, mean service times from 40 min (IMMEDIATE) to
// 12 min (NON_URGENT) with a coefficient of variation of 0.8, 3 % click-through and 1 % forgotten
// records, and the MTS default targets.
func DefaultProfile(load float64, seed uint64) Profile {
	return Profile{
		Points: 4, Hours: 168 + 96, WarmUp: 168, Load: load,
		Shape: [24]float64{0.55, 0.45, 0.4, 0.35, 0.35, 0.4, 0.55, 0.8, 1.1, 1.35, 1.5, 1.5,
			1.45, 1.4, 1.35, 1.3, 1.3, 1.3, 1.3, 1.25, 1.1, 0.95, 0.8, 0.65},
		Mix: [5]float64{0.01, 0.11, 0.33, 0.43, 0.12},
		Service: [5]time.Duration{40 * time.Minute, 30 * time.Minute, 25 * time.Minute, 18 * time.Minute,
			12 * time.Minute},
		CV: 0.8, Clicks: 0.03, Forgotten: 0.01,
		Targets: queue.DefaultTargets(),
		Seed:    seed,
	}
}

const (
	maxPoints   = 500
	maxHours    = 24 * 60
	maxLoad     = 1.5
	maxArrivals = 200_000
	maxService  = 24 * time.Hour
)

// Validate returns BAD_USER_INPUT naming the first unusable setting. A profile with no arrivals (Load
// 0, or every hour or level weight 0) is valid: it gives an empty result.
func (p Profile) Validate() error {
	bad := func(field, format string, args ...any) error {
		return cqerr.Ef(cqerr.BadUserInput, format, args...).WithField(field)
	}
	switch {
	case p.Points < 1:
		return bad("points", "a department needs at least 1 service point (got %d)", p.Points)
	case p.Points > maxPoints:
		return bad("points", "at most %d service points (got %d)", maxPoints, p.Points)
	case p.Hours < 1 || p.Hours > maxHours:
		return bad("hours", "hours must be from 1 to %d (got %d)", maxHours, p.Hours)
	case p.WarmUp < 0 || p.WarmUp >= p.Hours:
		return bad("warmUp", "the warm-up must be from 0 to fewer than the %d hours (got %d)", p.Hours, p.WarmUp)
	case !finite(p.Load) || p.Load < 0:
		return bad("load", "load must be a number of 0 or more (got %v)", p.Load)
	case p.Load > maxLoad:
		return bad("load", "a load of %v is absurd: above %v the line grows by hours every hour and no ordering helps", p.Load, maxLoad)
	case !finite(p.CV) || p.CV < 0 || p.CV > 5:
		return bad("cv", "the service-time spread must be from 0 to 5 (got %v)", p.CV)
	case !share(p.Clicks) || !share(p.Forgotten) || p.Clicks+p.Forgotten > 1:
		return bad("clicks", "the shares of clicked-through and forgotten records must be from 0 to 1 together")
	}
	for h, w := range p.Shape {
		if !finite(w) || w < 0 {
			return bad("shape", "the arrival weight of hour %d must be a number of 0 or more (got %v)", h, w)
		}
	}
	for i, m := range p.Mix {
		if !finite(m) || m < 0 {
			return bad("mix", "the share of %s must be a number of 0 or more (got %v)", queue.Levels()[i], m)
		}
	}
	for i, d := range p.Service {
		if d < time.Minute || d > maxService {
			return bad("service", "the mean service time of %s must be from 1 minute to %s (got %s)", queue.Levels()[i], maxService, d)
		}
	}
	if err := p.Targets.Validate(); err != nil {
		return err
	}
	if n := p.expectedArrivals(); n > maxArrivals {
		return bad("load", "about %.0f arrivals: more than the %d a run handles; shorten hours or lower load or points", n, maxArrivals)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
func share(f float64) bool  { return finite(f) && f >= 0 && f <= 1 }

// meanService is the mean service time over the mix; 0 when the mix is empty.
func (p Profile) meanService() time.Duration {
	var sum, w float64
	for i, m := range p.Mix {
		sum += m * float64(p.Service[i])
		w += m
	}
	if w == 0 {
		return 0
	}
	return time.Duration(sum / w)
}

// perHour is the mean arrival rate over the day.
func (p Profile) perHour() float64 {
	ms := p.meanService()
	if ms <= 0 || p.Load == 0 {
		return 0
	}
	return p.Load * float64(p.Points) / ms.Hours()
}

// shape returns Shape scaled to a mean of 1 (all zero when it is).
func (p Profile) shape() [24]float64 {
	var sum float64
	for _, w := range p.Shape {
		sum += w
	}
	var out [24]float64
	if sum == 0 {
		return out
	}
	for h, w := range p.Shape {
		out[h] = w * 24 / sum
	}
	return out
}

func (p Profile) expectedArrivals() float64 {
	return p.perHour() * float64(p.Hours+tailHours)
}

// String describes the profile in one line.
func (p Profile) String() string {
	return fmt.Sprintf("%d points, %d h (%d warm-up), load %.2f, mean service %s, seed %d",
		p.Points, p.Hours, p.WarmUp, p.Load, p.meanService().Round(time.Second), p.Seed)
}

// FromDemand is a profile with a real queue's demand (queue.Service.Demand): its arrivals by hour of
// the facility's day, level mix, service times and targets, served by points service points (0: the
// queue's open ones). Its Load is the queue's own; set another to ask "what if". Hours, WarmUp and Seed
// are DefaultProfile's. Errors: BAD_USER_INPUT when the history has no check-in or no finished service
// to learn from, or no service point is open and points is 0.
func FromDemand(d *queue.Demand, points int) (Profile, error) {
	p := DefaultProfile(0, 1)
	span := "less than a day"
	if d.Days >= 1 {
		span = fmt.Sprintf("%.0f days", d.Days)
	}
	if d.Arrivals() == 0 {
		return p, cqerr.Ef(cqerr.BadUserInput, "queue %q has no check-ins to replay (its history read covers %s)", d.QueueName, span)
	}
	if _, ok := d.Service.LevelMean(queue.LevelStandard); !ok {
		return p, cqerr.Ef(cqerr.BadUserInput, "queue %q has no service of a minute or more to learn service times from (its history read covers %s)", d.QueueName, span)
	}
	if points == 0 {
		points = d.OpenPoints
	}
	if points < 1 {
		return p, cqerr.Ef(cqerr.BadUserInput, "queue %q has no open service point: say how many to replay with (--points)", d.QueueName).WithField("points")
	}
	p.Points, p.Shape, p.Mix, p.Targets = points, d.PerHour, d.Mix, d.Targets
	for i, l := range queue.Levels() {
		p.Service[i], _ = d.Service.LevelMean(l)
	}
	p.CV, p.Clicks, p.Forgotten = min(d.Service.CV(), 5), 0, 0
	var perHour float64
	for _, n := range d.PerHour {
		perHour += n
	}
	p.Load = perHour / 24 * p.meanService().Hours() / float64(p.Points)
	return p, nil
}

// MeanService is the mean service time over the level mix; 0 when the mix is empty.
func (p Profile) MeanService() time.Duration { return p.meanService() }
