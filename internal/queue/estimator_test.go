package queue_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/queue"
)

var estT0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// services returns n service times of level l spread evenly (log-normally) around median m.
func services(n int, l queue.Level, m time.Duration) []queue.Occupancy {
	out := make([]queue.Occupancy, n)
	for i := range out {
		z := (float64(i) + 0.5) / float64(n) // evenly spaced quantiles
		out[i] = queue.Occupancy{Level: l, Took: time.Duration(float64(m) * math.Exp(0.6*normalQuantile(z)))}
	}
	return out
}

func normalQuantile(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }

// waitingAt builds waiting walk-ins with default targets, checked in m minutes relative to estT0.
func waitingAt(id string, l queue.Level, m int) queue.Entry {
	in := estT0.Add(time.Duration(m) * time.Minute)
	return queue.Entry{ID: id, Level: l, CheckedInAt: in, Deadline: queue.Deadline(in, nil, l, queue.DefaultTargets())}
}

// line returns n STANDARD patients checked in a minute apart, the first n minutes ago.
func line(n int) []queue.Entry {
	es := make([]queue.Entry, n)
	for i := range es {
		es[i] = waitingAt(fmt.Sprintf("s%02d", i), queue.LevelStandard, i-n)
	}
	return es
}

func busy(n int, elapsed time.Duration) []queue.Busy {
	out := make([]queue.Busy, n)
	for i := range out {
		out[i] = queue.Busy{Level: queue.LevelStandard, Elapsed: elapsed}
	}
	return out
}

// situation is a TRIAGE queue at estT0 with two busy rooms, 40 recent 15-minute-ish services and no
// arrivals expected; change what a case needs.
func situation(waiting []queue.Entry) queue.Situation {
	return queue.Situation{
		Order:   queue.Order{Policy: queue.PolicyTriage, Now: estT0, Targets: queue.DefaultTargets()},
		Waiting: waiting, Busy: busy(2, 5*time.Minute), OpenPoints: 2,
		Service: queue.LearnServiceTimes(services(40, queue.LevelStandard, 15*time.Minute)), Fallback: 10 * time.Minute,
	}
}

