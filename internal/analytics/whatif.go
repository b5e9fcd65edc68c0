package analytics

import (
	"context"
	"errors"
	"math"
	"slices"
	"time"

	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/simulate"
)

// DemandReader learns a queue's demand from its history, as the viewer in the context (a queue they
// may not see is NOT_FOUND): queue.Service.
type DemandReader interface {
	Demand(ctx context.Context, queueID pulid.ID, days int) (*queue.Demand, error)
}

// WhatIf answers an admin's "what if": a queue's real demand, or a synthetic profile, replayed through
// the real orderings and estimator (internal/simulate) with the service points and orderings asked for.
// It is bounded so that a request cannot hold a server for long: sizes are capped (BAD_USER_INPUT
// naming the field) and the whole run stops after Timeout.
type WhatIf struct {
	reports *Service
	demand  DemandReader
	// Timeout caps one request's run (5 s unless set).
	Timeout time.Duration
}

// NewWhatIf returns a WhatIf that checks access as reports does (admins only) and reads queues'
// demand from demand.
func NewWhatIf(reports *Service, demand DemandReader) *WhatIf {
	return &WhatIf{reports: reports, demand: demand, Timeout: whatIfTimeout}
}

// Bounds of one what-if, large enough for a department's question. The patients cap keeps most runs
// within whatIfTimeout, but a run's cost grows with the length of the line (the estimator's work per
// check-in), not only with the patients, so the timeout is what guarantees the bound (docs/BENCHMARKS.md
// "Points needed per hour" gives measured times).
const (
	whatIfTimeout        = 5 * time.Second
	whatIfHistoryHours   = 48 // replayed before the scored days, so the estimator has history to learn from
	whatIfMaxPoints      = 50
	whatIfMaxDays        = 7
	whatIfMaxSeeds       = 3
	whatIfMaxPerHour     = 100.0
	whatIfMaxServiceMins = 480.0
	// whatIfMaxPatients caps the patients replayed with estimates (scored days and history, every seed
	// and ordering): the estimator's work per check-in is what makes a run long.
	whatIfMaxPatients = 8_000
	defaultWhatIfDays = 2
	defaultHistory    = 28
	// whatIfCV is a synthetic profile's service-time spread (DefaultProfile's).
	whatIfCV = 0.8
)

// SimulationInput is the GraphQL SimulationInput: exactly one of QueueID and Profile.
type SimulationInput struct {
	QueueID       *pulid.ID
	HistoryDays   *int
	Profile       *SimulationProfileInput
	ServicePoints *int
	Orderings     []entqueue.Ordering
	Days          *int
	Seeds         *int
}

// SimulationProfileInput is a synthetic department.
type SimulationProfileInput struct {
	ArrivalsPerHour    []float64
	LevelMix           []*LevelWeightInput
	MeanServiceMinutes float64
}

// LevelWeightInput is one level's weight in a mix.
type LevelWeightInput struct {
	Level  enum.TriageLevel
	Weight float64
}

// SimulationReport is a what-if's answer: one run per ordering asked, in the order asked.
type SimulationReport struct {
	QueueName                                *string
	ServicePoints, Days, Seeds               int
	ArrivalsPerDay, MeanServiceMinutes, Load float64
	Runs                                     []*SimulationRun
}

// SimulationRun is one ordering's outcome.
type SimulationRun struct {
	Ordering         entqueue.Ordering
	Patients         int
	Levels           []*SimulatedLevel
	Overall          *SimulatedLevel
	WorstVsBenchmark *float64
	PointsNeeded     *StaffingNeeds
}

// SimulatedLevel is what one level's patients (Level nil: all of them) had and were told.
type SimulatedLevel struct {
	Level                                             *enum.TriageLevel
	Patients                                          int
	WithinTarget                                      float64
	Benchmark                                         *float64
	MedianWaitMinutes, P90WaitMinutes, MaxWaitMinutes float64
	Estimate                                          *EstimateAccuracy
}

