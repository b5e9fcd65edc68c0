package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// simulateRun runs `carequeue simulate args...` with no environment at all: it needs none.
func simulateRun(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"simulate"}, args...), func(string) string { return "" }, &out, &bytes.Buffer{})
	return out.String(), err
}

func TestSimulateCommand(t *testing.T) {
	t.Parallel()

	t.Run("PrintsATablePerLoadAndOrderingAndWritesCSV", func(t *testing.T) {
		t.Parallel()
		csv := filepath.Join(t.TempDir(), "sim.csv")
		out, err := simulateRun(t, "--load", "0.9", "--seeds", "1-2", "--hours", "6", "--history", "24", "--orderings-only", "--csv", csv)
		require.NoError(t, err)
		require.Contains(t, out, "CareQueue simulate: a synthetic emergency department, 4 service points, 24 h of history then 6 scored hours, seeds 1-2")
		require.Contains(t, out, "load 0.90 · TRIAGE ·")
		require.Contains(t, out, "load 0.90 · TRIAGE_DEADLINE_AWARE ·")
		require.Contains(t, out, "worst level within target ÷ ATS benchmark")
		require.Contains(t, out, "service points needed to meet the ATS benchmarks, by hour of arrival (3 to ")
		require.Regexp(t, `\n  hour        0   1   2 .*  23\n  points    `, out)
		b, err := os.ReadFile(csv)
		require.NoError(t, err)
		levels, hours, ok := strings.Cut(string(b), "\n\n")
		require.True(t, ok, "two tables, a blank line between")
		require.Equal(t, 1+2*6, strings.Count(levels+"\n", "\n"))
		require.Equal(t, 1+2*24, strings.Count(hours, "\n"))
		require.True(t, strings.HasPrefix(hours, "load,ordering,hour,patients,points_needed,met,fewest_tried,most_tried\n0.9000,TRIAGE,0,"))
	})

	t.Run("StaffingCanBeSkipped", func(t *testing.T) {
		t.Parallel()
		out, err := simulateRun(t, "--load", "0.9", "--seeds", "1", "--hours", "4", "--history", "0", "--orderings-only", "--staffing=false", "--csv", "-")
		require.NoError(t, err)
		require.NotContains(t, out, "service points needed")
		require.NotContains(t, out, "points_needed")
	})

	t.Run("EstimatesByDefault", func(t *testing.T) {
		t.Parallel()
		out, err := simulateRun(t, "--load", "0.8", "--seeds", "3", "--hours", "4", "--history", "24", "--ordering", "triage")
		require.NoError(t, err)
		require.Contains(t, out, "MAE")
		require.Contains(t, out, "naive")
	})

	t.Run("NoArrivalsIsALabelledEmptyResult", func(t *testing.T) {
		t.Parallel()
		out, err := simulateRun(t, "--load", "0", "--seeds", "1", "--hours", "2", "--history", "0", "--ordering", "FIFO")
		require.NoError(t, err)
		require.Contains(t, out, "load 0.00 · FIFO · 0 scored patients (0 arrivals)\n  no patients: the profile has no arrivals in the scored hours")
	})

	t.Run("ErrBadInput", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			args []string
			msg  string
		}{
			{[]string{"--points", "0"}, "at least 1 service point"},
			{[]string{"--points", "-2"}, "at least 1 service point"},
			{[]string{"--load", "40"}, "absurd"},
			{[]string{"--load", "NaN"}, "0 or more"},
			{[]string{"--load", "-1"}, "0 or more"},
			{[]string{"--load", "lots"}, `--load: "lots" is not a number`},
			{[]string{"--ordering", "LIFO"}, `unknown queue policy "LIFO"`},
			{[]string{"--seeds", "x"}, `"x" is not a seed`},
			{[]string{"--seeds", "9-3"}, "not a range"},
			{[]string{"--seeds", "1-100000"}, "at most 1,000 seeds"},
			{[]string{"--hours", "0"}, "--hours must be 1 or more"},
			{[]string{"--hours", "100000"}, "hours must be from 1 to"},
			{[]string{"--escalation", "0.5"}, "--escalation must be from 1 to 10"},
			{[]string{"--points", "500", "--hours", "1000", "--history", "0"}, "arrivals"},
			{[]string{"extra"}, "flags only"},
			{[]string{"--nope"}, "flag provided but not defined"},
		} {
			_, err := simulateRun(t, tc.args...)
			require.ErrorContains(t, err, tc.msg, tc.args)
		}
	})
}

// --queue learns the replay from a queue in the database; what it cannot learn from is a clear error.
func TestSimulateQueueCommand(t *testing.T) {
	t.Parallel()
	s := startServer(t, store.SQLite)
	h := setupHospital(t, s)
	simulateIn := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"simulate", "--seeds", "1", "--hours", "2", "--history", "0"}, args...), s.getenv, &out, &bytes.Buffer{})
		return out.String(), err
	}

	_, err := simulateIn("--queue", "QU01NOSUCHQUEUE")
	require.Equal(t, cqerr.NotFound, cqerr.CodeOf(err), "%v", err)
	require.ErrorContains(t, err, "queue not found")

	_, err = simulateIn("--queue", h.lab)
	require.ErrorContains(t, err, `queue "Lab" has no check-ins to replay (its history read covers less than a day)`)

	h.checkIn(t, s, h.triage, "Ana", "URGENT")
	_, err = simulateIn("--queue", h.triage, "--days", "7")
	require.ErrorContains(t, err, "no service of a minute or more to learn service times from", "the test's services take milliseconds")

	_, err = simulateIn("--queue", h.triage, "--days", "0")
	require.ErrorContains(t, err, "the history must be from 1 to 366 days")
}
