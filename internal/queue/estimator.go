package queue

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

// The wait estimator. It answers "when will each waiting patient be called?" by playing the queue's
// near future forward many times with its own ordering rule: the services under way end (each after
// the rest of a service time at least as long as what has already passed), the open service points
// call the first in line whenever they free up, and new patients keep arriving at the queue's usual
// rate for the time of day and level mix, so a later VERY_URGENT arrival overtakes a waiting STANDARD
// patient exactly as the real queue would make them. Each patient's simulated call times give the
// expected wait, a range and the risk of passing the target. Nothing here does I/O: the read side
// (read.go) and the simulator (internal/simulate) gather the inputs. docs/ESTIMATES.md explains the
// model and docs/BENCHMARKS.md what it achieves.

// Basis says what an estimate rests on.
type Basis string

// The bases of an estimate.
const (
	// BasisHistory: the queue's own recent service times. The estimate has a range.
	BasisHistory Basis = "HISTORY"
	// BasisNotEnoughData: fewer than MinServiceSamples recent service times; Median and Mean use the
	// queue's configured service time and there is no range ("not enough data yet").
	BasisNotEnoughData Basis = "NOT_ENOUGH_DATA"
	// BasisNoOpenPoint: no service point of the queue is open, so nobody is being called; Median and
	// Mean assume one opens now, and there is no range.
	BasisNoOpenPoint Basis = "NO_OPEN_SERVICE_POINT"
)

// Wait is one waiting patient's estimated wait from the situation's instant until their call.
type Wait struct {
	// Median is the point estimate: the median of the simulated futures, so half the patients in this
	// situation are called sooner. It minimises the mean absolute error; Mean is the mean, which the
	// long tail of crowded futures pulls up.
	Median, Mean time.Duration
	// Low and High bound the likely range (by default the 20th and 90th percentiles of the simulated
	// futures); both are zero unless Basis is BasisHistory.
	Low, High time.Duration
	// BreachRisk is the share of simulated futures in which the patient is called after their Deadline.
	BreachRisk float64
	Basis      Basis
}

// HasRange reports whether the estimate rests on enough history to give a range.
func (w Wait) HasRange() bool { return w.Basis == BasisHistory }

// Minutes is Median in whole minutes, rounded up.
func (w Wait) Minutes() int { return ceilMinutes(w.Median) }

// RangeMinutes is the range in whole minutes, Low rounded down and High up; ok is false without one.
func (w Wait) RangeMinutes() (low, high int, ok bool) {
	if !w.HasRange() {
		return 0, 0, false
	}
	return int(w.Low / time.Minute), ceilMinutes(w.High), true
}

// PassesTarget is the breach prediction dashboards show ("E-014 will pass its target in ~12 min at the
// current pace"): likely is true when the patient is more likely than not to be called after deadline,
// and in is how long until the deadline from now (0 when it has passed).
func (w Wait) PassesTarget(now, deadline time.Time) (in time.Duration, likely bool) {
	return max(deadline.Sub(now), 0), w.BreachRisk > 0.5
}

func ceilMinutes(d time.Duration) int {
	if d >= math.MaxInt64-time.Minute {
		return int(math.MaxInt64 / time.Minute)
	}
	return int((d + time.Minute - 1) / time.Minute)
}

// Busy is a ticket called to a service point and not yet finished.
type Busy struct {
	Level Level
	// Elapsed is how long it has held the point (since its call).
	Elapsed time.Duration
}

// Situation is everything the estimator knows about a queue at one instant.
type Situation struct {
	// Order is the queue's ordering rule; its Now is the instant and its Targets give the deadlines of
	// patients yet to arrive, so set both (OrderOf does).
	Order Order
	// Waiting are the queue's WAITING tickets, in any order.
	Waiting []Entry
	// Busy are the tickets at a service point (CALLED, IN_SERVICE).
	Busy []Busy
	// OpenPoints is how many service points serving the queue are open.
	OpenPoints int
	Service    ServiceTimes
	Arrivals   ArrivalRates
	// Fallback is the queue's configured service time, used while Service has too few samples.
	Fallback time.Duration
}