// EstimateAccuracy is the check-in estimate's accuracy, as shares of the mean actual wait.
type EstimateAccuracy struct {
	MaeShare, BiasShare, AfterRangeShare, NaiveMaeShare float64
}

// StaffingNeeds is the service points needed per hour of the day (simulate.Staff).
type StaffingNeeds struct {
	FewestTried, MostTried int
	Hours                  []*StaffingHour
}

// StaffingHour is one hour of the day's need.
type StaffingHour struct {
	Hour, Patients int
	PointsNeeded   *int
	Met            bool
}

// Simulate runs the what-if in.
// Errors: FORBIDDEN for a viewer who is not an admin; NOT_FOUND for a queue that does not exist or is
// another facility's; BAD_USER_INPUT naming the field for a bad or too large input, a queue with no
// history to learn from, and a run that does not finish within Timeout.
// A profile with no arrivals is not an error: its runs have 0 patients.
func (w *WhatIf) Simulate(ctx context.Context, in SimulationInput) (*SimulationReport, error) {
	if err := w.reports.gate(ctx); err != nil {
		return nil, err
	}
	days, err := bounded(in.Days, defaultWhatIfDays, 1, whatIfMaxDays, "input.days", "scored days")
	if err != nil {
		return nil, err
	}
	seeds, err := bounded(in.Seeds, 1, 1, whatIfMaxSeeds, "input.seeds", "seeds")
	if err != nil {
		return nil, err
	}
	p, own, escalation, name, err := w.profile(ctx, in)
	if err != nil {
		return nil, err
	}
	p.WarmUp, p.Hours = whatIfHistoryHours, whatIfHistoryHours+24*days
	policies, err := orderings(in.Orderings, own)
	if err != nil {
		return nil, err
	}
	offered := p.Load * float64(p.Points)
	if p.Load > 1.5 {
		return nil, cqerr.Ef(cqerr.BadUserInput, "these patients keep %.1f service points busy on average: with %d the line grows by hours every hour; give at least %d",
			offered, p.Points, int(math.Ceil(offered/1.5))).WithField("input.servicePoints")
	}
	perDay := 0.0
	if p.MeanService() > 0 { // else the mix is empty: nobody arrives
		for _, n := range p.Shape {
			perDay += n
		}
	}
	// The engine goes on replaying arrivals for 12 hours after the scored ones (simulate's tailHours).
	if n := perDay / 24 * float64(p.Hours+12) * float64(seeds*len(policies)); n > whatIfMaxPatients {
		return nil, cqerr.Ef(cqerr.BadUserInput, "about %.0f patients to replay: more than the %d a what-if handles; ask for fewer days, seeds or orderings", n, whatIfMaxPatients).WithField("input.days")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	timeout := w.Timeout
	if timeout <= 0 {
		timeout = whatIfTimeout
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rep := &SimulationReport{QueueName: name, ServicePoints: p.Points, Days: days, Seeds: seeds,
		ArrivalsPerDay: perDay, MeanServiceMinutes: p.MeanService().Minutes(), Load: p.Load}
	seedList := make([]uint64, seeds)
	for i := range seedList {
		seedList[i] = uint64(i + 1)
	}
	for _, pol := range policies {
		run, err := whatIfRun(rctx, p, simulate.Options{Policy: pol, Escalation: escalation}, seedList)
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
				return nil, cqerr.Ef(cqerr.BadUserInput, "the what-if did not finish within %s: ask for fewer days, seeds or orderings", timeout).WithField("input.days")
			}
			return nil, err
		}
		rep.Runs = append(rep.Runs, run)
	}
	return rep, nil
}

