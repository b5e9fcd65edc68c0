package queue

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// What the wait estimator learns from a queue's history, and how: service times robust to clicks and
// forgotten completions, and arrivals per level by time of day. Both are pure; the read side (read.go)
// and the simulator gather the same rows and hand them over.

const (
	// MinService is the shortest service time taken for a measurement: a call, start and complete
	// clicked within a minute records the clicks, not the care.
	MinService = time.Minute
	// ServiceHistory is how far back service times are learnt from: the week the arrival rates come
	// from too. A day's 200 services left the fit's scale uncertain by about 10 %, which at a daily peak
	// above capacity is a far larger error in how fast the line grows (docs/ESTIMATES.md).
	ServiceHistory = 7 * 24 * time.Hour
	// ServiceSamples is how many of the most recent service times the estimator keeps (about five days
	// of a busy emergency department).
	ServiceSamples = 1000
	// minLevelSamples is how many service times of one level it needs before using their spread and
	// fence for that level rather than those of every level (fewer still inform its mean, see shrink).
	minLevelSamples = 10
	// ArrivalDays is how many earlier days arrivals are learnt from, at the same time of day.
	ArrivalDays = 7
	// ArrivalHorizon is how far ahead arrival rates are learnt, in hours from now; later hours reuse
	// the last one.
	ArrivalHorizon = 12 * time.Hour
	arrivalHours   = int(ArrivalHorizon / time.Hour)
	// recentArrivals is the window a queue with no full earlier day learns a flat rate from.
	recentArrivals = 3 * time.Hour
	// maxArrivalsPerHour caps a rate (a busy emergency department sees 10 to 30 an hour), so a burst
	// of check-ins (a data import, a test) cannot make the estimator play thousands of arrivals.
	maxArrivalsPerHour = 60
)

// Occupancy is one finished ticket's time at a service point: from its (last) call to its end, whether
// completed, a no-show or transferred on.
type Occupancy struct {
	Level Level
	Took  time.Duration
}

// ServiceTimes are a queue's recent service times, cleaned of what does not measure care: times below
// MinService (call, start and complete clicked together) and times far out on the log scale (beyond the
// third quartile of log service times plus 1.5 interquartile ranges, Tukey's fence, taken per level
// when the level has minLevelSamples, else over all levels), which is where a "complete" clicked hours
// late lands while a genuinely long case rarely does. The zero value has no samples.
type ServiceTimes struct {
	all      []time.Duration // sorted
	byLevel  [5][]time.Duration
	mean     time.Duration
	fit      logNormal
	levelFit [5]*logNormal
}

// LearnServiceTimes cleans recent, most recent first (at most the first ServiceSamples are used).
func LearnServiceTimes(recent []Occupancy) ServiceTimes {
	var st ServiceTimes
	kept := make([]Occupancy, 0, min(len(recent), ServiceSamples))
	var all []time.Duration
	var byLevel [5][]time.Duration
	for _, o := range recent {
		if o.Took >= MinService {
			kept = append(kept, o)
			all = append(all, o.Took)
			byLevel[o.Level.Rank()] = append(byLevel[o.Level.Rank()], o.Took)
			if len(kept) == ServiceSamples {
				break
			}
		}
	}
	if len(kept) == 0 {
		return st
	}
	fence := logFence(all)
	var fences [5]time.Duration
	for r, ds := range byLevel {
		fences[r] = fence
		if len(ds) >= minLevelSamples {
			fences[r] = logFence(ds)
		}
	}
	var sum float64
	for _, o := range kept {
		r := o.Level.Rank()
		if o.Took > fences[r] {
			continue
		}
		st.all = append(st.all, o.Took)
		st.byLevel[r] = append(st.byLevel[r], o.Took)
		sum += float64(o.Took)
	}
	st.mean = time.Duration(sum / float64(len(st.all)))
	slices.Sort(st.all)
	st.fit = fitLogNormal(st.all)
	var own [5]*logNormal
	for r := range st.byLevel {
		slices.Sort(st.byLevel[r])
		if len(st.byLevel[r]) > 0 {
			f := fitLogNormal(st.byLevel[r])
			own[r] = &f
		}
	}
	st.levelFit = shrink(st.fit, own)
	return st
}

