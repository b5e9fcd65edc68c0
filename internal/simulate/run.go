package simulate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/carequeue/carequeue/internal/queue"
)

const (
	// tailHours: arrivals go on this long after Profile.Hours, unscored, so that the last scored
	// patients wait among the same stream of arrivals as the others (the estimator expects it).
	tailHours = 12
	// fallback is the queue's configured service time (the schema default), used while the estimator
	// has too few samples.
	fallback = 10 * time.Minute
	// The replaced estimator looked at the last 20 service times within 8 hours.
	previousSamples = 20
	previousWindow  = 8 * time.Hour
)

// start is when every replay begins: a Monday at midnight, UTC.
var start = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// Options say what a replay runs: the ordering and, unless SkipEstimates, the estimator measured.
type Options struct {
	Policy queue.Policy
	// Escalation is the multiple of the target after which TRIAGE_DEADLINE_AWARE escalates (see
	// queue.Order); below 1 means queue.DefaultEscalation.
	Escalation float64
	Estimator  queue.Estimator
	// SkipEstimates measures the ordering alone, much faster.
	SkipEstimates bool
	// TrueRates tells the estimator the profile's arrival rates instead of letting it learn them from
	// the replay's history: what it would achieve if its learning were perfect (analysis only).
	TrueRates bool
}

// Outcome is one scored patient: the wait they had and what they were told at check-in.
type Outcome struct {
	Level   queue.Level
	Arrival time.Time
	// Position is the patient's place in line at check-in.
	Position int
	Wait     time.Duration
	Target   time.Duration
	// Estimate is the estimator's answer at check-in; Naive is position × mean service time ÷ service
	// points, Previous the formula CareQueue used before ((position − 1) × median ÷ points).
	Estimate        queue.Wait
	Naive, Previous time.Duration
}

// Replay is one profile replayed under one set of options.
type Replay struct {
	Profile  Profile
	Options  Options
	Outcomes []Outcome
	// Arrivals counts every arrival, scored or not.
	Arrivals int
}

// patient is one arrival of a replay.
type patient struct {
	id       string
	level    queue.Level
	arrival  time.Time
	deadline time.Time
	service  time.Duration // the care: how long the point is held
	recorded time.Duration // what the records say it took
	scored   bool
	out      int // index in Outcomes when scored
}

// server is one service point.
type server struct {
	until    time.Time // busy until; zero when free
	patient  *patient
	calledAt time.Time
}

// completion is a finished service as the records hold it.
type completion struct {
	end time.Time
	occ queue.Occupancy
}

// Run replays p under opts. It returns BAD_USER_INPUT for an invalid profile or policy, the context's
// error when ctx ends first, and an empty Replay (no outcomes) when the profile has no arrivals.
func Run(ctx context.Context, p Profile, opts Options) (*Replay, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if !opts.Policy.Valid() {
		_, err := queue.ParsePolicy(string(opts.Policy))
		return nil, err
	}
	if opts.Estimator.Seed == 0 {
		// Each replay plays its futures from its own seed, as each queue does from its id (read.go).
		opts.Estimator.Seed = p.Seed
	}
	r := &Replay{Profile: p, Options: opts}
	ps := arrivals(p)
	r.Arrivals = len(ps)
	left := 0
	for _, pt := range ps {
		if pt.scored {
			pt.out = len(r.Outcomes)
			r.Outcomes = append(r.Outcomes, Outcome{Level: pt.level, Arrival: pt.arrival, Target: p.Targets.For(pt.level), Wait: -1})
			left++
		}
	}
	e := engine{p: p, opts: opts, r: r, servers: make([]server, p.Points), byID: make(map[string]*patient)}
	for i, next := 0, 0; left > 0; i++ {
		if i%512 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("simulation stopped: %w", err)
			}
		}
		s := e.nextFree()
		switch {
		case next < len(ps) && (s < 0 || !ps[next].arrival.After(e.servers[s].until)):
			e.arrive(ps[next])
			next++
		case s >= 0:
			e.complete(s)
		default:
			return nil, fmt.Errorf("simulation stalled with %d patients unscored", left) // cannot happen
		}
		left -= e.dispatch()
	}
	return r, nil
}