// profile is the replay's profile: the queue's demand, or the synthetic one; with the queue's own
// ordering and escalation multiple, and its name.
func (w *WhatIf) profile(ctx context.Context, in SimulationInput) (simulate.Profile, queue.Policy, float64, *string, error) {
	var p simulate.Profile
	points := 0
	if in.ServicePoints != nil {
		points = *in.ServicePoints
		if points < 1 || points > whatIfMaxPoints {
			return p, "", 0, nil, cqerr.Ef(cqerr.BadUserInput, "service points must be from 1 to %d (got %d)", whatIfMaxPoints, points).WithField("input.servicePoints")
		}
	}
	switch {
	case (in.QueueID == nil) == (in.Profile == nil):
		return p, "", 0, nil, cqerr.E(cqerr.BadUserInput, "give either a queue to replay or a synthetic profile, not both or neither").WithField("input.queueID")
	case in.QueueID != nil:
		hist, err := bounded(in.HistoryDays, defaultHistory, 1, queue.MaxHistoryDays, "input.historyDays", "days of history")
		if err != nil {
			return p, "", 0, nil, err
		}
		d, err := w.demand.Demand(ctx, *in.QueueID, hist)
		if err != nil {
			return p, "", 0, nil, err
		}
		if points == 0 && d.OpenPoints > whatIfMaxPoints {
			points = whatIfMaxPoints
		}
		p, err := simulate.FromDemand(d, points)
		if err != nil {
			var ce *cqerr.Error
			if errors.As(err, &ce) {
				ce.Field = map[string]string{"points": "input.servicePoints", "": "input.queueID"}[ce.Field]
			}
			return p, "", 0, nil, err
		}
		name := d.QueueName
		return p, d.Policy, d.Escalation, &name, nil
	}
	if points == 0 {
		return p, "", 0, nil, cqerr.E(cqerr.BadUserInput, "a synthetic profile needs a number of service points (1 or more)").WithField("input.servicePoints")
	}
	p, err := synthetic(*in.Profile, points)
	return p, queue.PolicyTriage, 0, nil, err
}

// synthetic turns a GraphQL profile into a simulate.Profile; BAD_USER_INPUT names the field.
func synthetic(in SimulationProfileInput, points int) (simulate.Profile, error) {
	p := simulate.DefaultProfile(0, 1)
	p.Points, p.CV, p.Clicks, p.Forgotten = points, whatIfCV, 0, 0
	if len(in.ArrivalsPerHour) != 24 {
		return p, cqerr.Ef(cqerr.BadUserInput, "arrivals per hour need 24 numbers, hour 0 first (got %d)", len(in.ArrivalsPerHour)).WithField("input.profile.arrivalsPerHour")
	}
	var perDay float64
	for h, n := range in.ArrivalsPerHour {
		if math.IsNaN(n) || n < 0 || n > whatIfMaxPerHour {
			return p, cqerr.Ef(cqerr.BadUserInput, "the arrivals of hour %d must be from 0 to %.0f (got %v)", h, whatIfMaxPerHour, n).WithField("input.profile.arrivalsPerHour")
		}
		p.Shape[h] = n
		perDay += n
	}
	m := in.MeanServiceMinutes
	if math.IsNaN(m) || m < 1 || m > whatIfMaxServiceMins {
		return p, cqerr.Ef(cqerr.BadUserInput, "the mean service time must be from 1 to %.0f minutes (got %v)", whatIfMaxServiceMins, m).WithField("input.profile.meanServiceMinutes")
	}
	for i := range p.Service {
		p.Service[i] = time.Duration(m * float64(time.Minute))
	}
	p.Mix = [5]float64{}
	seen := map[enum.TriageLevel]bool{}
	for _, lw := range in.LevelMix {
		if lw == nil {
			continue
		}
		r := queue.Level(lw.Level).Rank()
		if r < 0 || seen[lw.Level] {
			return p, cqerr.Ef(cqerr.BadUserInput, "the level mix names %s twice or an unknown level", lw.Level).WithField("input.profile.levelMix")
		}
		if math.IsNaN(lw.Weight) || math.IsInf(lw.Weight, 0) || lw.Weight < 0 {
			return p, cqerr.Ef(cqerr.BadUserInput, "the weight of %s must be a number of 0 or more (got %v)", lw.Level, lw.Weight).WithField("input.profile.levelMix")
		}
		seen[lw.Level] = true
		p.Mix[r] = lw.Weight
	}
	// Load is what the engine takes: arrivals × mean service ÷ points.
	p.Load = perDay / 24 * p.MeanService().Hours() / float64(points)
	return p, nil
}

