package queue

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestFitLogNormal checks that the service-time fit finds the log-normal distribution behind a
// sample, whatever wild values the records add, and is as precise as the sample allows.
func TestFitLogNormal(t *testing.T) {
	t.Parallel()
	const mu, sigma = 2.6, 0.7 // a median of 13.5 min, a coefficient of variation of 0.8
	sample := func(seed uint64, n int, spoil func(*rand.Rand, time.Duration) time.Duration) []time.Duration {
		rng := rand.New(rand.NewPCG(seed, 1))
		ds := make([]time.Duration, n)
		for i := range ds {
			ds[i] = time.Duration(math.Exp(mu+sigma*rng.NormFloat64()) * float64(time.Minute))
			if spoil != nil {
				ds[i] = spoil(rng, ds[i])
			}
		}
		return ds
	}
	logMinute := math.Log(float64(time.Minute))
	for _, tc := range []struct {
		name  string
		n     int
		spoil func(*rand.Rand, time.Duration) time.Duration
		// tolerances on mu and sigma
		muTol, sigmaTol float64
	}{
		{name: "Clean", n: 2000, muTol: 0.05, sigmaTol: 0.04},
		{name: "CompletionsClickedHoursLate", n: 2000, muTol: 0.05, sigmaTol: 0.04,
			spoil: func(rng *rand.Rand, d time.Duration) time.Duration {
				if rng.Float64() < 0.02 {
					return d + 2*time.Hour + time.Duration(rng.IntN(120))*time.Minute
				}
				return d
			}},
		{name: "QuickClicksJustOverAMinute", n: 2000, muTol: 0.08, sigmaTol: 0.06,
			spoil: func(rng *rand.Rand, d time.Duration) time.Duration {
				if rng.Float64() < 0.03 {
					return time.Minute + time.Duration(rng.IntN(30))*time.Second
				}
				return d
			}},
		{name: "ASmallSample", n: 30, muTol: 0.35, sigmaTol: 0.25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for seed := range uint64(5) {
				f := fitLogNormal(sample(seed, tc.n, tc.spoil))
				require.InDelta(t, mu, f.mu-logMinute, tc.muTol, "seed %d", seed)
				require.InDelta(t, sigma, f.sigma, tc.sigmaTol, "seed %d", seed)
			}
		})
	}

}

// TestFitDoubt checks that logNormal.plausible plays the fit's doubt at the size it really has: over
// many samples of each size, the fenced fit's log-mean and log σ vary as logNormal.doubt says. A plain
// mean's and standard deviation's standard errors (σ ÷ √n, σ ÷ √(2n)), which the estimator played
// until this test, are 3 and 16 % short (the fences move with the sample) and fail it.
func TestFitDoubt(t *testing.T) {
	t.Parallel()
	t.Run("Derivation", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			name            string
			k               float64
			wantMu, wantSig float64
			tol             float64
		}{
			// Fences far out cut nothing and barely move anything: a plain mean and deviation.
			{"FarFencesArePlain", 6, 1, 1, 1e-6},
			// Tukey's: the fit's own doubt, 3 and 16 % more than plain.
			{"Tukey", fenceMultiple, 1.0318, 1.1595, 1e-3},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				m, s := fencedFitDoubt(tc.k)
				require.InDelta(t, tc.wantMu, m, tc.tol)
				require.InDelta(t, tc.wantSig, s, tc.tol)
			})
		}
	})
	const mu, sigma = 2.6, 0.7
	logMinute := math.Log(float64(time.Minute))
	for _, tc := range []struct {
		name   string
		n      int
		trials int
	}{
		{"HundredSamples", 100, 3000},
		{"ADayOfABusyDepartment", 430, 2000},
		{"AThousand", ServiceSamples, 1200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(uint64(tc.n), 11))
			ds := make([]time.Duration, tc.n)
			var sMu, sLogSigma float64
			for range tc.trials {
				for i := range ds {
					ds[i] = time.Duration(math.Exp(mu+sigma*rng.NormFloat64()) * float64(time.Minute))
				}
				f := fitLogNormal(ds)
				dMu, dLogSigma := f.mu-logMinute-mu, math.Log(f.sigma/sigma)
				sMu += dMu * dMu
				sLogSigma += dLogSigma * dLogSigma
			}
			seMu, seLogSigma := logNormal{mu: mu, sigma: sigma, n: tc.n}.doubt()
			measuredMu, measuredSigma := math.Sqrt(sMu/float64(tc.trials)), math.Sqrt(sLogSigma/float64(tc.trials))
			t.Logf("n=%d: log-mean %.4f measured, %.4f played; log σ %.4f measured, %.4f played",
				tc.n, measuredMu, seMu, measuredSigma, seLogSigma)
			// A standard deviation over T trials is itself uncertain by about 1 ÷ √(2T): 1.3–2 %.
			require.InDelta(t, 1, measuredMu/seMu, 0.06, "the log-mean's doubt")
			require.InDelta(t, 1, measuredSigma/seLogSigma, 0.07, "σ's doubt")
		})
	}
}