// shrink returns each level's distribution: its own fit pulled toward the fit over every level by as
// much as its few samples warrant (empirical Bayes). A level's own log-mean is trusted in proportion
// τ² ÷ (τ² + σ² ÷ n), where σ² ÷ n is its sampling variance and τ² how far levels' log-means really
// differ (what their spread around the overall one shows beyond sampling noise). So a level with a
// handful of samples — IMMEDIATE, 1 patient in 100, whose care lasts twice the average — is neither
// ignored for the overall mean nor taken at its noisy word. Its spread is its own with minLevelSamples,
// else the overall one. Levels without samples get the overall fit (nil).
func shrink(all logNormal, own [5]*logNormal) [5]*logNormal {
	var out [5]*logNormal
	var dev, noise float64
	levels := 0
	for _, f := range own {
		if f != nil {
			dev += (f.mu - all.mu) * (f.mu - all.mu)
			noise += muVariance(all.sigma, f.n)
			levels++
		}
	}
	if levels < 2 {
		return out // one level: its fit is the overall one
	}
	tau2 := max(dev/float64(levels)-noise/float64(levels), 0)
	for r, f := range own {
		if f == nil {
			continue
		}
		v := muVariance(all.sigma, f.n)
		w := tau2 / (tau2 + v)
		d := logNormal{mu: all.mu + w*(f.mu-all.mu), sigma: all.sigma, n: f.n}
		if f.n >= minLevelSamples {
			d.sigma = f.sigma
		}
		// The shrunk log-mean's variance, w v from the level's samples plus (1 − w)² of the overall
		// fit's, told to logNormal.plausible as a number of samples.
		variance := w*v + (1-w)*(1-w)*muVariance(all.sigma, all.n)
		d.n = max(int(math.Round(muVariance(d.sigma, 1)/variance)), 1)
		out[r] = &d
	}
	return out
}

// muVariance is the sampling variance of a fenced fit's log-mean over n samples of spread sigma.
func muVariance(sigma float64, n int) float64 {
	return fitDoubtMu * fitDoubtMu * sigma * sigma / float64(max(n, 1))
}