func TestEstimator(t *testing.T) {
	t.Parallel()
	est := queue.Estimator{Seed: 1}

	t.Run("EveryWaitingPatientGetsAWait", func(t *testing.T) {
		t.Parallel()
		s := situation(line(5))
		ws := est.Estimate(s)
		require.Len(t, ws, 5)
		prev := time.Duration(-1)
		for _, e := range s.Waiting { // in call order already
			w := ws[e.ID]
			require.Equal(t, queue.BasisHistory, w.Basis)
			require.True(t, w.HasRange())
			require.LessOrEqual(t, w.Low, w.Median, e.ID)
			require.LessOrEqual(t, w.Median, w.High, e.ID)
			require.Greater(t, w.Median, prev, "%s: later in line, longer wait", e.ID)
			prev = w.Median
		}
	})

	t.Run("EstimateOneMatchesEstimate", func(t *testing.T) {
		t.Parallel()
		s := situation(line(6))
		all := est.Estimate(s)
		one, ok := est.EstimateOne(s, "s03")
		require.True(t, ok)
		require.InDelta(t, float64(all["s03"].Median), float64(one.Median), float64(2*time.Minute))
		_, ok = est.EstimateOne(s, "nobody")
		require.False(t, ok)
	})

	t.Run("NextInLineWithAFreeRoomIsCalledNow", func(t *testing.T) {
		t.Parallel()
		s := situation(line(1))
		s.Busy = busy(1, 5*time.Minute) // one of the two rooms is free
		w := est.Estimate(s)["s00"]
		require.Zero(t, w.Median)
		require.Zero(t, w.High)
	})

	t.Run("NextInLineWithEveryRoomBusyIsNotToldZero", func(t *testing.T) {
		t.Parallel()
		w := est.Estimate(situation(line(1)))["s00"]
		require.Greater(t, w.Median, time.Minute, "the services under way take time to end")
		require.Less(t, w.Median, 15*time.Minute, "but one of two ends sooner than a whole service")
	})

	t.Run("MoreRoomsShortenTheWait", func(t *testing.T) {
		t.Parallel()
		s := situation(line(10))
		two := est.Estimate(s)["s09"]
		s.OpenPoints = 4
		four := est.Estimate(s)["s09"]
		require.Less(t, four.Median*3, two.Median*2, "twice the rooms, well under two thirds of the wait")
	})

	t.Run("LaterUrgentArrivalsDelayAStandardPatient", func(t *testing.T) {
		t.Parallel()
		s := situation([]queue.Entry{waitingAt("std", queue.LevelStandard, 0), waitingAt("vu", queue.LevelVeryUrgent, 0)})
		quiet := est.Estimate(s)
		s.Arrivals = queue.NewArrivalRates([]float64{4, 4, 4}, [5]float64{0, 1, 0, 0, 0}) // 4 VERY_URGENT an hour
		busyDay := est.Estimate(s)
		require.Greater(t, busyDay["std"].Median, quiet["std"].Median+10*time.Minute)
		require.InDelta(t, float64(quiet["vu"].Median), float64(busyDay["vu"].Median), float64(time.Minute),
			"nobody arriving later goes before a VERY_URGENT patient already waiting")
	})

	t.Run("LaterArrivalsNeverOvertakeInFIFO", func(t *testing.T) {
		t.Parallel()
		s := situation(line(4))
		s.Order.Policy = queue.PolicyFIFO
		few := queue.Estimator{Seed: 1, Runs: 50} // within the work budget either way
		quiet := few.Estimate(s)["s03"]
		s.Arrivals = queue.NewArrivalRates([]float64{30}, [5]float64{1, 1, 1, 1, 1})
		require.Equal(t, quiet, few.Estimate(s)["s03"])
	})

	t.Run("DeadlineAwareOrderIsPlayedWithTheClock", func(t *testing.T) {
		t.Parallel()
		// A STANDARD patient about to pass their target and an URGENT one well within theirs: under
		// TRIAGE the STANDARD one goes first (earlier deadline); under TRIAGE_DEADLINE_AWARE the URGENT
		// one does, once the STANDARD one is past target and not yet escalated.
		s := situation([]queue.Entry{waitingAt("std", queue.LevelStandard, -119), waitingAt("urg", queue.LevelUrgent, 0)})
		s.Busy = busy(2, 0)
		triage := est.Estimate(s)
		s.Order.Policy = queue.PolicyTriageDeadlineAware
		aware := est.Estimate(s)
		require.Less(t, triage["std"].Median, triage["urg"].Median)
		require.Less(t, aware["urg"].Median, aware["std"].Median)
	})

	t.Run("BreachRiskAndPrediction", func(t *testing.T) {
		t.Parallel()
		s := situation([]queue.Entry{waitingAt("late", queue.LevelUrgent, -59), waitingAt("fine", queue.LevelNonUrgent, 0)})
		ws := est.Estimate(s)
		require.Greater(t, ws["late"].BreachRisk, 0.5, "one minute left and both rooms busy")
		require.Less(t, ws["fine"].BreachRisk, 0.05)
		in, likely := ws["late"].PassesTarget(estT0, s.Waiting[0].Deadline)
		require.True(t, likely)
		require.Equal(t, time.Minute, in)
		in, likely = ws["fine"].PassesTarget(estT0, s.Waiting[1].Deadline)
		require.False(t, likely)
		require.Equal(t, 4*time.Hour, in)
	})

	t.Run("SameSituationSameAnswer", func(t *testing.T) {
		t.Parallel()
		s := situation(line(8))
		before := append([]queue.Entry(nil), s.Waiting...)
		first := est.Estimate(s)
		require.Equal(t, first, est.Estimate(s))
		require.Equal(t, before, s.Waiting, "input left alone")
	})

	t.Run("RangeInWholeMinutes", func(t *testing.T) {
		t.Parallel()
		w := queue.Wait{Median: 41*time.Minute + time.Second, Low: 30*time.Minute + 59*time.Second, High: 70*time.Minute + time.Second,
			Basis: queue.BasisHistory}
		lo, hi, ok := w.RangeMinutes()
		require.True(t, ok)
		require.Equal(t, []int{30, 71, 42}, []int{lo, hi, w.Minutes()})
		w.Basis = queue.BasisNotEnoughData
		_, _, ok = w.RangeMinutes()
		require.False(t, ok)
		require.Equal(t, int(math.MaxInt64/time.Minute), queue.Wait{Median: math.MaxInt64}.Minutes())
	})
}

