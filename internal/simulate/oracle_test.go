package simulate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carequeue/carequeue/internal/queue"
)

// oracleKnows says what an oracle predictor knows that the estimator cannot: the future arrivals
// (when and at which level), the service times (of those waiting, those still to arrive, and what is
// left of the services under way), or neither — then it knows only the profile's true model.
type oracleKnows struct{ arrivals, service bool }

// oracleWait is the median over futures of pt's wait (oracleFutures).
func oracleWait(e *engine, pt *patient, future []*patient, k oracleKnows, runs int, rng *rand.Rand) time.Duration {
	waits := oracleFutures(e, pt, future, k, runs, rng)
	return waits[(len(waits)-1)/2]
}

// oracleFutures are pt's waits over futures, sorted, played from the engine's state at pt's check-in
// with the true model (the profile's rates and service-time distributions) for whatever the oracle
// does not know. future are the arrivals after pt, in order.
func oracleFutures(e *engine, pt *patient, future []*patient, k oracleKnows, runs int, rng *rand.Rand) []time.Duration {
	p := e.p
	sigma := math.Sqrt(math.Log1p(p.CV * p.CV))
	draw := func(l queue.Level) time.Duration {
		mean := float64(p.Service[l.Rank()])
		return max(time.Duration(mean*math.Exp(sigma*rng.NormFloat64()-sigma*sigma/2)), 30*time.Second)
	}
	residual := func(l queue.Level, elapsed time.Duration) time.Duration {
		mu := math.Log(float64(p.Service[l.Rank()])) - sigma*sigma/2
		z0 := (math.Log(float64(max(elapsed, time.Second))) - mu) / sigma
		tail := math.Erfc(z0/math.Sqrt2) / 2
		if tail < 1e-12 {
			return time.Duration(rng.ExpFloat64() * math.Exp(mu))
		}
		v := tail * (1 - rng.Float64())
		z := math.Sqrt2 * math.Erfcinv(2*v)
		return max(time.Duration(math.Exp(mu+sigma*z))-elapsed, 0)
	}
	if k.arrivals && k.service {
		runs = 1
	}
	rate, shape := p.perHour(), p.shape()
	var mix [5]float64
	var msum float64
	for _, m := range p.Mix {
		msum += m
	}
	for i, m := range p.Mix {
		mix[i] = m / msum
	}
	waits := make([]time.Duration, 0, runs)
	horizon := e.now.Add(12 * time.Hour)
	for range runs {
		type job struct {
			en  queue.Entry
			svc time.Duration
		}
		free := make([]time.Time, len(e.servers))
		for i, s := range e.servers {
			switch {
			case s.patient == nil:
				free[i] = e.now
			case k.service:
				free[i] = s.until
			default:
				free[i] = e.now.Add(residual(s.patient.level, e.now.Sub(s.calledAt)))
			}
		}
		var line []job
		for _, w := range e.waiting {
			j := job{en: w}
			if k.service {
				j.svc = e.byID[w.ID].service
			} else {
				j.svc = draw(w.Level)
			}
			line = append(line, j)
		}
		// The arrivals of this future.
		var arr []job
		if k.arrivals {
			for _, f := range future {
				if f.arrival.After(horizon) {
					break
				}
				j := job{en: queue.Entry{ID: f.id, Level: f.level, CheckedInAt: f.arrival, Deadline: f.deadline}}
				if k.service {
					j.svc = f.service
				} else {
					j.svc = draw(f.level)
				}
				arr = append(arr, j)
			}
		} else {
			for t, n := e.now, 0; ; n++ {
				at, l, ok := nextArrival(rng, rate, &shape, &mix, t, horizon)
				if !ok {
					break
				}
				t = at
				arr = append(arr, job{en: queue.Entry{ID: "F" + strconv.Itoa(n), Level: l, CheckedInAt: t, Deadline: queue.Deadline(t, nil, l, p.Targets)}, svc: draw(l)})
			}
		}
		wait := 12 * time.Hour
	play:
		for {
			pi := 0
			for i := range free {
				if free[i].Before(free[pi]) {
					pi = i
				}
			}
			t := free[pi]
			if t.After(horizon) {
				break
			}
			for len(arr) > 0 && !arr[0].en.CheckedInAt.After(t) {
				line = append(line, arr[0])
				arr = arr[1:]
			}
			if len(line) == 0 {
				if len(arr) == 0 {
					break
				}
				free[pi] = arr[0].en.CheckedInAt
				continue
			}
			o := queue.Order{Policy: e.opts.Policy, Now: t, Targets: p.Targets, Escalation: e.opts.Escalation}
			best := 0
			for i := 1; i < len(line); i++ {
				if o.Compare(line[i].en, line[best].en) < 0 {
					best = i
				}
			}
			j := line[best]
			line = slices.Delete(line, best, best+1)
			if j.en.ID == pt.id {
				wait = t.Sub(e.now)
				break play
			}
			free[pi] = t.Add(j.svc)
		}
		waits = append(waits, wait)
	}
	slices.Sort(waits)
	return waits
}

