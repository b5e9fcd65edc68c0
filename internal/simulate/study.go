package simulate

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

// Study is a set of replays: every load under every policy, each over every seed, the seeds' outcomes
// pooled. Base gives everything else (its Load and Seed are replaced).
type Study struct {
	Base     Profile
	Loads    []float64
	Policies []queue.Policy
	Seeds    []uint64
	// Escalation, Estimator, SkipEstimates and TrueRates are as in Options.
	Escalation    float64
	Estimator     queue.Estimator
	SkipEstimates bool
	TrueRates     bool
	// Staffing also finds each cell's service points needed per hour of the day (Staff).
	Staffing bool
	// Done, when set, hears about each cell as it completes (progress for people waiting).
	Done func(Cell)
}

// Cell is one load under one policy, its seeds pooled.
type Cell struct {
	Load     float64
	Policy   queue.Policy
	Arrivals int
	Summary  Summary
	// Staffing is set when Study.Staffing asked for it.
	Staffing *Staffing
}

// Run replays the study, cell by cell. Errors: BAD_USER_INPUT (nothing to run, or a bad profile,
// load or policy), the context's error.
func (st Study) Run(ctx context.Context) ([]Cell, error) {
	if len(st.Loads) == 0 || len(st.Policies) == 0 || len(st.Seeds) == 0 {
		return nil, cqerr.E(cqerr.BadUserInput, "a study needs at least one load, one ordering and one seed")
	}
	var cells []Cell
	for _, load := range st.Loads {
		for _, pol := range st.Policies {
			c := Cell{Load: load, Policy: pol}
			var outs []Outcome
			var err error
			for _, seed := range st.Seeds {
				p := st.Base
				p.Load, p.Seed = load, seed
				var r *Replay
				r, err = Run(ctx, p, Options{Policy: pol, Escalation: st.Escalation, Estimator: st.Estimator,
					SkipEstimates: st.SkipEstimates, TrueRates: st.TrueRates})
				if err != nil {
					return nil, err
				}
				c.Arrivals += r.Arrivals
				outs = append(outs, r.Outcomes...)
			}
			c.Summary = Summarize(outs)
			if st.Staffing {
				p := st.Base
				p.Load = load
				if c.Staffing, err = Staff(ctx, p, Options{Policy: pol, Escalation: st.Escalation}, st.Seeds, 0); err != nil {
					return nil, err
				}
			}
			cells = append(cells, c)
			if st.Done != nil {
				st.Done(c)
			}
		}
	}
	return cells, nil
}

// WriteText prints cells as tables, one per cell, for people.
func WriteText(w io.Writer, cells []Cell, estimates bool) error {
	pw := &errWriter{w: w}
	for _, c := range cells {
		s := c.Summary
		pw.printf("load %.2f · %s · %d scored patients (%d arrivals)\n", c.Load, c.Policy, s.All.Patients, c.Arrivals)
		if s.All.Patients == 0 {
			pw.printf("  no patients: the profile has no arrivals in the scored hours\n\n")
			continue
		}
		pw.printf("  %-11s %5s %7s %6s %7s %7s %7s", "level", "n", "within", "/ATS", "median", "p90", "max")
		if estimates {
			pw.printf(" │ %6s %6s %6s %6s %6s │ %6s %6s │ %6s %6s", "MAE", "bias", ">high", "<low", "width", "naive", "bias", "prev", "bias")
		}
		pw.printf("\n")
		row := func(name string, l LevelSummary, bench bool) {
			vs := "     "
			if bench {
				vs = fmt.Sprintf("%5.2f", l.VsBenchmark)
			}
			pw.printf("  %-11s %5d %6.1f%% %6s %7s %7s %7s", name, l.Patients, 100*l.WithinTarget, vs,
				minutes(l.Median), minutes(l.P90), minutes(l.Max))
			if estimates {
				e := l.Estimate
				pw.printf(" │ %5.1f%% %+5.1f%% %5.1f%% %5.1f%% %6s │ %5.1f%% %+5.1f%% │ %5.1f%% %+5.1f%%",
					100*e.MAE, 100*e.Bias, 100*e.AfterHigh, 100*e.BeforeLow, minutes(e.Width),
					100*l.Naive.MAE, 100*l.Naive.Bias, 100*l.Previous.MAE, 100*l.Previous.Bias)
			}
			pw.printf("\n")
		}
		for r, l := range s.Levels {
			if l.Patients > 0 {
				row(string(queue.Levels()[r]), l, true)
			}
		}
		row("ALL", s.All, false)
		pw.printf("  worst level within target ÷ ATS benchmark (VERY_URGENT..NON_URGENT): %.2f\n", s.WorstVsBenchmark())
		if c.Staffing != nil {
			writeStaffing(pw, c.Staffing)
		}
		pw.printf("\n")
	}
	return pw.err
}