func TestEstimatorWithoutEnoughData(t *testing.T) {
	t.Parallel()
	est := queue.Estimator{Seed: 1}

	for _, tc := range []struct {
		name    string
		change  func(*queue.Situation)
		basis   queue.Basis
		nonZero bool
	}{
		{"NoHistoryUsesTheConfiguredServiceTimeWithoutARange", func(s *queue.Situation) { s.Service = queue.ServiceTimes{} },
			queue.BasisNotEnoughData, true},
		{"TwoSamplesAreNotEnough", func(s *queue.Situation) {
			s.Service = queue.LearnServiceTimes(services(2, queue.LevelStandard, 15*time.Minute))
		}, queue.BasisNotEnoughData, true},
		{"SubMinuteClicksAreNoHistory", func(s *queue.Situation) {
			s.Service = queue.LearnServiceTimes([]queue.Occupancy{{Took: 20 * time.Second}, {Took: 5 * time.Second}, {Took: 59 * time.Second}, {Took: 0}})
		}, queue.BasisNotEnoughData, true},
		{"NoHistoryNoConfiguredTimeSaysNothing", func(s *queue.Situation) { s.Service, s.Fallback = queue.ServiceTimes{}, 0 },
			queue.BasisNotEnoughData, false},
		{"NoOpenRoomHasNoRange", func(s *queue.Situation) { s.OpenPoints = 0 }, queue.BasisNoOpenPoint, true},
		{"NegativeRoomsCountAsNone", func(s *queue.Situation) { s.OpenPoints = -3 }, queue.BasisNoOpenPoint, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := situation(line(3))
			tc.change(&s)
			w := est.Estimate(s)["s02"]
			require.Equal(t, tc.basis, w.Basis)
			require.False(t, w.HasRange())
			require.Zero(t, w.Low)
			require.Zero(t, w.High)
			require.Equal(t, tc.nonZero, w.Median > 0)
		})
	}

	t.Run("NobodyWaiting", func(t *testing.T) {
		t.Parallel()
		require.Empty(t, est.Estimate(situation(nil)))
	})

	t.Run("AbsurdLinesEndQuickly", func(t *testing.T) {
		t.Parallel()
		s := situation(line(3000))
		s.OpenPoints = 1
		s.Arrivals = queue.NewArrivalRates([]float64{math.Inf(1), math.NaN(), -5}, [5]float64{1, 1, math.NaN(), -1, 1})
		start := time.Now()
		ws := est.Estimate(s)
		require.Less(t, time.Since(start), 20*time.Second)
		require.Len(t, ws, 3000)
		require.Equal(t, 12*time.Hour, ws["s2999"].Median, "not called within the horizon: the horizon")
	})
}