// TestOracle measures what cannot be predicted at check-in (docs/ESTIMATES.md): it replays the
// synthetic department and, for every patient scored, predicts the wait with oracles that know the
// future arrivals, the service times, both, or neither (only the true model), next to the estimator.
// Slow; run it on demand:
//
//	CAREQUEUE_ORACLE='0.8 TRIAGE 1-4 [futures [every nth patient]]' go test ./internal/simulate -run TestOracle -v -timeout 2h
func TestOracle(t *testing.T) {
	load, policy, a, b, runs, every := oracleSpec(t, "CAREQUEUE_ORACLE")
	names := []string{"estimator", "model", "arrivals", "service", "both"}
	knows := []oracleKnows{{}, {arrivals: true}, {service: true}, {arrivals: true, service: true}}
	var abs, signed [5]float64
	var total float64
	var n int
	// Breakdowns of the estimator's and the model oracle's absolute error.
	type cell struct{ n, est, model, wait float64 }
	byLevel, byHour, byPos := map[string]*cell{}, map[int]*cell{}, map[int]*cell{}
	add := func(m map[int]*cell, k int, est, model, wait float64) {
		if m[k] == nil {
			m[k] = &cell{}
		}
		c := m[k]
		c.n++
		c.est += est
		c.model += model
		c.wait += wait
	}
	for seed := a; seed <= b; seed++ {
		p := DefaultProfile(load, uint64(seed))
		opts := Options{Policy: policy, Estimator: queue.Estimator{Seed: uint64(seed)}}
		r := &Replay{Profile: p, Options: opts}
		ps := arrivals(p)
		for _, pt := range ps {
			if pt.scored {
				pt.out = len(r.Outcomes)
				r.Outcomes = append(r.Outcomes, Outcome{Level: pt.level, Arrival: pt.arrival, Target: p.Targets.For(pt.level), Wait: -1})
			}
		}
		e := engine{p: p, opts: opts, r: r, servers: make([]server, p.Points), byID: make(map[string]*patient)}
		preds := make([][4]time.Duration, len(r.Outcomes))
		rng := rand.New(rand.NewPCG(uint64(seed), 77))
		left := len(r.Outcomes)
		for next := 0; left > 0; {
			s := e.nextFree()
			switch {
			case next < len(ps) && (s < 0 || !ps[next].arrival.After(e.servers[s].until)):
				pt := ps[next]
				e.arrive(pt)
				if pt.scored && pt.out%every == 0 {
					for i, k := range knows {
						preds[pt.out][i] = oracleWait(&e, pt, ps[next+1:], k, runs, rng)
					}
				}
				next++
			case s >= 0:
				e.complete(s)
			}
			left -= e.dispatch()
		}
		for i, o := range r.Outcomes {
			if i%every != 0 {
				continue
			}
			w := float64(o.Wait)
			total += w
			n++
			est := float64(time.Duration(o.Estimate.Minutes()) * time.Minute)
			all := [5]float64{est}
			for j := range 4 {
				all[j+1] = float64(preds[i][j])
			}
			for j, v := range all {
				abs[j] += math.Abs(v - w)
				signed[j] += v - w
			}
			ae, am := math.Abs(est-w), math.Abs(all[1]-w)
			lv := string(o.Level)
			if byLevel[lv] == nil {
				byLevel[lv] = &cell{}
			}
			byLevel[lv].n++
			byLevel[lv].est += ae
			byLevel[lv].model += am
			byLevel[lv].wait += w
			add(byHour, o.Arrival.Hour()/3*3, ae, am, w)
			add(byPos, min(o.Position/5*5, 40), ae, am, w)
		}
		t.Logf("seed %d done", seed)
	}
	fmt.Printf("load %.2f %s seeds %d-%d, %d patients, mean wait %.1f min, %d futures per oracle\n", load, policy, a, b, n, total/float64(n)/float64(time.Minute), runs)
	for j, name := range names {
		fmt.Printf("  %-10s MAE %5.1f %%  bias %+5.1f %%\n", name, 100*abs[j]/total, 100*signed[j]/total)
	}
	pr := func(title string, keys []string, get func(string) *cell) {
		fmt.Printf("  %s: share of all abs error (estimator / model), MAE ÷ mean wait (estimator / model), n, mean wait\n", title)
		for _, k := range keys {
			c := get(k)
			if c == nil {
				continue
			}
			fmt.Printf("    %-12s %5.1f / %5.1f %%   %5.1f / %5.1f %%   %6.0f  %6.1f min\n", k, 100*c.est/abs[0], 100*c.model/abs[1],
				100*c.est/c.wait, 100*c.model/c.wait, c.n, c.wait/c.n/float64(time.Minute))
		}
	}
	var lv []string
	for _, l := range queue.Levels() {
		lv = append(lv, string(l))
	}
	pr("by level", lv, func(k string) *cell { return byLevel[k] })
	ik := func(m map[int]*cell) ([]string, func(string) *cell) {
		var ks []int
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		var ss []string
		for _, k := range ks {
			ss = append(ss, strconv.Itoa(k))
		}
		return ss, func(s string) *cell { k, _ := strconv.Atoi(s); return m[k] }
	}
	ks, g := ik(byHour)
	pr("by hour of check-in (3 h from)", ks, g)
	ks, g = ik(byPos)
	pr("by position at check-in (5 from)", ks, g)
}