// Estimator plays a situation forward. The zero value uses the defaults of each field.
type Estimator struct {
	// Runs is how many futures are played (default 200). Lines of several hundred, and estimates
	// without a range, play fewer (down to 16), so one estimate stays within tens of milliseconds.
	Runs int
	// Seed makes the futures reproducible: the same situation always gets the same estimate.
	Seed uint64
	// Horizon is how far ahead futures are played (default 12 h); a patient not called by then is
	// counted as called at the horizon.
	Horizon time.Duration
	// LowQuantile and HighQuantile pick the range from the simulated waits (defaults 0.2 and 0.9).
	LowQuantile, HighQuantile float64
}

const (
	defaultRuns    = 200
	minRuns        = 16
	defaultHorizon = 12 * time.Hour
	// stepBudget and passBudget bound the work of one estimate (see estimate): tens of milliseconds.
	stepBudget = 40_000
	passBudget = 20_000_000
	// fallbackRuns is how many futures an estimate without a range plays.
	fallbackRuns = 50
)

func (e Estimator) withDefaults() Estimator {
	if e.Runs <= 0 {
		e.Runs = defaultRuns
	}
	if e.Horizon <= 0 {
		e.Horizon = defaultHorizon
	}
	if e.LowQuantile <= 0 || e.LowQuantile >= 1 {
		e.LowQuantile = 0.2
	}
	if e.HighQuantile <= e.LowQuantile || e.HighQuantile >= 1 {
		e.HighQuantile = max(0.9, e.LowQuantile)
	}
	return e
}

// Estimate returns the wait of every waiting patient of s, by Entry.ID.
func (e Estimator) Estimate(s Situation) map[string]Wait {
	idx := make([]int, len(s.Waiting))
	for i := range idx {
		idx[i] = i
	}
	ws := e.estimate(s, idx)
	out := make(map[string]Wait, len(ws))
	for i, w := range ws {
		out[s.Waiting[i].ID] = w
	}
	return out
}

// EstimateOne returns the wait of the waiting patient id alone, cheaper than Estimate (futures stop
// once id is called); false when id is not waiting.
func (e Estimator) EstimateOne(s Situation, id string) (Wait, bool) {
	i := slices.IndexFunc(s.Waiting, func(x Entry) bool { return x.ID == id })
	if i < 0 {
		return Wait{}, false
	}
	return e.estimate(s, []int{i})[0], true
}

// estimate plays the futures and sums up the waits of the tracked entries of s.Waiting.
func (e Estimator) estimate(s Situation, tracked []int) []Wait {
	e = e.withDefaults()
	basis := BasisHistory
	switch {
	case s.OpenPoints <= 0:
		basis = BasisNoOpenPoint
	case s.Service.Samples() < MinServiceSamples:
		basis = BasisNotEnoughData
	}
	out := make([]Wait, len(tracked))
	fallback := s.Service.Samples() < MinServiceSamples
	if fallback && s.Fallback <= 0 {
		for i := range out {
			out[i] = Wait{Basis: basis}
		}
		return out
	}
	f := future{s: s, e: e, points: max(s.OpenPoints, 1), fallback: fallback}
	// Bound the work: a future costs about a step per patient waiting or arriving, or, when the line
	// re-places patients as they pass their targets (TRIAGE_DEADLINE_AWARE), a pass over the line per
	// patient. Long lines need fewer futures anyway (a long wait is a sum of many services, so it
	// varies less); without a range to give, fewer futures do.
	n := float64(len(s.Waiting)+1) + s.Arrivals.expected(e.Horizon)
	budget := stepBudget / n
	if s.Order.Policy == PolicyTriageDeadlineAware {
		budget = passBudget / (n * n)
	}
	runs := min(e.Runs, max(minRuns, int(budget)))
	if basis != BasisHistory {
		runs = min(runs, fallbackRuns)
	}
	waits := make([][]time.Duration, len(tracked))
	for i := range waits {
		waits[i] = make([]time.Duration, runs)
	}
	want := make(map[int]int, len(tracked)) // waiting index → result index
	for ri, wi := range tracked {
		want[wi] = ri
	}
	cs := make([]*candidate, len(s.Waiting))
	for i, w := range s.Waiting {
		track, ok := want[i]
		if !ok {
			track = -1
		}
		cs[i] = f.keep(f.candidate(w, track))
	}
	first := newFutureLine(s.Order, cs)
	f.arrivals = first.arrivalsCanJoin()
	for r := range runs {
		f.play(rand.New(rand.NewPCG(e.Seed, uint64(2*r))), rand.New(rand.NewPCG(e.Seed, uint64(2*r+1))), first, r, waits)
	}
	for i, ws := range waits {
		var sum float64
		late := 0
		deadline := s.Waiting[tracked[i]].Deadline.Sub(s.Order.Now)
		for _, w := range ws {
			sum += float64(w)
			if w > deadline {
				late++
			}
		}
		slices.Sort(ws)
		out[i] = Wait{Median: quantile(ws, 0.5), Mean: time.Duration(sum / float64(runs)), BreachRisk: float64(late) / float64(runs), Basis: basis}
		if basis == BasisHistory {
			out[i].Low, out[i].High = quantile(ws, e.LowQuantile), upperQuantile(ws, e.HighQuantile)
		}
	}
	return out
}