// engine is the state of a replay.

type engine struct {
	p           Profile
	opts        Options
	r           *Replay
	now         time.Time
	servers     []server
	waiting     []queue.Entry
	byID        map[string]*patient
	seen        []queue.Arrival // every check-in so far, in order
	completions []completion    // every finished service so far, in order of end
}

func (e *engine) order() queue.Order {
	return queue.Order{Policy: e.opts.Policy, Now: e.now, Targets: e.p.Targets, Escalation: e.opts.Escalation}
}

// nextFree returns the busy server that frees up first, or -1.
func (e *engine) nextFree() int {
	best := -1
	for i, s := range e.servers {
		if s.patient != nil && (best < 0 || s.until.Before(e.servers[best].until)) {
			best = i
		}
	}
	return best
}

func (e *engine) arrive(pt *patient) {
	e.now = pt.arrival
	en := queue.Entry{ID: pt.id, Level: pt.level, CheckedInAt: pt.arrival, Deadline: pt.deadline}
	e.waiting = append(e.waiting, en)
	e.byID[pt.id] = pt
	e.seen = append(e.seen, queue.Arrival{At: pt.arrival, Level: pt.level})
	if pt.scored && !e.opts.SkipEstimates {
		e.estimate(pt)
	}
}

func (e *engine) complete(s int) {
	sv := &e.servers[s]
	e.now = sv.until
	e.completions = append(e.completions, completion{end: sv.until, occ: queue.Occupancy{Level: sv.patient.level, Took: sv.patient.recorded}})
	*sv = server{}
}

// dispatch lets every free server call the first in line; it returns how many scored patients it called.
func (e *engine) dispatch() int {
	called := 0
	for i := range e.servers {
		if e.servers[i].patient != nil || len(e.waiting) == 0 {
			continue
		}
		first, _ := e.order().First(e.waiting)
		e.waiting = slices.DeleteFunc(e.waiting, func(x queue.Entry) bool { return x.ID == first.ID })
		pt := e.byID[first.ID]
		delete(e.byID, first.ID)
		e.servers[i] = server{until: e.now.Add(pt.service), patient: pt, calledAt: e.now}
		if pt.scored {
			e.r.Outcomes[pt.out].Wait = e.now.Sub(pt.arrival)
			called++
		}
	}
	return called
}

// estimate records what pt is told at check-in: the situation exactly as the read side assembles it.
func (e *engine) estimate(pt *patient) {
	o := e.order()
	var busy []queue.Busy
	for _, s := range e.servers {
		if s.patient != nil {
			busy = append(busy, queue.Busy{Level: s.patient.level, Elapsed: e.now.Sub(s.calledAt)})
		}
	}
	var recent []queue.Occupancy
	var previous []time.Duration
	for i := len(e.completions) - 1; i >= 0 && len(recent) < queue.ServiceSamples; i-- {
		c := e.completions[i]
		if age := e.now.Sub(c.end); age > queue.ServiceHistory {
			break
		} else if age <= previousWindow && len(previous) < previousSamples {
			previous = append(previous, c.occ.Took)
		}
		recent = append(recent, c.occ)
	}
	st := queue.LearnServiceTimes(recent)
	s := queue.Situation{Order: o, Waiting: e.waiting, Busy: busy, OpenPoints: e.p.Points, Service: st,
		Arrivals: e.arrivalRates(), Fallback: fallback}
	w, _ := e.opts.Estimator.EstimateOne(s, pt.id)
	pos := o.Positions(e.waiting)[pt.id]
	mean := st.Mean()
	if st.Samples() < queue.MinServiceSamples {
		mean = fallback
	}
	out := &e.r.Outcomes[pt.out]
	out.Estimate, out.Position = w, pos
	out.Naive = time.Duration(float64(pos) * float64(mean) / float64(e.p.Points))
	out.Previous = queue.EstimateWait(pos, previous, e.p.Points, fallback)
}

