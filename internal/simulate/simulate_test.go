package simulate_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/simulate"
)

// short is the default department over two days of history and twelve scored hours: seconds, not
// minutes.
func short(load float64, seed uint64) simulate.Profile {
	p := simulate.DefaultProfile(load, seed)
	p.WarmUp, p.Hours = 48, 60
	return p
}

func TestRun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("SameProfileSameResult", func(t *testing.T) {
		t.Parallel()
		opts := simulate.Options{Policy: queue.PolicyTriage}
		a, err := simulate.Run(ctx, short(0.9, 4), opts)
		require.NoError(t, err)
		b, err := simulate.Run(ctx, short(0.9, 4), opts)
		require.NoError(t, err)
		require.Equal(t, a, b)
		require.NotEmpty(t, a.Outcomes)
		for _, o := range a.Outcomes {
			require.GreaterOrEqual(t, o.Wait, time.Duration(0), "every scored patient is called")
			require.Equal(t, queue.BasisHistory, o.Estimate.Basis, "after two days every estimate has history")
		}
	})

	t.Run("TheEstimatorBeatsTheFormulasItReplaces", func(t *testing.T) {
		t.Parallel()
		r, err := simulate.Run(ctx, short(0.9, 5), simulate.Options{Policy: queue.PolicyTriage})
		require.NoError(t, err)
		s := simulate.Summarize(r.Outcomes).All
		t.Logf("MAE %.2f bias %+.2f after the upper end %.2f; naive %.2f, previous %.2f",
			s.Estimate.MAE, s.Estimate.Bias, s.Estimate.AfterHigh, s.Naive.MAE, s.Previous.MAE)
		require.Less(t, s.Estimate.MAE, s.Naive.MAE)
		require.Less(t, s.Estimate.MAE, s.Previous.MAE)
		require.Less(t, math.Abs(s.Estimate.Bias), math.Abs(s.Previous.Bias))
		require.Less(t, s.Estimate.AfterHigh, 0.2)
	})

	t.Run("OrderingsSeeTheSamePatients", func(t *testing.T) {
		t.Parallel()
		var served []int
		for _, pol := range queue.Policies() {
			r, err := simulate.Run(ctx, short(0.95, 6), simulate.Options{Policy: pol, SkipEstimates: true})
			require.NoError(t, err)
			served = append(served, len(r.Outcomes))
			for _, o := range r.Outcomes {
				require.Zero(t, o.Estimate, "estimates skipped")
			}
		}
		require.Equal(t, served[0], served[1])
		require.Equal(t, served[0], served[2])
	})

	t.Run("TriageKeepsVeryUrgentWithinTargetFarMoreThanFIFO", func(t *testing.T) {
		t.Parallel()
		share := func(pol queue.Policy) float64 {
			r, err := simulate.Run(ctx, short(0.9, 7), simulate.Options{Policy: pol, SkipEstimates: true})
			require.NoError(t, err)
			return simulate.Summarize(r.Outcomes).Levels[1].WithinTarget
		}
		require.Greater(t, share(queue.PolicyTriage), share(queue.PolicyFIFO)+0.2)
	})

	t.Run("NoArrivalsIsAnEmptyResult", func(t *testing.T) {
		t.Parallel()
		for name, change := range map[string]func(*simulate.Profile){
			"ZeroLoad":  func(p *simulate.Profile) { p.Load = 0 },
			"NoHours":   func(p *simulate.Profile) { p.Shape = [24]float64{} },
			"NoLevels":  func(p *simulate.Profile) { p.Mix = [5]float64{} },
			"NightOnly": func(p *simulate.Profile) { p.Shape = [24]float64{3: 1}; p.WarmUp, p.Hours = 4, 10 },
		} {
			p := short(0.8, 1)
			change(&p)
			r, err := simulate.Run(ctx, p, simulate.Options{Policy: queue.PolicyTriage})
			require.NoError(t, err, name)
			require.Empty(t, r.Outcomes, name)
			s := simulate.Summarize(r.Outcomes)
			require.Zero(t, s.All.Patients, name)
			require.True(t, math.IsNaN(s.WorstVsBenchmark()), name)
		}
	})

	t.Run("ErrBadProfile", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			name   string
			change func(*simulate.Profile)
			field  string
			msg    string
		}{
			{"ZeroServicePoints", func(p *simulate.Profile) { p.Points = 0 }, "points", "at least 1 service point"},
			{"NegativeServicePoints", func(p *simulate.Profile) { p.Points = -4 }, "points", "at least 1 service point"},
			{"TooManyServicePoints", func(p *simulate.Profile) { p.Points = 100000 }, "points", "at most 500"},
			{"NoHours", func(p *simulate.Profile) { p.Hours = 0 }, "hours", "hours must be"},
			{"WarmUpLongerThanTheRun", func(p *simulate.Profile) { p.WarmUp = p.Hours }, "warmUp", "warm-up"},
			{"NegativeLoad", func(p *simulate.Profile) { p.Load = -0.5 }, "load", "0 or more"},
			{"NaNLoad", func(p *simulate.Profile) { p.Load = math.NaN() }, "load", "0 or more"},
			{"InfiniteLoad", func(p *simulate.Profile) { p.Load = math.Inf(1) }, "load", "0 or more"},
			{"AbsurdLoad", func(p *simulate.Profile) { p.Load = 40 }, "load", "absurd"},
			{"NegativeHourWeight", func(p *simulate.Profile) { p.Shape[5] = -1 }, "shape", "hour 5"},
			{"NaNShare", func(p *simulate.Profile) { p.Mix[2] = math.NaN() }, "mix", "URGENT"},
			{"SubMinuteService", func(p *simulate.Profile) { p.Service[0] = time.Second }, "service", "IMMEDIATE"},
			{"AbsurdSpread", func(p *simulate.Profile) { p.CV = 50 }, "cv", "spread"},
			{"ClicksOverOne", func(p *simulate.Profile) { p.Clicks = 0.7; p.Forgotten = 0.5 }, "clicks", "together"},
			{"TooManyArrivals", func(p *simulate.Profile) { p.Points = 500; p.Hours = 1400; p.WarmUp = 0 }, "load", "arrivals"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				p := short(0.8, 1)
				tc.change(&p)
				_, err := simulate.Run(ctx, p, simulate.Options{Policy: queue.PolicyTriage})
				require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), "%v", err)
				require.Contains(t, cqerr.MessageOf(err), tc.msg)
				var ce *cqerr.Error
				require.ErrorAs(t, err, &ce)
				require.Equal(t, tc.field, ce.Field)
			})
		}
	})

	t.Run("ErrUnknownOrdering", func(t *testing.T) {
		t.Parallel()
		_, err := simulate.Run(ctx, short(0.8, 1), simulate.Options{Policy: "LIFO"})
		require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err))
		require.Contains(t, cqerr.MessageOf(err), "LIFO")
	})

	t.Run("StopsWhenCancelled", func(t *testing.T) {
		t.Parallel()
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := simulate.Run(cctx, simulate.DefaultProfile(0.95, 1), simulate.Options{Policy: queue.PolicyTriage})
		require.ErrorIs(t, err, context.Canceled)
	})
}

