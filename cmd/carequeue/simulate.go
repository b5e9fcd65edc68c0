package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/simulate"
)

const simulateUsage = `usage: carequeue simulate [flags]
Replays a synthetic emergency department (4 service points, Manchester Triage mix, daily arrival peaks)
through CareQueue's orderings and wait estimator, and prints per triage level the share called within
target, waits (median, p90, max) and, per check-in estimate, the mean absolute and signed error as a
share of the mean wait, the share called after the upper end of the range, and the same for the naive
formula (position × mean service ÷ points) and the previous estimator. Then, per hour of the day,
how many service points the patients arriving in that hour need to meet the ATS benchmarks (80/75/70/70 %
within target, VERY_URGENT to NON_URGENT): the same patients replayed with 1, 2, … points open all day
(see simulate.Staff; --staffing=false skips it). --csv writes the level table, then a blank line and the
hour table. Needs no database, except with --queue, which replays a real queue's demand (configured as
for carequeue serve).
`

// simulateCmd runs `carequeue simulate`: a pure computation, which reads the configuration and the
// database only to learn a real queue's demand (--queue).
func simulateCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, simulateUsage); fs.PrintDefaults() }
	loads := fs.String("load", "0.8,0.9,0.95", "mean offered loads, comma-separated (arrivals × mean service ÷ points; peaks go higher)")
	orderings := fs.String("ordering", "TRIAGE,TRIAGE_DEADLINE_AWARE", "queue orderings to compare, comma-separated (TRIAGE, TRIAGE_DEADLINE_AWARE, FIFO)")
	seeds := fs.String("seeds", "1-3", "random seeds, pooled: a list (1,2,5) or a range (1-10)")
	points := fs.Int("points", 4, "service points, open all the time")
	hours := fs.Int("hours", 96, "scored hours")
	history := fs.Int("history", 168, "hours of history before them, not scored (what the estimator learns from)")
	escalation := fs.Float64("escalation", queue.DefaultEscalation, "TRIAGE_DEADLINE_AWARE: escalate after this multiple of the target")
	orderOnly := fs.Bool("orderings-only", false, "measure the orderings only, not the estimator (much faster)")
	trueRates := fs.Bool("true-rates", false, "tell the estimator the true arrival rates instead of learning them (analysis)")
	staffing := fs.Bool("staffing", true, "also find the service points needed per hour of the day (more replays, ordering only)")
	csvPath := fs.String("csv", "", "also write the table as CSV to this file (- for standard output)")
	queueID := fs.String("queue", "", "replay this queue's own demand (arrivals by hour, level mix, service times, targets, open points) instead of the synthetic department; needs the database")
	days := fs.Int("days", 28, "with --queue: how many days of its history to learn from")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("simulate takes flags only, not %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	st := simulate.Study{Base: simulate.DefaultProfile(0, 0), Escalation: *escalation, SkipEstimates: *orderOnly, TrueRates: *trueRates,
		Staffing: *staffing}
	st.Base.Points = *points
	title := "a synthetic emergency department"
	var err error
	if *queueID != "" {
		n := 0
		if set["points"] {
			n = *points
		}
		if st.Base, err = queueProfile(ctx, getenv, stdout, stderr, *queueID, *days, n); err != nil {
			return err
		}
		title = fmt.Sprintf("the last %d days of its demand", *days)
		if !set["load"] {
			*loads = strconv.FormatFloat(st.Base.Load, 'f', 3, 64)
		}
	}
	st.Base.WarmUp, st.Base.Hours = *history, *history+*hours
	if st.Loads, err = parseFloats(*loads); err != nil {
		return fmt.Errorf("--load: %w", err)
	}
	if st.Seeds, err = parseSeeds(*seeds); err != nil {
		return fmt.Errorf("--seeds: %w", err)
	}
	for _, o := range strings.Split(*orderings, ",") {
		p, err := queue.ParsePolicy(o)
		if err != nil {
			return fmt.Errorf("--ordering: %w", err)
		}
		st.Policies = append(st.Policies, p)
	}
	if *escalation < 1 || *escalation > 10 {
		return fmt.Errorf("--escalation must be from 1 to 10 (got %v)", *escalation)
	}
	if *hours < 1 || *history < 0 {
		return fmt.Errorf("--hours must be 1 or more and --history 0 or more")
	}
	// Check the profile once before the long run, so a bad flag fails at once.
	for _, l := range st.Loads {
		p := st.Base
		p.Load = l
		if err := p.Validate(); err != nil {
			return err
		}
	}
	started := time.Now()
	fmt.Fprintf(stdout, "CareQueue simulate: %s, %d service points, %d h of history then %d scored hours, seeds %s, escalation %.2g×\n\n",
		title, st.Base.Points, *history, *hours, *seeds, *escalation)
	st.Done = func(c simulate.Cell) {
		fmt.Fprintf(stderr, "  load %.2f %s done (%s)\n", c.Load, c.Policy, time.Since(started).Round(time.Second))
	}
	cells, err := st.Run(ctx)
	if err != nil {
		return err
	}
	if err := simulate.WriteText(stdout, cells, !*orderOnly); err != nil {
		return err
	}
	switch *csvPath {
	case "":
		return nil
	case "-":
		return simulate.WriteCSV(stdout, cells)
	}
	f, err := os.Create(*csvPath)
	if err != nil {
		return fmt.Errorf("--csv: %w", err)
	}
	if err := simulate.WriteCSV(f, cells); err != nil {
		f.Close()
		return fmt.Errorf("--csv: %w", err)
	}
	return f.Close()
}

// queueProfile learns a replay profile from queue id's last days, as the command-line admin.
func queueProfile(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer, id string, days, points int) (simulate.Profile, error) {
	var p simulate.Profile
	err := withApp(ctx, getenv, io.Discard, stderr, func(a *app) error {
		d, err := a.queue.Demand(auth.NewContext(ctx, cliViewer), pulid.ID(id), days)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "queue %q: %d check-ins over %.1f days, %d service times, %d open service points\n",
			d.QueueName, d.Arrivals(), d.Days, d.Service.Samples(), d.OpenPoints)
		p, err = simulate.FromDemand(d, points)
		return err
	})
	return p, err
}

func parseFloats(s string) ([]float64, error) {
	var out []float64
	for _, p := range strings.Split(s, ",") {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", p)
		}
		out = append(out, f)
	}
	return out, nil
}

// parseSeeds reads "1,2,5" or "1-10" (at most 1,000 seeds).
func parseSeeds(s string) ([]uint64, error) {
	var out []uint64
	for _, p := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(p), "-")
		a, err := strconv.ParseUint(lo, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a seed or a range of seeds", p)
		}
		b := a
		if isRange {
			if b, err = strconv.ParseUint(hi, 10, 64); err != nil || b < a {
				return nil, fmt.Errorf("%q is not a range of seeds", p)
			}
		}
		if b-a >= 1000 || len(out)+int(b-a) >= 1000 {
			return nil, errors.New("at most 1,000 seeds")
		}
		for x := a; x <= b; x++ {
			out = append(out, x)
		}
	}
	return out, nil
}