// TestOracleUpperEnd asks whether a share after the upper end above 1 in 10 on a set of seeds is the
// estimator's fault or those days': the true-model oracle's own upper end (the 90th percentile of its
// futures, picked as the estimator picks it) is passed as often as a calibrated range is on those
// days. Printed per seed next to the estimator's, over the same patients. Slow; run it on demand:
//
//	CAREQUEUE_ORACLE_HIGH='0.95 TRIAGE 11-20 [futures [every nth patient]]' go test ./internal/simulate -run TestOracleUpperEnd -v -timeout 2h
func TestOracleUpperEnd(t *testing.T) {
	load, policy, a, b, runs, every := oracleSpec(t, "CAREQUEUE_ORACLE_HIGH")
	var n, estAfter, modelAfter int
	for seed := a; seed <= b; seed++ {
		p := DefaultProfile(load, uint64(seed))
		opts := Options{Policy: policy, Estimator: queue.Estimator{Seed: uint64(seed)}}
		r := &Replay{Profile: p, Options: opts}
		ps := arrivals(p)
		for _, pt := range ps {
			if pt.scored {
				pt.out = len(r.Outcomes)
				r.Outcomes = append(r.Outcomes, Outcome{Level: pt.level, Arrival: pt.arrival, Target: p.Targets.For(pt.level), Wait: -1})
			}
		}
		e := engine{p: p, opts: opts, r: r, servers: make([]server, p.Points), byID: make(map[string]*patient)}
		high := make([]time.Duration, len(r.Outcomes))
		rng := rand.New(rand.NewPCG(uint64(seed), 78))
		left := len(r.Outcomes)
		for next := 0; left > 0; {
			s := e.nextFree()
			switch {
			case next < len(ps) && (s < 0 || !ps[next].arrival.After(e.servers[s].until)):
				pt := ps[next]
				e.arrive(pt)
				if pt.scored && pt.out%every == 0 {
					waits := oracleFutures(&e, pt, ps[next+1:], oracleKnows{}, runs, rng)
					high[pt.out] = waits[min(int(math.Ceil(0.9*float64(len(waits)+1)))-1, len(waits)-1)]
				}
				next++
			case s >= 0:
				e.complete(s)
			}
			left -= e.dispatch()
		}
		var sn, se, sm int
		for i, o := range r.Outcomes {
			_, h, ok := o.Estimate.RangeMinutes()
			if i%every != 0 || !ok {
				continue
			}
			sn++
			if o.Wait > time.Duration(h)*time.Minute {
				se++
			}
			if o.Wait > high[i] {
				sm++
			}
		}
		n, estAfter, modelAfter = n+sn, estAfter+se, modelAfter+sm
		fmt.Printf("seed %d: %d patients, after the upper end: estimator %.1f %%, true model %.1f %%\n", seed, sn, 100*float64(se)/float64(sn), 100*float64(sm)/float64(sn))
	}
	fmt.Printf("load %.2f %s seeds %d-%d, %d patients, %d futures: after the upper end: estimator %.1f %%, true model %.1f %%\n",
		load, policy, a, b, n, runs, 100*float64(estAfter)/float64(n), 100*float64(modelAfter)/float64(n))
}

// oracleSpec reads an oracle test's "load ordering seeds [futures [every nth patient]]" from env, or
// skips the test when env is unset.
func oracleSpec(t *testing.T, env string) (load float64, policy queue.Policy, a, b, runs, every int) {
	t.Helper()
	spec := os.Getenv(env)
	if spec == "" {
		t.Skip("set " + env + "='load ordering seeds' to run")
	}
	f := strings.Fields(spec)
	load, _ = strconv.ParseFloat(f[0], 64)
	policy = queue.Policy(f[1])
	lo, hi, _ := strings.Cut(f[2], "-")
	a, _ = strconv.Atoi(lo)
	b, _ = strconv.Atoi(hi)
	runs, every = 101, 1
	if len(f) > 3 {
		runs, _ = strconv.Atoi(f[3])
	}
	if len(f) > 4 {
		every, _ = strconv.Atoi(f[4])
	}
	return load, policy, a, b, runs, every
}