// quantile of sorted ds, nearest rank.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// upperQuantile of sorted ds for an upper end that the real wait passes with probability 1 − q. The
// real wait is one more draw beside the n futures, so it passes their kth smallest with probability
// 1 − k ÷ (n + 1), not 1 − k ÷ n: the nearest rank, k = ⌈qn⌉, is passed too often (10.4 % of the time
// rather than 10 % with 200 futures, 11.8 % with 16), k = ⌈q(n + 1)⌉ is not.
func upperQuantile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)+1))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// future is one situation being played forward.
type future struct {
	s        Situation
	e        Estimator
	points   int
	fallback bool // too few samples: draw service times around the configured fallback
	// arrivals is false when nobody yet to arrive can go ahead of anyone tracked (FIFO): the futures
	// then play the services alone, to the same waits.
	arrivals bool
	// Of the future being played: the service-time distributions and arrival rates it assumes.
	dists      [5]logNormal
	rateScales []float64 // by hour ahead
	share      [5]float64
	slab       []candidate
	// the memory of the line of the future being played (futureLine.cloneInto)
	items   []*candidate
	changes []classChange
}

// candidate is a patient in a played future: a real one (track ≥ 0 indexes the results) or one yet to
// arrive (track < 0).
type candidate struct {
	Entry
	track int
	esc   time.Time // Order.EscalatesAt, under TRIAGE_DEADLINE_AWARE outside the urgent group
}

func (f *future) candidate(e Entry, track int) candidate {
	c := candidate{Entry: e, track: track}
	if f.s.Order.Policy == PolicyTriageDeadlineAware && !e.Level.Urgent() {
		c.esc = f.s.Order.EscalatesAt(e)
	}
	return c
}

// keep returns c on the heap, from a slab so that arrivals do not each cost an allocation.
func (f *future) keep(c candidate) *candidate {
	if len(f.slab) == cap(f.slab) {
		f.slab = make([]candidate, 0, 256)
	}
	f.slab = append(f.slab, c)
	return &f.slab[len(f.slab)-1]
}

// play runs one future, starting from first (the line at the situation's instant), and writes the
// call time of each tracked entry to waits[·][run].
//
// Services and arrivals draw from separate streams (rng and arrivals), so a change in who is expected
// to arrive does not reshuffle every service time: situations that differ a little get estimates that
// differ a little.
func (f *future) play(rng, arrivals *rand.Rand, first *futureLine, run int, waits [][]time.Duration) {
	if !f.fallback {
		f.dists = f.s.Service.plausible(rng)
	}
	if f.arrivals {
		f.rateScales, f.share = f.s.Arrivals.plausible(arrivals, f.rateScales)
	}
	free := make([]time.Duration, f.points) // when each point frees up, from now
	for i, b := range f.s.Busy {
		if i == len(free) {
			break
		}
		free[i] = f.residual(rng, b)
	}
	l := first.cloneInto(f)
	left := len(waits)
	nextArrival := f.e.Horizon + 1
	if f.arrivals {
		nextArrival = f.nextArrival(arrivals, 0)
	}
	for left > 0 {
		p := slices.Index(free, slices.Min(free))
		t := free[p]
		if t > f.e.Horizon {
			break
		}
		for nextArrival <= t {
			l.add(f, f.arrive(arrivals, nextArrival), nextArrival)
			nextArrival = f.nextArrival(arrivals, nextArrival)
		}
		c := l.pop(t)
		if c == nil { // cannot happen while tracked patients wait; kept for safety
			break
		}
		if c.track >= 0 {
			waits[c.track][run] = t
			left--
		}
		free[p] = t + f.draw(rng, c.Level)
	}
	if left > 0 {
		for _, c := range l.items {
			if c.track >= 0 {
				waits[c.track][run] = f.e.Horizon
			}
		}
	}
}