// TestArrivalRatesDoubt checks that each hour's learnt rate is played with the doubt its own check-ins
// leave: the hours ahead rest on a few dozen check-ins, not on the week's total.
func TestArrivalRatesDoubt(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	var week []Arrival
	for d := 1; d <= 7; d++ {
		for i := range 6 { // 6 check-ins between 10:00 and 11:00 each day, none later
			week = append(week, Arrival{At: now.Add(-time.Duration(d)*24*time.Hour + time.Duration(i*10)*time.Minute), Level: LevelStandard})
		}
	}
	for _, tc := range []struct {
		name   string
		ar     ArrivalRates
		hour   int
		wantSE float64
	}{
		// Hour 0: smoothed (2 × 42 + 0) ÷ 3, whose sum 84 has variance 4 × 42.
		{"LearntHourWithCheckIns", LearnArrivals(now, now.Add(-30*24*time.Hour), week), 0, math.Sqrt(4*42) / 84},
		// Hour 1: (42 + 0 + 0) ÷ 4: a sum of 42 with variance 42.
		{"LearntHourNextToThem", LearnArrivals(now, now.Add(-30*24*time.Hour), week), 1, 1 / math.Sqrt(42)},
		// Hour 5: no check-in near it: a rate of 0, which no factor changes.
		{"LearntHourWithout", LearnArrivals(now, now.Add(-30*24*time.Hour), week), 5, 0},
		{"KnownRates", NewArrivalRates([]float64{6}, [5]float64{0, 0, 0, 1, 0}), 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(1, 2))
			const n = 20000
			var sum, sq float64
			var scales []float64
			for range n {
				scales, _ = tc.ar.plausible(rng, scales)
				f := scales[tc.hour]
				sum += f
				l := math.Log(f) + tc.wantSE*tc.wantSE/2
				sq += l * l
			}
			require.InDelta(t, 1, sum/n, 0.03, "the rates themselves on average")
			require.InDelta(t, tc.wantSE, math.Sqrt(sq/n), 0.03*tc.wantSE+1e-9, "the spread of the log of the factor")
		})
	}
}