// TestEstimatorIsCalibrated plays a FIFO queue whose truth is known (log-normal services, four rooms,
// services under way length-biased as a renewal process leaves them), learning the service times from
// 100 samples as the read side would: the range's upper end should be passed about 1 time in 10 and
// the median should neither under- nor over-promise much on average. Measured: 12.9 % after the upper
// end, 20.4 % before the lower end, −3.5 % signed error. Told the true distribution, 10.8 % after the
// upper end; learning from 1,000 samples, 9.0 %. Playing the fit's doubt at its derived size (TestFitDoubt)
// rather than a plain mean's and deviation's left the 12.9 % where it was: what is left with 100 samples
// is not the size of that doubt (docs/ESTIMATES.md).
func TestEstimatorIsCalibrated(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	sigma := math.Sqrt(math.Log1p(0.64))
	mu := math.Log(float64(20*time.Minute)) - sigma*sigma/2
	draw := func() time.Duration { return time.Duration(math.Exp(mu + sigma*rng.NormFloat64())) }
	const trials = 1500
	after, below := 0, 0
	var signed, total float64
	for trial := range trials {
		recent := make([]queue.Occupancy, 100)
		for i := range recent {
			recent[i] = queue.Occupancy{Level: queue.LevelStandard, Took: draw()}
		}
		var bs []queue.Busy
		var free []time.Duration
		for range 4 {
			var took time.Duration
			for took = draw(); rng.Float64() > float64(took)/float64(4*time.Hour); took = draw() {
			}
			elapsed := time.Duration(rng.Float64() * float64(took))
			bs = append(bs, queue.Busy{Level: queue.LevelStandard, Elapsed: elapsed})
			free = append(free, took-elapsed)
		}
		k := 1 + rng.IntN(24)
		s := situation(line(k))
		s.Order.Policy, s.Busy, s.OpenPoints, s.Service = queue.PolicyFIFO, bs, 4, queue.LearnServiceTimes(recent)
		w, _ := queue.Estimator{Seed: uint64(trial)}.EstimateOne(s, s.Waiting[k-1].ID)
		var called time.Duration
		for range k {
			i := 0
			for j := range free {
				if free[j] < free[i] {
					i = j
				}
			}
			called = free[i]
			free[i] += draw()
		}
		if called > w.High {
			after++
		}
		if called < w.Low {
			below++
		}
		signed += float64(w.Median - called)
		total += float64(called)
	}
	t.Logf("after the upper end %.3f, before the lower end %.3f, mean signed error %+.3f of the mean wait",
		float64(after)/trials, float64(below)/trials, signed/total)
	require.InDelta(t, 0.10, float64(after)/trials, 0.05)
	require.InDelta(t, 0.20, float64(below)/trials, 0.05)
	require.InDelta(t, 0, signed/total, 0.06, "the median of a right-skewed wait sits a little below its mean")
}

func TestLearnServiceTimes(t *testing.T) {
	t.Parallel()

	t.Run("DropsClicksAndForgottenCompletions", func(t *testing.T) {
		t.Parallel()
		clean := services(60, queue.LevelStandard, 15*time.Minute)
		dirty := append([]queue.Occupancy{{Level: queue.LevelStandard, Took: 10 * time.Second}, {Level: queue.LevelStandard, Took: 0},
			{Level: queue.LevelStandard, Took: -time.Hour}, {Level: queue.LevelStandard, Took: 3 * time.Hour}}, clean...)
		a, b := queue.LearnServiceTimes(clean), queue.LearnServiceTimes(dirty)
		require.Equal(t, 60, b.Samples())
		require.Equal(t, a.Mean(), b.Mean())
	})

	t.Run("MostRecentFirstAndBounded", func(t *testing.T) {
		t.Parallel()
		recent := services(queue.ServiceSamples+100, queue.LevelUrgent, 20*time.Minute)
		require.Equal(t, queue.ServiceSamples, queue.LearnServiceTimes(recent).Samples())
	})

	t.Run("FewSamplesAreKeptAsTheyAre", func(t *testing.T) {
		t.Parallel()
		st := queue.LearnServiceTimes([]queue.Occupancy{{Took: 2 * time.Minute}, {Took: 4 * time.Hour}, {Took: 6 * time.Minute}})
		require.Equal(t, 3, st.Samples(), "no fence below four samples")
		require.Equal(t, (2*time.Minute+4*time.Hour+6*time.Minute)/3, st.Mean())
	})

	t.Run("NoneIsZero", func(t *testing.T) {
		t.Parallel()
		st := queue.LearnServiceTimes(nil)
		require.Zero(t, st.Samples())
		require.Zero(t, st.Mean())
	})

	t.Run("LevelsKeepTheirOwnTimes", func(t *testing.T) {
		t.Parallel()
		// Forty quick NON_URGENT visits and forty long URGENT ones: a waiting URGENT patient ahead
		// takes longer than a NON_URGENT one in the same place.
		mixed := append(services(40, queue.LevelNonUrgent, 5*time.Minute), services(40, queue.LevelUrgent, 40*time.Minute)...)
		est := queue.Estimator{Seed: 3}
		at := func(l queue.Level) time.Duration {
			s := situation([]queue.Entry{waitingAt("ahead", l, -1), waitingAt("me", queue.LevelNonUrgent, 0)})
			s.Order.Policy, s.Busy, s.OpenPoints, s.Service = queue.PolicyFIFO, nil, 1, queue.LearnServiceTimes(mixed)
			return est.Estimate(s)["me"].Median
		}
		require.Greater(t, at(queue.LevelUrgent), 4*at(queue.LevelNonUrgent))
	})
}