// futureLine is the waiting line of a played future, kept in call order. Under TRIAGE and FIFO the
// order never changes, so arrivals are inserted in place (or not at all, behind the last patient whose
// wait is being estimated) and the first is popped. Under
// TRIAGE_DEADLINE_AWARE a patient changes class when passing their deadline and again when escalated;
// those instants are known, so the line re-places just that patient when the clock passes them. Either
// way a call costs a binary search and a copy, not a comparison with everyone waiting.
type futureLine struct {
	// trim: the order never changes, so the line ends with its last tracked patient and arrivals that
	// would join behind them are not kept.
	trim    bool
	start   time.Time // offsets count from here
	o       Order     // its Now is the instant the line is sorted for
	items   []*candidate
	changes []classChange // pending class changes, a min-heap on at
}

type classChange struct {
	at time.Time
	c  *candidate
}

func newFutureLine(o Order, cs []*candidate) *futureLine {
	l := &futureLine{start: o.Now, o: o, items: cs, trim: o.Policy != PolicyTriageDeadlineAware}
	slices.SortStableFunc(l.items, l.compare)
	if l.trim {
		// Nobody after the last tracked patient can delay anyone tracked: leave them out.
		end := len(l.items)
		for end > 0 && l.items[end-1].track < 0 {
			end--
		}
		l.items = l.items[:end]
	}
	for _, c := range l.items {
		l.watch(c)
	}
	return l
}

func (l *futureLine) compare(a, b *candidate) int { return l.o.compare(a.Entry, b.Entry, a.esc, b.esc) }

// arrivalsCanJoin reports whether a patient yet to arrive may join the trimmed line ahead of its last
// tracked patient. Under FIFO they join at the back: behind everyone checked in by now.
func (l *futureLine) arrivalsCanJoin() bool {
	if !l.trim || len(l.items) == 0 {
		return true
	}
	if l.o.Policy == PolicyTriage || l.o.Policy == PolicyTriageDeadlineAware {
		return true
	}
	return !l.items[len(l.items)-1].CheckedInAt.Before(l.o.Now)
}

// cloneInto makes a copy of l to play one future on, in the memory of the previous future's copy
// (f.items, f.changes): a line of hundreds is not allocated again per future.
func (l *futureLine) cloneInto(f *future) *futureLine {
	c := *l
	f.items = append(f.items[:0], l.items...)
	f.changes = append(f.changes[:0], l.changes...)
	c.items, c.changes = f.items, f.changes // pops move c's start; f's stay at the memory's start
	return &c
}

// add puts c, arriving at offset t, in its place (under trim, unless that is behind everyone).
func (l *futureLine) add(f *future, c candidate, t time.Duration) {
	l.advance(t)
	// Most arrivals join behind the last tracked patient: one comparison, not a search, tells.
	if l.trim && (len(l.items) == 0 || l.compare(l.items[len(l.items)-1], &c) <= 0) {
		return
	}
	i := l.place(&c)
	p := f.keep(c)
	l.items = slices.Insert(l.items, i, p)
	l.watch(p)
}

// pop takes the first in line at offset t; nil when nobody waits.
func (l *futureLine) pop(t time.Duration) *candidate {
	l.advance(t)
	if len(l.items) == 0 {
		return nil
	}
	c := l.items[0]
	l.items = l.items[1:]
	return c
}

// place returns where c goes in line: after everyone it does not go before.
func (l *futureLine) place(c *candidate) int {
	return sort.Search(len(l.items), func(i int) bool { return l.compare(l.items[i], c) > 0 })
}

// watch notes the instants at which c will change class.
func (l *futureLine) watch(c *candidate) {
	if l.o.Policy != PolicyTriageDeadlineAware || c.Level.Urgent() {
		return
	}
	for _, at := range [2]time.Time{c.Deadline, c.esc} {
		if !at.Before(l.o.Now) {
			l.push(classChange{at: at, c: c})
		}
	}
}