// TestArrivalDoubtHoldsAcrossHours checks that the hours' doubts move together as their learning makes
// them: the smoothing shares each hour's check-ins with its neighbours, so the rate over several hours,
// which is what a long wait depends on, is as uncertain as the raw counts behind it (independent
// hourly doubts made it about 0.6 times that). A flat rate rests on one count, so all its hours move
// as one. The level mix is played with its doubt too.
func TestArrivalDoubtHoldsAcrossHours(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	var week []Arrival
	for d := 1; d <= 7; d++ {
		for i := range 120 { // 10 check-ins an hour, 1 in 6 VERY_URGENT
			l := LevelStandard
			if i%6 == 0 {
				l = LevelVeryUrgent
			}
			week = append(week, Arrival{At: now.Add(-time.Duration(d)*24*time.Hour + time.Duration(i*6)*time.Minute), Level: l})
		}
	}
	learnt := LearnArrivals(now, now.Add(-30*24*time.Hour), week)
	// Hours 2 to 9 smooth the raw counts of hours 1 to 10 with weights ¼, ¾, 1 (six times), ¾, ¼: a
	// sum of 8 × 70 check-ins with variance 70 × (2 × 1/16 + 2 × 9/16 + 6).
	c := 70.0
	wantSE := math.Sqrt(c*(2.0/16+18.0/16+6)) / (8 * c)
	var recent []Arrival
	for i := range 20 {
		recent = append(recent, Arrival{At: now.Add(-time.Duration(i*5+1) * time.Minute), Level: LevelStandard})
	}
	flat := LearnArrivals(now, now.Add(-2*time.Hour), recent) // younger than a day
	require.Zero(t, flat.Days)
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 20000
	var sq, vu, vuSq float64
	var scales []float64
	for range n {
		var share [5]float64
		scales, share = learnt.plausible(rng, scales)
		var sum float64
		for h := 2; h <= 9; h++ {
			sum += scales[h]
		}
		l := math.Log(sum / 8)
		sq += l * l
		vu += share[LevelVeryUrgent.Rank()]
		vuSq += share[LevelVeryUrgent.Rank()] * share[LevelVeryUrgent.Rank()]
		scales, _ = flat.plausible(rng, scales)
		for _, f := range scales {
			require.Equal(t, scales[0], f, "a flat rate's hours move as one")
		}
	}
	require.InDelta(t, wantSE, math.Sqrt(sq/n), 0.1*wantSE, "the doubt of eight hours together")
	// 840 check-ins, 140 VERY_URGENT: a share of 1/6 with a binomial standard error.
	p := 1.0 / 6
	require.InDelta(t, p, vu/n, 0.003, "the mix on average")
	require.InDelta(t, math.Sqrt(p*(1-p)/840), math.Sqrt(vuSq/n-(vu/n)*(vu/n)), 0.1*math.Sqrt(p*(1-p)/840), "the mix's doubt")
}

// TestLevelsShareWhatTheyCannotTellAlone checks the service-time fit per triage level: a level with
// many samples keeps its own, one with a handful sits between its own and the overall one, one alone
// is the overall one.
func TestLevelsShareWhatTheyCannotTellAlone(t *testing.T) {
	t.Parallel()
	spread := func(n int, l Level, m time.Duration) []Occupancy {
		out := make([]Occupancy, n)
		for i := range out {
			z := -math.Sqrt2 * math.Erfcinv(2*(float64(i)+0.5)/float64(n))
			out[i] = Occupancy{Level: l, Took: time.Duration(float64(m) * math.Exp(0.6*z))}
		}
		return out
	}
	median := func(d *logNormal) time.Duration { return time.Duration(math.Exp(d.mu)) }
	mixed := append(append(spread(3, LevelImmediate, 40*time.Minute), spread(120, LevelStandard, 15*time.Minute)...),
		spread(80, LevelNonUrgent, 8*time.Minute)...)
	st := LearnServiceTimes(mixed)
	overall := time.Duration(math.Exp(st.fit.mu))

	t.Run("ManySamplesKeepTheirOwn", func(t *testing.T) {
		t.Parallel()
		require.InDelta(t, float64(15*time.Minute), float64(median(st.levelFit[LevelStandard.Rank()])), float64(30*time.Second))
		require.InDelta(t, float64(8*time.Minute), float64(median(st.levelFit[LevelNonUrgent.Rank()])), float64(30*time.Second))
	})
	t.Run("AHandfulIsPulledTowardTheRest", func(t *testing.T) {
		t.Parallel()
		im := st.levelFit[LevelImmediate.Rank()]
		require.Greater(t, median(im), overall+5*time.Minute, "IMMEDIATE's long visits count")
		require.Less(t, median(im), 40*time.Minute, "three samples are not taken at their word")
		require.Equal(t, st.fit.sigma, im.sigma, "too few to tell their own spread")
		require.Nil(t, st.levelFit[LevelUrgent.Rank()], "no sample: the overall fit")
	})
	t.Run("OneLevelIsTheOverallFit", func(t *testing.T) {
		t.Parallel()
		one := LearnServiceTimes(spread(50, LevelStandard, 15*time.Minute))
		require.Equal(t, [5]*logNormal{}, one.levelFit)
	})
}