func TestStudy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("TablesAndCSVLabelEveryCell", func(t *testing.T) {
		t.Parallel()
		st := simulate.Study{Base: short(0, 1), Loads: []float64{0, 0.8}, Policies: []queue.Policy{queue.PolicyTriage, queue.PolicyTriageDeadlineAware},
			Seeds: []uint64{1, 2}, SkipEstimates: true}
		cells, err := st.Run(ctx)
		require.NoError(t, err)
		require.Len(t, cells, 4)
		var text, csv bytes.Buffer
		require.NoError(t, simulate.WriteText(&text, cells, false))
		require.NoError(t, simulate.WriteCSV(&csv, cells))
		out := text.String()
		require.Contains(t, out, "load 0.00 · TRIAGE · 0 scored patients (0 arrivals)\n  no patients: the profile has no arrivals in the scored hours")
		require.Contains(t, out, "load 0.80 · TRIAGE_DEADLINE_AWARE")
		require.Contains(t, out, "VERY_URGENT")
		require.NotContains(t, out, "MAE", "estimates were skipped")
		lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
		require.Len(t, lines, 1+4*6)
		require.True(t, strings.HasPrefix(lines[0], "load,ordering,level,patients,within_target"))
		require.True(t, strings.HasPrefix(lines[1], "0.0000,TRIAGE,IMMEDIATE,0,"))
	})

	t.Run("ErrNothingToRun", func(t *testing.T) {
		t.Parallel()
		for _, st := range []simulate.Study{
			{Base: short(0.8, 1), Policies: []queue.Policy{queue.PolicyTriage}, Seeds: []uint64{1}},
			{Base: short(0.8, 1), Loads: []float64{0.8}, Seeds: []uint64{1}},
			{Base: short(0.8, 1), Loads: []float64{0.8}, Policies: []queue.Policy{queue.PolicyTriage}},
		} {
			_, err := st.Run(ctx)
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err))
		}
	})
}

