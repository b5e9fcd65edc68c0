package simulate

import (
	"math"
	"slices"
	"time"

	"github.com/carequeue/carequeue/internal/queue"
)

// ATSBenchmark is the Australasian Triage Scale's performance benchmark per level, most urgent first:
// the share of patients to be seen within target (IMMEDIATE 100 %, then 80, 75, 70 and 70 %).
var ATSBenchmark = [5]float64{1, 0.80, 0.75, 0.70, 0.70}

// Summary sums up outcomes per triage level and overall.
type Summary struct {
	Levels [5]LevelSummary // most urgent first
	All    LevelSummary
}

// LevelSummary is what one level's patients (or all of them) had and were told.
type LevelSummary struct {
	Patients int
	// WithinTarget is the share called by their deadline; VsBenchmark that share ÷ the ATS benchmark
	// (1 or more meets it; not set for All).
	WithinTarget, VsBenchmark float64
	Mean, Median, P90, Max    time.Duration
	// Estimate is the estimator's accuracy; Naive and Previous the two formulas'.
	Estimate, Naive, Previous Accuracy
}

// Accuracy measures estimates given at check-in, in the whole minutes patients are shown, against the
// waits that followed.
type Accuracy struct {
	// MAE is the mean absolute error as a share of the mean actual wait; Bias the mean signed error as
	// such a share (negative: patients were told too little).
	MAE, Bias float64
	// Ranged is how many estimates had a range; AfterHigh the share of those called after its upper
	// end, BeforeLow before its lower end; Width the median width of the range.
	Ranged               int
	AfterHigh, BeforeLow float64
	Width                time.Duration
}

// Summarize sums up outcomes (for example those of several seeds together).
func Summarize(outs []Outcome) Summary {
	var s Summary
	var byLevel [5][]Outcome
	for _, o := range outs {
		r := o.Level.Rank()
		byLevel[r] = append(byLevel[r], o)
	}
	for r, os := range byLevel {
		s.Levels[r] = summarize(os)
		if s.Levels[r].Patients > 0 {
			s.Levels[r].VsBenchmark = s.Levels[r].WithinTarget / ATSBenchmark[r]
		}
	}
	s.All = summarize(outs)
	return s
}

// WorstVsBenchmark is the lowest share within target ÷ ATS benchmark over the levels VERY_URGENT to
// NON_URGENT that had patients (IMMEDIATE patients are too few to rank); NaN with none.
func (s Summary) WorstVsBenchmark() float64 {
	worst := math.NaN()
	for r := 1; r < 5; r++ {
		if l := s.Levels[r]; l.Patients > 0 && (math.IsNaN(worst) || l.VsBenchmark < worst) {
			worst = l.VsBenchmark
		}
	}
	return worst
}

func summarize(os []Outcome) LevelSummary {
	l := LevelSummary{Patients: len(os)}
	if len(os) == 0 {
		return l
	}
	waits := make([]time.Duration, len(os))
	within := 0
	var total float64
	for i, o := range os {
		waits[i] = o.Wait
		total += float64(o.Wait)
		if o.Wait <= o.Target {
			within++
		}
	}
	slices.Sort(waits)
	l.WithinTarget = float64(within) / float64(len(os))
	l.Mean = time.Duration(total / float64(len(os)))
	l.Median, l.P90, l.Max = queue.Percentile(waits, 50), queue.Percentile(waits, 90), waits[len(waits)-1]
	l.Estimate = accuracy(os, total, func(o Outcome) time.Duration { return time.Duration(o.Estimate.Minutes()) * time.Minute }, true)
	l.Naive = accuracy(os, total, func(o Outcome) time.Duration { return o.Naive }, false)
	l.Previous = accuracy(os, total, func(o Outcome) time.Duration { return o.Previous }, false)
	return l
}

func accuracy(os []Outcome, totalWait float64, est func(Outcome) time.Duration, ranged bool) Accuracy {
	var a Accuracy
	var abs, signed float64
	var widths []time.Duration
	after, before := 0, 0
	for _, o := range os {
		d := float64(est(o) - o.Wait)
		abs += math.Abs(d)
		signed += d
		if lo, hi, ok := o.Estimate.RangeMinutes(); ranged && ok {
			low, high := time.Duration(lo)*time.Minute, time.Duration(hi)*time.Minute
			a.Ranged++
			widths = append(widths, high-low)
			if o.Wait > high {
				after++
			}
			if o.Wait < low {
				before++
			}
		}
	}
	if totalWait > 0 {
		a.MAE, a.Bias = abs/totalWait, signed/totalWait
	} else if abs > 0 {
		a.MAE, a.Bias = math.Inf(1), math.Copysign(math.Inf(1), signed)
	}
	if a.Ranged > 0 {
		a.AfterHigh, a.BeforeLow = float64(after)/float64(a.Ranged), float64(before)/float64(a.Ranged)
		a.Width = queue.Median(widths)
	}
	return a
}