// writeStaffing prints the points needed per hour as three rows of 24 columns: "-" for an hour with
// nobody, ">N" for one that N points did not satisfy.
func writeStaffing(pw *errWriter, st *Staffing) {
	pw.printf("  service points needed to meet the ATS benchmarks, by hour of arrival (%d to %d points tried, the same all day):\n", st.Fewest, st.Most)
	pw.printf("  %-9s", "hour")
	for _, h := range st.Hours {
		pw.printf(" %3d", h.Hour)
	}
	pw.printf("\n  %-9s", "points")
	for _, h := range st.Hours {
		pw.printf(" %3s", h.needed(st))
	}
	pw.printf("\n  %-9s", "patients")
	for _, h := range st.Hours {
		pw.printf(" %3d", h.Patients)
	}
	pw.printf("\n")
}

// needed is the hour's answer in words: the count, "-" with nobody, ">Most" when not met.
func (h StaffingHour) needed(st *Staffing) string {
	switch {
	case h.Met:
		return strconv.Itoa(h.Needed)
	case h.Patients == 0:
		return "-"
	}
	return ">" + strconv.Itoa(st.Most)
}

// WriteCSV writes one row per cell and level (ALL included), for spreadsheets; then, when the cells
// have staffing, a blank line and a second table with one row per cell and hour of the day
// (load, ordering, hour, patients, points_needed — empty when not met —, met, fewest_tried, most_tried).
func WriteCSV(w io.Writer, cells []Cell) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"load", "ordering", "level", "patients", "within_target", "vs_ats", "median_min", "p90_min", "max_min",
		"mae_share", "bias_share", "after_high", "before_low", "width_min", "naive_mae_share", "naive_bias_share",
		"previous_mae_share", "previous_bias_share"})
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
	m := func(d time.Duration) string { return strconv.FormatFloat(d.Minutes(), 'f', 1, 64) }
	for _, c := range cells {
		write := func(name string, l LevelSummary) {
			e := l.Estimate
			_ = cw.Write([]string{f(c.Load), string(c.Policy), name, strconv.Itoa(l.Patients), f(l.WithinTarget), f(l.VsBenchmark),
				m(l.Median), m(l.P90), m(l.Max), f(e.MAE), f(e.Bias), f(e.AfterHigh), f(e.BeforeLow), m(e.Width),
				f(l.Naive.MAE), f(l.Naive.Bias), f(l.Previous.MAE), f(l.Previous.Bias)})
		}
		for r, l := range c.Summary.Levels {
			write(string(queue.Levels()[r]), l)
		}
		write("ALL", c.Summary.All)
	}
	cw.Flush()
	if err := cw.Error(); err != nil || !slices.ContainsFunc(cells, func(c Cell) bool { return c.Staffing != nil }) {
		return err
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	_ = cw.Write([]string{"load", "ordering", "hour", "patients", "points_needed", "met", "fewest_tried", "most_tried"})
	for _, c := range cells {
		if c.Staffing == nil {
			continue
		}
		for _, h := range c.Staffing.Hours {
			n := ""
			if h.Met {
				n = strconv.Itoa(h.Needed)
			}
			_ = cw.Write([]string{f(c.Load), string(c.Policy), strconv.Itoa(h.Hour), strconv.Itoa(h.Patients), n,
				strconv.FormatBool(h.Met), strconv.Itoa(c.Staffing.Fewest), strconv.Itoa(c.Staffing.Most)})
		}
	}
	cw.Flush()
	return cw.Error()
}

func minutes(d time.Duration) string {
	if d <= 0 {
		return "0"
	}
	return strconv.Itoa(int(math.Round(d.Minutes())))
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