// orderings checks the orderings asked for (the queue's own, or TRIAGE, when none).
func orderings(in []entqueue.Ordering, own queue.Policy) ([]queue.Policy, error) {
	if len(in) == 0 {
		return []queue.Policy{own}, nil
	}
	var out []queue.Policy
	for _, o := range in {
		p, err := queue.ParsePolicy(string(o))
		if err != nil {
			return nil, cqerr.Ef(cqerr.BadUserInput, "unknown ordering %q", o).WithField("input.orderings")
		}
		if slices.Contains(out, p) {
			return nil, cqerr.Ef(cqerr.BadUserInput, "ordering %s is asked for twice", p).WithField("input.orderings")
		}
		out = append(out, p)
	}
	return out, nil
}

func bounded(v *int, def, lo, hi int, field, what string) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < lo || *v > hi {
		return 0, cqerr.Ef(cqerr.BadUserInput, "%s must be from %d to %d (got %d)", what, lo, hi, *v).WithField(field)
	}
	return *v, nil
}

// whatIfRun replays p under opts over seeds, with estimates, and finds the points needed per hour.
func whatIfRun(ctx context.Context, p simulate.Profile, opts simulate.Options, seeds []uint64) (*SimulationRun, error) {
	var outs []simulate.Outcome
	for _, seed := range seeds {
		q := p
		q.Seed = seed
		r, err := simulate.Run(ctx, q, opts)
		if err != nil {
			return nil, err
		}
		outs = append(outs, r.Outcomes...)
	}
	st, err := simulate.Staff(ctx, p, opts, seeds, 0)
	if err != nil {
		return nil, err
	}
	s := simulate.Summarize(outs)
	run := &SimulationRun{Ordering: entqueue.Ordering(opts.Policy), Patients: s.All.Patients, Overall: level(nil, s.All, nil)}
	for r, l := range s.Levels {
		if l.Patients == 0 {
			continue
		}
		lv, bench := enum.TriageLevel(queue.Levels()[r]), simulate.ATSBenchmark[r]
		run.Levels = append(run.Levels, level(&lv, l, &bench))
	}
	if worst := s.WorstVsBenchmark(); !math.IsNaN(worst) {
		run.WorstVsBenchmark = &worst
	}
	run.PointsNeeded = &StaffingNeeds{FewestTried: st.Fewest, MostTried: st.Most}
	for _, h := range st.Hours {
		sh := &StaffingHour{Hour: h.Hour, Patients: h.Patients, Met: h.Met}
		if h.Met {
			n := h.Needed
			sh.PointsNeeded = &n
		}
		run.PointsNeeded.Hours = append(run.PointsNeeded.Hours, sh)
	}
	return run, nil
}

func level(l *enum.TriageLevel, s simulate.LevelSummary, bench *float64) *SimulatedLevel {
	out := &SimulatedLevel{Level: l, Patients: s.Patients, WithinTarget: s.WithinTarget, Benchmark: bench,
		MedianWaitMinutes: s.Median.Minutes(), P90WaitMinutes: s.P90.Minutes(), MaxWaitMinutes: s.Max.Minutes()}
	e := s.Estimate
	// With no patients, or a mean wait of 0 (everyone called at once), the shares are not numbers.
	if s.Patients > 0 && s.Mean > 0 && finite(e.MAE, e.Bias, s.Naive.MAE) {
		out.Estimate = &EstimateAccuracy{MaeShare: e.MAE, BiasShare: e.Bias, AfterRangeShare: e.AfterHigh, NaiveMaeShare: s.Naive.MAE}
	}
	return out
}

func finite(fs ...float64) bool {
	for _, f := range fs {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return false
		}
	}
	return true
}

var _ DemandReader = (*queue.Service)(nil)