// arrivalRates are what the estimator expects to arrive: learnt from the replay's own history, as the
// read side learns them, or with Options.TrueRates the profile's.
func (e *engine) arrivalRates() queue.ArrivalRates {
	if e.opts.TrueRates {
		rate, shape := e.p.perHour(), e.p.shape()
		perHour := make([]float64, int(queue.ArrivalHorizon/time.Hour))
		for h := range perHour {
			// The mean over the hour starting h hours from now, which straddles two hours of the day.
			at := e.now.Add(time.Duration(h) * time.Hour)
			into := at.Sub(at.Truncate(time.Hour)).Hours()
			day := int(at.Sub(start) / time.Hour)
			perHour[h] = rate * ((1-into)*shape[day%24] + into*shape[(day+1)%24])
		}
		return queue.NewArrivalRates(perHour, e.p.Mix)
	}
	var hist []queue.Arrival
	for _, w := range queue.ArrivalWindows(e.now) {
		from := sort.Search(len(e.seen), func(i int) bool { return !e.seen[i].At.Before(w.From) })
		to := sort.Search(len(e.seen), func(i int) bool { return !e.seen[i].At.Before(w.To) })
		hist = append(hist, e.seen[from:to]...)
	}
	return queue.LearnArrivals(e.now, start, hist)
}

// arrivals draws the profile's arrivals: Poisson with the hour's rate, levels from the mix, log-normal
// service times with the level's mean, and the records' faults.
func arrivals(p Profile) []*patient {
	rng := rand.New(rand.NewPCG(p.Seed, 0xca7e))
	rate, shape := p.perHour(), p.shape()
	var mix [5]float64
	var sum float64
	for _, m := range p.Mix {
		sum += m
	}
	if rate == 0 || sum == 0 {
		return nil
	}
	for i, m := range p.Mix {
		mix[i] = m / sum
	}
	sigma := math.Sqrt(math.Log1p(p.CV * p.CV))
	var ps []*patient
	end := start.Add(time.Duration(p.Hours+tailHours) * time.Hour)
	scoredFrom, scoredTo := start.Add(time.Duration(p.WarmUp)*time.Hour), start.Add(time.Duration(p.Hours)*time.Hour)
	for t := start; ; {
		at, l, ok := nextArrival(rng, rate, &shape, &mix, t, end)
		if !ok {
			break
		}
		t = at
		li := l.Rank()
		mean := float64(p.Service[li])
		svc := time.Duration(mean * math.Exp(sigma*rng.NormFloat64()-sigma*sigma/2))
		svc = max(svc, 30*time.Second)
		rec := svc
		switch u := rng.Float64(); {
		case u < p.Clicks:
			rec = time.Duration(10+rng.IntN(40)) * time.Second
		case u < p.Clicks+p.Forgotten:
			rec = svc + 2*time.Hour + time.Duration(rng.IntN(120))*time.Minute
		}
		ps = append(ps, &patient{
			id: fmt.Sprintf("P%06d", len(ps)), level: l, arrival: t, deadline: queue.Deadline(t, nil, l, p.Targets),
			service: svc, recorded: rec, scored: !t.Before(scoredFrom) && t.Before(scoredTo),
		})
	}
	return ps
}

// nextArrival draws the first arrival after t and before end: Poisson with the rate of each hour of the
// day (rate × shape, hours counted from start), its level from mix (shares summing to 1); ok is false
// when none comes before end.
func nextArrival(rng *rand.Rand, rate float64, shape *[24]float64, mix *[5]float64, t, end time.Time) (at time.Time, l queue.Level, ok bool) {
	for t.Before(end) {
		hour := t.Sub(start) / time.Hour
		hourEnd := start.Add((hour + 1) * time.Hour)
		r := rate * shape[hour%24]
		if r <= 0 {
			t = hourEnd
			continue
		}
		next := t.Add(time.Duration(rng.ExpFloat64() / r * float64(time.Hour)))
		if !next.Before(hourEnd) {
			t = hourEnd
			continue
		}
		u, li := rng.Float64(), 4
		for i, m := range mix {
			if u < m {
				li = i
				break
			}
			u -= m
		}
		return next, queue.Levels()[li], true
	}
	return time.Time{}, "", false
}