func TestLearnArrivals(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	// every day of the last week: 6 check-ins between 10:00 and 11:00, one in five VERY_URGENT, and
	// nothing afterwards.
	var week []queue.Arrival
	for d := 1; d <= 7; d++ {
		for i := range 6 {
			l := queue.LevelStandard
			if i == 0 {
				l = queue.LevelVeryUrgent
			}
			week = append(week, queue.Arrival{At: now.Add(-time.Duration(d)*day + time.Duration(i*10)*time.Minute), Level: l})
		}
	}
	total := func(ar queue.ArrivalRates, h int) float64 {
		var sum float64
		for _, l := range queue.Levels() {
			sum += ar.PerHour(h, l)
		}
		return sum
	}

	t.Run("SameHoursOfTheLastWeek", func(t *testing.T) {
		t.Parallel()
		ar := queue.LearnArrivals(now, now.Add(-30*day), week)
		require.Equal(t, 7, ar.Days)
		require.InDelta(t, 6*2.0/3, total(ar, 0), 1e-9, "smoothed with the next hour: (2×6 + 0) ÷ 3")
		require.InDelta(t, 6*1.0/4, total(ar, 1), 1e-9)
		require.Zero(t, total(ar, 5))
		require.InDelta(t, total(ar, 0)/6, ar.PerHour(0, queue.LevelVeryUrgent), 1e-9)
		require.InDelta(t, total(ar, 5), total(ar, 100), 1e-9, "beyond the horizon: the last hour")
	})

	t.Run("OnlyDaysTheQueueExisted", func(t *testing.T) {
		t.Parallel()
		ar := queue.LearnArrivals(now, now.Add(-2*day-time.Hour), week)
		require.Equal(t, 2, ar.Days)
		require.InDelta(t, 6*2.0/3, total(ar, 0), 1e-9, "two days of six, averaged over two days")
	})

	t.Run("ANewQueueUsesItsLastHours", func(t *testing.T) {
		t.Parallel()
		recent := []queue.Arrival{{At: now.Add(-90 * time.Minute)}, {At: now.Add(-30 * time.Minute)}, {At: now.Add(-time.Minute)},
			{At: now.Add(-5 * time.Hour)}, {At: now.Add(time.Minute)}} // outside the last three hours: ignored
		ar := queue.LearnArrivals(now, now.Add(-2*time.Hour), recent)
		require.Zero(t, ar.Days)
		require.InDelta(t, 1.5, total(ar, 0), 1e-9, "3 in the 2 hours since it opened")
		require.InDelta(t, 1.5, total(ar, 11), 1e-9)
		opened := queue.LearnArrivals(now, now.Add(-5*time.Minute), []queue.Arrival{{At: now.Add(-time.Minute)}})
		require.InDelta(t, 1, total(opened, 0), 1e-9, "a queue opened minutes ago counts at least an hour")
	})

	t.Run("NoCheckInsExpectsNone", func(t *testing.T) {
		t.Parallel()
		ar := queue.LearnArrivals(now, now.Add(-30*day), nil)
		require.Zero(t, total(ar, 0))
		require.Equal(t, queue.ArrivalRates{Days: 7}, ar)
	})

	t.Run("WindowsCoverTheSameHoursOfEachDayAndTheLastThree", func(t *testing.T) {
		t.Parallel()
		ws := queue.ArrivalWindows(now)
		require.Len(t, ws, queue.ArrivalDays+1)
		require.Equal(t, queue.Window{From: now.Add(-day), To: now.Add(-day + queue.ArrivalHorizon)}, ws[0])
		require.Equal(t, queue.Window{From: now.Add(-3 * time.Hour), To: now}, ws[len(ws)-1])
	})
}
