package queue_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/queue"
)

// The DESIGN.md claim in miniature: one emergency-department service point at about 90 % load, the same
// seeded arrival stream run under each ordering. TRIAGE must keep VERY_URGENT patients within target far
// more often than FIFO, and keep NON_URGENT patients from waiting the many hours fixed priority makes them.

// simPatient is one arrival in the stream.
type simPatient struct {
	id      string
	level   queue.Level
	arrival time.Time
	service time.Duration
}

// simResult sums up one run.
type simResult struct {
	breaches map[queue.Level]int           // called after the level's deadline
	maxWait  map[queue.Level]time.Duration // longest wait to be called
	served   int
}

// edMix is a plausible Manchester Triage case mix, in percent.
var edMix = []struct {
	level   queue.Level
	percent int
}{
	{queue.LevelImmediate, 1}, {queue.LevelVeryUrgent, 11}, {queue.LevelUrgent, 33},
	{queue.LevelStandard, 43}, {queue.LevelNonUrgent, 12},
}

// arrivals builds a Poisson stream with exponential service times of mean meanService at the given load.
func arrivals(seed uint64, n int, load float64, meanService time.Duration) []simPatient {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	meanGap := float64(meanService) / load
	ps := make([]simPatient, n)
	at := start
	for i := range ps {
		at = at.Add(time.Duration(rng.ExpFloat64() * meanGap))
		roll, level := rng.IntN(100), queue.LevelNonUrgent
		for _, m := range edMix {
			if roll < m.percent {
				level = m.level
				break
			}
			roll -= m.percent
		}
		ps[i] = simPatient{
			id:      fmt.Sprintf("T%05d", i),
			level:   level,
			arrival: at,
			service: time.Duration(rng.ExpFloat64() * float64(meanService)),
		}
	}
	return ps
}

// simulate runs one non-preemptive server: whenever it frees up, it calls the waiting patient that
// order puts first.
func simulate(ps []simPatient, order func([]queue.Entry)) simResult {
	targets := queue.DefaultTargets()
	byID := make(map[string]simPatient, len(ps))
	res := simResult{breaches: map[queue.Level]int{}, maxWait: map[queue.Level]time.Duration{}}
	var waiting []queue.Entry
	next, now := 0, ps[0].arrival
	for res.served < len(ps) {
		for next < len(ps) && !ps[next].arrival.After(now) {
			p := ps[next]
			byID[p.id] = p
			waiting = append(waiting, queue.Entry{ID: p.id, Level: p.level, CheckedInAt: p.arrival,
				Deadline: queue.Deadline(p.arrival, nil, p.level, targets)})
			next++
		}
		if len(waiting) == 0 {
			now = ps[next].arrival // idle until the next arrival
			continue
		}
		order(waiting)
		e := waiting[0]
		waiting = waiting[1:]
		if now.After(e.Deadline) {
			res.breaches[e.Level]++
		}
		res.maxWait[e.Level] = max(res.maxWait[e.Level], now.Sub(e.CheckedInAt))
		now = now.Add(byID[e.ID].service)
		res.served++
	}
	return res
}

// fixedPriority is the strawman DESIGN.md rejects: most urgent level first, then arrival.
func fixedPriority(es []queue.Entry) {
	slices.SortStableFunc(es, func(a, b queue.Entry) int {
		return cmp.Or(cmp.Compare(a.Level.Rank(), b.Level.Rank()), a.CheckedInAt.Compare(b.CheckedInAt),
			cmp.Compare(a.ID, b.ID))
	})
}

// plainDeadline is the other strawman: earliest deadline first, with no urgent group.
func plainDeadline(es []queue.Entry) {
	slices.SortStableFunc(es, func(a, b queue.Entry) int {
		return cmp.Or(a.Deadline.Compare(b.Deadline), a.CheckedInAt.Compare(b.CheckedInAt), cmp.Compare(a.ID, b.ID))
	})
}

func TestSimulatedEmergencyDepartmentTriageBeatsFIFOAndFixedPriority(t *testing.T) {
	t.Parallel()

	// Each seed is about 28 simulated days; several seeds so the claim does not hang on one lucky stream.
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		t.Run(fmt.Sprintf("Seed%d", seed), func(t *testing.T) {
			t.Parallel()
			ps := arrivals(seed, 4000, 0.9, 9*time.Minute)
			triage := simulate(ps, func(es []queue.Entry) { queue.Sort(queue.PolicyTriage, es) })
			fifo := simulate(ps, func(es []queue.Entry) { queue.Sort(queue.PolicyFIFO, es) })
			fixed := simulate(ps, fixedPriority)
			edf := simulate(ps, plainDeadline)

			vu, nu := queue.LevelVeryUrgent, queue.LevelNonUrgent
			t.Logf("VERY_URGENT breaches / max NON_URGENT wait: triage %d / %s, fifo %d / %s, fixed %d / %s, deadline %d / %s",
				triage.breaches[vu], triage.maxWait[nu].Round(time.Minute), fifo.breaches[vu], fifo.maxWait[nu].Round(time.Minute),
				fixed.breaches[vu], fixed.maxWait[nu].Round(time.Minute), edf.breaches[vu], edf.maxWait[nu].Round(time.Minute))

			for _, r := range []simResult{triage, fifo, fixed, edf} {
				require.Equal(t, len(ps), r.served, "everyone is served in the end")
			}
			// At least a third fewer (measured: 55-60 % fewer on these seeds).
			require.Less(t, triage.breaches[vu]*3, fifo.breaches[vu]*2,
				"TRIAGE should keep far more VERY_URGENT patients within target than FIFO")
			// Less than half (measured: 20-30 % of fixed priority's many hours).
			require.Less(t, triage.maxWait[nu]*2, fixed.maxWait[nu],
				"TRIAGE should not make NON_URGENT patients wait the many hours fixed priority does")
			require.Less(t, triage.breaches[vu], edf.breaches[vu],
				"the urgent group should keep overdue STANDARD cases from holding back VERY_URGENT ones")
		})
	}
}