// logFence is Tukey's upper fence on the log scale, exp(q3 + 1.5 (q3 − q1)) of the logs: no limit
// below 4 samples.
func logFence(ds []time.Duration) time.Duration {
	n := len(ds)
	if n < 4 {
		return math.MaxInt64
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	q1, q3 := math.Log(float64(s[n/4])), math.Log(float64(s[(3*n)/4])) // both ≥ MinService, so positive
	f := math.Exp(q3 + fenceMultiple*(q3-q1))
	if f >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(f)
}

// Samples is how many service times were kept.
func (st ServiceTimes) Samples() int { return len(st.all) }

// Mean is the mean of the kept service times; 0 without any.
func (st ServiceTimes) Mean() time.Duration { return st.mean }

// logNormal is a log-normal service-time distribution: log service time ~ N(mu, sigma²), fitted to n
// samples.
type logNormal struct {
	mu, sigma float64
	n         int
}

// doubt returns the standard errors of d's log-mean and of log σ: a fenced fit's (fencedFitDoubt),
// fitDoubtMu σ ÷ √n and fitDoubtSigma ÷ √(2n), larger than a plain mean's and standard deviation's
// because the fences move with the sample.
func (d logNormal) doubt() (seMu, seLogSigma float64) {
	rootN := math.Sqrt(float64(max(d.n, 1)))
	return fitDoubtMu * d.sigma / rootN, fitDoubtSigma / (math.Sqrt2 * rootN)
}

// plausible returns a distribution as plausible as d given how few samples d was fitted to: mu and
// sigma each move by a draw of their standard error (doubt), mu less half its variance so that the
// median service time stays where it was on average. Playing each future with its own plausible
// distribution makes the range as wide as what the queue's history cannot tell.
func (d logNormal) plausible(rng *rand.Rand) logNormal {
	seMu, seSigma := d.doubt()
	d.mu += seMu*rng.NormFloat64() - seMu*seMu/2
	d.sigma *= math.Exp(seSigma*rng.NormFloat64() - seSigma*seSigma/2)
	return d
}

// priorSigma is the log-scale spread assumed for a handful of samples (a coefficient of variation of
// about 0.65), blended out as samples accumulate.
const priorSigma = 0.6

// fenceSD is the standard deviation of a normal distribution cut at Tukey's fences (±2.698 σ, where
// q1 − 1.5 IQR and q3 + 1.5 IQR fall) in units of the uncut one's: what fitLogNormal divides by.
const fenceSD = 0.97112

// fitLogNormal fits ds: mu and sigma are the mean and standard deviation of the logs that lie within
// Tukey's fences on the log scale (sigma corrected for the cut), which is as precise as a log-normal
// fit gets (the median and interquartile range it replaced need 1.6 and 2.7 times the samples for the
// same precision) while a wild value outside the fences moves neither. Below 4 samples there are no
// fences; below minLevelSamples sigma is blended with priorSigma.
func fitLogNormal(ds []time.Duration) logNormal {
	n := len(ds)
	logs := make([]float64, n)
	for i, d := range ds {
		logs[i] = math.Log(float64(d))
	}
	slices.Sort(logs)
	kept := logs
	if n >= 4 {
		q1, q3 := logs[n/4], logs[(3*n)/4]
		lo, hi := q1-fenceMultiple*(q3-q1), q3+fenceMultiple*(q3-q1)
		kept = slices.DeleteFunc(slices.Clone(logs), func(x float64) bool { return x < lo || x > hi })
	}
	var sum, ss float64
	for _, x := range kept {
		sum += x
	}
	mu := sum / float64(len(kept))
	for _, x := range kept {
		ss += (x - mu) * (x - mu)
	}
	sigma := priorSigma
	if n >= 4 && len(kept) >= 2 {
		sigma = math.Sqrt(ss/float64(len(kept)-1)) / fenceSD
	}
	if w := float64(n) / minLevelSamples; w < 1 {
		sigma = w*sigma + (1-w)*priorSigma
	}
	return logNormal{mu: mu, sigma: max(sigma, 0.05), n: len(kept)}
}

// plausible returns, for each level, a distribution to draw its service times from in one played
// future: the level's own fit when it has enough samples, else the fit over every level (levels sharing
// it share its draw), each moved by logNormal.plausible.
func (st ServiceTimes) plausible(rng *rand.Rand) [5]logNormal {
	var out [5]logNormal
	all := st.fit.plausible(rng)
	for r := range out {
		if f := st.levelFit[r]; f != nil {
			out[r] = f.plausible(rng)
		} else {
			out[r] = all
		}
	}
	return out
}

// Arrival is one check-in to a queue.
type Arrival struct {
	At    time.Time
	Level Level
}

// Window is a half-open span of time [From, To).
type Window struct{ From, To time.Time }

// ArrivalWindows are the spans whose check-ins LearnArrivals uses at now: the next ArrivalHorizon of
// each of the ArrivalDays previous days at the same time of day, and the last three hours.
func ArrivalWindows(now time.Time) []Window {
	ws := make([]Window, 0, ArrivalDays+1)
	for d := 1; d <= ArrivalDays; d++ {
		from := now.Add(-time.Duration(d) * 24 * time.Hour)
		ws = append(ws, Window{From: from, To: from.Add(ArrivalHorizon)})
	}
	return append(ws, Window{From: now.Add(-recentArrivals), To: now})
}

// ArrivalRates are the expected check-ins of a queue per hour ahead, split by level. The zero value
// expects none.
type ArrivalRates struct {
	perHour []float64 // total check-ins per hour, for each hour from now
	share   [5]float64
	// counts are the check-ins the learnt rates rest on, nil for known rates: over the earlier days,
	// those of each hour ahead before smoothing; for a flat rate (Days 0), the one count of the last
	// hours. levels are those of each level, which the share rests on. The futures play the doubt
	// these counts leave (plausible).
	counts []float64
	levels [5]float64
	// Days is how many earlier days the rates come from; 0 means a flat rate from the last hours (or,
	// with no check-in at all, none).
	Days int
}

// LearnArrivals learns the rates at now from history: the queue's check-ins in ArrivalWindows(now)
// (others are ignored). Only earlier days wholly after since (when the queue was created) count, so a
// new queue's empty past is not read as quiet days. The hourly rates are averaged over those days and
// lightly smoothed across neighbouring hours; the level mix is pooled over every window. With no such
// day the rate is the last three hours' (since when the queue is younger), flat. A since after now
// (clocks out of step) is ignored.
func LearnArrivals(now, since time.Time, history []Arrival) ArrivalRates {
	if since.After(now) {
		since = time.Time{} // a clock out of step: better every window than none
	}
	hours := arrivalHours
	var ar ArrivalRates
	counts := make([]float64, hours)
	var levels [5]float64
	var total float64
	ws := ArrivalWindows(now)
	days := ws[:ArrivalDays]
	for d, w := range days {
		if !w.From.Before(since) {
			ar.Days = max(ar.Days, d+1)
		}
	}
	recentFrom := now.Add(-recentArrivals)
	if since.After(recentFrom) {
		recentFrom = since
	}
	var recent float64
	for _, a := range history {
		if !a.At.Before(recentFrom) && a.At.Before(now) {
			recent++
			if ar.Days == 0 {
				levels[a.Level.Rank()]++
				total++
			}
			continue
		}
		for d, w := range days {
			if d < ar.Days && !a.At.Before(w.From) && a.At.Before(w.To) {
				counts[int(a.At.Sub(w.From)/time.Hour)]++
				levels[a.Level.Rank()]++
				total++
				break
			}
		}
	}
	if total == 0 {
		return ar
	}
	for l := range levels {
		ar.share[l] = levels[l] / total
	}
	ar.levels = levels
	ar.perHour = make([]float64, hours)
	if ar.Days == 0 {
		span := now.Sub(recentFrom).Hours()
		if span < 1 {
			span = 1 // a queue opened minutes ago: do not read three check-ins as dozens an hour
		}
		for h := range ar.perHour {
			ar.perHour[h] = min(recent/span, maxArrivalsPerHour)
		}
		ar.counts = []float64{recent}
		return ar
	}
	for h := range ar.perHour {
		ar.perHour[h] = min(smoothed(counts, h)/float64(ar.Days), maxArrivalsPerHour)
	}
	ar.counts = counts
	return ar
}

// smoothed is hour h of counts smoothed (1, 2, 1) ÷ 4 across neighbouring hours, the edges weighted by
// what they have.
func smoothed(counts []float64, h int) float64 {
	sum, weight := 2*counts[h], 2.0
	if h > 0 {
		sum, weight = sum+counts[h-1], weight+1
	}
	if h < len(counts)-1 {
		sum, weight = sum+counts[h+1], weight+1
	}
	return sum / weight
}

// PerHour returns the expected check-ins of level l in hour h from now (h ≥ the horizon reuses its
// last hour).
func (ar ArrivalRates) PerHour(h int, l Level) float64 {
	return ar.total(h) * ar.share[l.Rank()]
}

// plausible returns what one played future assumes of the arrivals, as plausible as the check-ins the
// rates were learnt from allow: in scales (reused) a factor for each hour's rate, and the level mix.
// Each count n behind them is drawn anew with its Poisson doubt (a relative error of 1 ÷ √n, mean n)
// and the rates and mix are learnt again from the drawn counts, smoothing included. Drawing the counts
// rather than each hour's rate keeps the doubts of neighbouring hours together as the smoothing makes
// them: a wait of several hours depends on the sum of their rates, which is as uncertain as the raw
// counts behind it, not as the far smaller average of independent hourly doubts. A flat rate rests on
// one count, so its hours move together. Known rates get factors of 1 and their mix.
func (ar ArrivalRates) plausible(rng *rand.Rand, scales []float64) ([]float64, [5]float64) {
	scales = scales[:0]
	share := ar.share
	if ar.counts == nil {
		for range ar.perHour {
			scales = append(scales, 1)
		}
		return scales, share
	}
	var sum float64
	for l, n := range ar.levels {
		share[l] = n * plausibleCount(rng, n)
		sum += share[l]
	}
	for l := range share {
		share[l] /= sum
	}
	if ar.Days == 0 {
		f := plausibleCount(rng, ar.counts[0])
		for range ar.perHour {
			scales = append(scales, f)
		}
		return scales, share
	}
	var drawn [arrivalHours]float64
	for h, n := range ar.counts {
		drawn[h] = n * plausibleCount(rng, n)
	}
	for h := range ar.counts {
		f := 1.0
		if learnt := smoothed(ar.counts, h); learnt > 0 {
			f = smoothed(drawn[:len(ar.counts)], h) / learnt
		}
		scales = append(scales, f)
	}
	return scales, share
}

// plausibleCount returns a factor for a count of n check-ins: log-normal with a mean of 1 and the
// relative error of a Poisson count, 1 ÷ √n (1 for none: what multiplies nothing does not matter).
func plausibleCount(rng *rand.Rand, n float64) float64 {
	if n <= 0 {
		return 1
	}
	se := 1 / math.Sqrt(n)
	return math.Exp(se*rng.NormFloat64() - se*se/2)
}

// expected is how many check-ins the rates expect over the horizon.
func (ar ArrivalRates) expected(horizon time.Duration) float64 {
	var n float64
	for h := range int(horizon / time.Hour) {
		n += ar.total(h)
	}
	return n
}

func (ar ArrivalRates) total(h int) float64 {
	if len(ar.perHour) == 0 {
		return 0
	}
	return ar.perHour[min(max(h, 0), len(ar.perHour)-1)]
}

// NewArrivalRates returns known rates rather than learnt ones: perHour[h] check-ins in hour h from now
// (later hours reuse the last), split by mix (weights of each level, most urgent first; scaled to a sum
// of 1). Negative, NaN or infinite values count as 0, and rates are capped like learnt ones.
func NewArrivalRates(perHour []float64, mix [5]float64) ArrivalRates {
	ok := func(f float64) float64 {
		if math.IsNaN(f) || f < 0 {
			return 0
		}
		return min(f, maxArrivalsPerHour)
	}
	var ar ArrivalRates
	var sum float64
	for l, m := range mix {
		ar.share[l] = ok(m)
		sum += ar.share[l]
	}
	if sum == 0 || len(perHour) == 0 {
		return ArrivalRates{}
	}
	for l := range ar.share {
		ar.share[l] /= sum
	}
	ar.perHour = make([]float64, len(perHour))
	for h, r := range perHour {
		ar.perHour[h] = ok(r)
	}
	return ar
}