func TestFromDemand(t *testing.T) {
	t.Parallel()
	var took []queue.Occupancy
	for i := range 40 {
		took = append(took, queue.Occupancy{Level: queue.LevelStandard, Took: time.Duration(10+i%10) * time.Minute})
	}
	demand := func() *queue.Demand {
		d := &queue.Demand{QueueName: "Minors", Targets: queue.DefaultTargets(), Days: 14, Mix: [5]float64{0, 10, 40, 100, 50},
			Service: queue.LearnServiceTimes(took), OpenPoints: 2}
		d.PerHour[10], d.PerHour[14] = 3, 1 // 4 a day
		return d
	}

	t.Run("ReplaysTheQueuesOwnDemand", func(t *testing.T) {
		t.Parallel()
		p, err := simulate.FromDemand(demand(), 0)
		require.NoError(t, err)
		require.Equal(t, 2, p.Points)
		require.Equal(t, demand().Mix, p.Mix)
		require.Equal(t, 3.0, p.Shape[10])
		require.Equal(t, 14500*time.Millisecond*60, p.Service[3], "the mean of 10 to 19 minutes")
		require.InDelta(t, 4.0/24*14.5/60/2, p.Load, 1e-9, "4 a day of 14.5 minutes on 2 points")
		require.NoError(t, p.Validate())
		p.WarmUp, p.Hours = 24, 48
		r, err := simulate.Run(context.Background(), p, simulate.Options{Policy: queue.PolicyTriage})
		require.NoError(t, err)
		require.NotEmpty(t, r.Outcomes)
	})

	t.Run("PointsOverride", func(t *testing.T) {
		t.Parallel()
		p, err := simulate.FromDemand(demand(), 1)
		require.NoError(t, err)
		require.Equal(t, 1, p.Points)
	})

	t.Run("ErrNothingToLearnFrom", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			change func(*queue.Demand)
			msg    string
		}{
			{func(d *queue.Demand) { d.Mix = [5]float64{} }, `queue "Minors" has no check-ins to replay (its history read covers 14 days)`},
			{func(d *queue.Demand) { d.Service = queue.ServiceTimes{} }, "no service of a minute or more"},
			{func(d *queue.Demand) { d.OpenPoints = 0 }, "no open service point"},
			{func(d *queue.Demand) { d.Days = 0.2; d.Mix = [5]float64{} }, "covers less than a day"},
		} {
			d := demand()
			tc.change(d)
			_, err := simulate.FromDemand(d, 0)
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err))
			require.ErrorContains(t, err, tc.msg)
		}
	})
}