// advance brings the order to offset t: each class change before it re-places its patient, in time
// order, so the line is sorted for each change's instant in turn.
func (l *futureLine) advance(t time.Duration) {
	now := l.start.Add(t)
	for len(l.changes) > 0 && l.changes[0].at.Before(now) {
		ch := l.popChange()
		i := slices.Index(l.items, ch.c)
		if i < 0 {
			continue // already called
		}
		l.items = slices.Delete(l.items, i, i+1)
		l.o.Now = ch.at.Add(time.Nanosecond)
		l.items = slices.Insert(l.items, l.place(ch.c), ch.c)
	}
	if now.After(l.o.Now) {
		l.o.Now = now
	}
}

func (l *futureLine) push(ch classChange) {
	l.changes = append(l.changes, ch)
	for i := len(l.changes) - 1; i > 0; {
		p := (i - 1) / 2
		if !l.changes[i].at.Before(l.changes[p].at) {
			break
		}
		l.changes[i], l.changes[p] = l.changes[p], l.changes[i]
		i = p
	}
}

func (l *futureLine) popChange() classChange {
	h := l.changes
	top := h[0]
	h[0] = h[len(h)-1]
	h = h[:len(h)-1]
	for i := 0; ; {
		m, a, b := i, 2*i+1, 2*i+2
		if a < len(h) && h[a].at.Before(h[m].at) {
			m = a
		}
		if b < len(h) && h[b].at.Before(h[m].at) {
			m = b
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	l.changes = h
	return top
}

// nextArrival returns the offset of the next arrival after from (Poisson, with the rate of each hour),
// or past the horizon when none is expected.
func (f *future) nextArrival(rng *rand.Rand, from time.Duration) time.Duration {
	ar := f.s.Arrivals
	never := f.e.Horizon + 1
	last := len(ar.perHour) - 1
	if last < 0 {
		return never
	}
	t := from
	for t <= f.e.Horizon {
		h := int(t / time.Hour)
		end := time.Duration(h+1) * time.Hour
		rate := ar.total(h) * f.rateScales[min(h, last)]
		if rate <= 0 {
			if h >= last {
				return never
			}
			t = end
			continue
		}
		next := t + time.Duration(rng.ExpFloat64()/rate*float64(time.Hour))
		if next < end || h >= last {
			return next
		}
		t = end // memoryless: start again at the hour with its own rate
	}
	return never
}

// arrive makes the patient arriving at offset t.
func (f *future) arrive(rng *rand.Rand, t time.Duration) candidate {
	u, l := rng.Float64(), LevelStandard
	for i, sh := range f.share {
		if u < sh {
			l = levels[i]
			break
		}
		u -= sh
	}
	in := f.s.Order.Now.Add(t)
	return f.candidate(Entry{Level: l, CheckedInAt: in, Deadline: in.Add(f.s.Order.Targets.For(l))}, -1)
}

// draw returns a service time for a patient of level l.
func (f *future) draw(rng *rand.Rand, l Level) time.Duration {
	if f.fallback {
		return time.Duration(rng.ExpFloat64() * float64(f.s.Fallback))
	}
	d := f.dists[l.Rank()]
	return time.Duration(math.Exp(d.mu + d.sigma*rng.NormFloat64()))
}

// residual returns how much longer a busy point stays busy: the rest of a service time at least as long
// as what has passed (the distribution's tail beyond it).
func (f *future) residual(rng *rand.Rand, b Busy) time.Duration {
	if f.fallback {
		return time.Duration(rng.ExpFloat64() * float64(f.s.Fallback))
	}
	d := f.dists[b.Level.Rank()]
	if b.Elapsed <= 0 {
		return time.Duration(math.Exp(d.mu + d.sigma*rng.NormFloat64()))
	}
	// Inverse transform on the tail: u uniform over (Φ(z₀), 1), z = Φ⁻¹(u), where z₀ is the elapsed
	// time's standard score. Written with erfc so a far tail keeps its precision.
	z0 := (math.Log(float64(b.Elapsed)) - d.mu) / d.sigma
	tail := math.Erfc(z0/math.Sqrt2) / 2 // 1 − Φ(z₀)
	if tail < 1e-12 {
		// Far beyond anything the distribution expects: say the rest takes about a typical service.
		return time.Duration(rng.ExpFloat64() * math.Exp(d.mu))
	}
	v := tail * (1 - rng.Float64()) // 1 − u, in (0, tail]
	z := math.Sqrt2 * math.Erfcinv(2*v)
	return max(time.Duration(math.Exp(d.mu+d.sigma*z))-b.Elapsed, 0)
}
