package queue_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/queue"
)

var orderT0 = time.Date(2025, 5, 12, 8, 0, 0, 0, time.UTC)

// orderAt is orderT0 plus m minutes.
func orderAt(m int) time.Time { return orderT0.Add(time.Duration(m) * time.Minute) }

// walkIn builds a walk-in entry with default targets, checked in m minutes after orderT0.
func walkIn(id string, l queue.Level, m int) queue.Entry {
	return queue.Entry{ID: id, Level: l, CheckedInAt: orderAt(m), Deadline: queue.Deadline(orderAt(m), nil, l, queue.DefaultTargets())}
}

// transferred builds an entry that arrived arrived minutes after orderT0 and joined this queue at in,
// its deadline counted from arrival (the queue keeps arrival).
func transferred(id string, l queue.Level, arrived, in int) queue.Entry {
	e := walkIn(id, l, in)
	e.ArrivedAt, e.Deadline = orderAt(arrived), queue.Deadline(orderAt(arrived), nil, l, queue.DefaultTargets())
	return e
}

func entryIDs(es []queue.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func ptrTo[T any](v T) *T { return &v }

func TestOrder(t *testing.T) {
	t.Parallel()

	triage, fifo := queue.Order{Policy: queue.PolicyTriage}, queue.Order{Policy: queue.PolicyFIFO}
	// TRIAGE_DEADLINE_AWARE at minute 0 with the MTS targets: URGENT due after 60, STANDARD after 120,
	// NON_URGENT after 240 minutes; escalated at 1.5 times that (90, 180, 360).
	aware := deadlineAware(0)
	for _, tc := range []struct {
		name    string
		order   queue.Order
		entries []queue.Entry
		want    []string
	}{
		{"UrgentGroupBeforeOverdueStandard", triage, []queue.Entry{
			walkIn("std-overdue", queue.LevelStandard, -300), walkIn("vu", queue.LevelVeryUrgent, 0),
		}, []string{"vu", "std-overdue"}},
		{"LongWaitingNonUrgentOvertakesNewStandard", triage, []queue.Entry{
			walkIn("std-new", queue.LevelStandard, 0), walkIn("nu-old", queue.LevelNonUrgent, -150),
		}, []string{"nu-old", "std-new"}},
		{"NewNonUrgentAfterNewStandard", triage, []queue.Entry{
			walkIn("nu", queue.LevelNonUrgent, -10), walkIn("std", queue.LevelStandard, 0),
		}, []string{"std", "nu"}},
		// IMMEDIATE strictly first: earliest deadline alone would call the overdue VERY_URGENT patient
		// (deadline -5) before the IMMEDIATE one who just arrived (deadline 0).
		{"ImmediateBeforeOverdueVeryUrgent", triage, []queue.Entry{
			walkIn("vu-overdue", queue.LevelVeryUrgent, -15), walkIn("imm", queue.LevelImmediate, 0),
		}, []string{"imm", "vu-overdue"}},
		{"ImmediateBeforeLongOverdueVeryUrgentAndStandard", triage, []queue.Entry{
			walkIn("std-overdue", queue.LevelStandard, -600), walkIn("vu-overdue", queue.LevelVeryUrgent, -240),
			walkIn("imm", queue.LevelImmediate, 0),
		}, []string{"imm", "vu-overdue", "std-overdue"}},
		{"ImmediatesByDeadlineThenCheckIn", triage, []queue.Entry{
			walkIn("imm-2", queue.LevelImmediate, 0), walkIn("imm-1", queue.LevelImmediate, -3),
		}, []string{"imm-1", "imm-2"}},
		{"VeryUrgentByDeadline", triage, []queue.Entry{
			walkIn("vu-new", queue.LevelVeryUrgent, 0), walkIn("vu-overdue", queue.LevelVeryUrgent, -30),
		}, []string{"vu-overdue", "vu-new"}},
		{"UntriagedSelfCheckInOrderedAsItsLevel", triage, []queue.Entry{
			// a kiosk check-in awaiting triage carries its queue's self_check_in_level (STANDARD here)
			walkIn("kiosk-std", queue.LevelStandard, -10), walkIn("urg", queue.LevelUrgent, 0),
		}, []string{"urg", "kiosk-std"}},
		{"EqualDeadlinesByCheckInTime", triage, []queue.Entry{
			walkIn("urg", queue.LevelUrgent, 0), walkIn("std", queue.LevelStandard, -60),
		}, []string{"std", "urg"}},
		{"FullTiesByID", triage, []queue.Entry{
			walkIn("b", queue.LevelUrgent, 0), walkIn("a", queue.LevelUrgent, 0),
		}, []string{"a", "b"}},
		{"FIFOIgnoresLevel", fifo, []queue.Entry{
			walkIn("imm", queue.LevelImmediate, 5), walkIn("nu", queue.LevelNonUrgent, 0), walkIn("b", queue.LevelUrgent, 1),
			walkIn("a", queue.LevelStandard, 1),
		}, []string{"nu", "a", "b", "imm"}},
		{"UnknownPolicyIsFIFO", queue.Order{Policy: "LIFO"}, []queue.Entry{
			walkIn("imm", queue.LevelImmediate, 5), walkIn("nu", queue.LevelNonUrgent, 0),
		}, []string{"nu", "imm"}},
		{"ED_Morning", triage, []queue.Entry{
			walkIn("std-1", queue.LevelStandard, 0), walkIn("urg-1", queue.LevelUrgent, 20),
			walkIn("nu-1", queue.LevelNonUrgent, 5), walkIn("vu-1", queue.LevelVeryUrgent, 40),
			walkIn("std-2", queue.LevelStandard, 30), walkIn("imm-1", queue.LevelImmediate, 45),
		}, []string{"imm-1", "vu-1", "urg-1", "std-1", "std-2", "nu-1"}},
		{"DeadlineAwareImmediateBeforeOverdueVeryUrgent", aware, []queue.Entry{
			walkIn("vu-overdue", queue.LevelVeryUrgent, -30), walkIn("imm", queue.LevelImmediate, 0),
		}, []string{"imm", "vu-overdue"}},
		{"DeadlineAwareImmediateBeforeEscalated", aware, []queue.Entry{
			walkIn("nu-escalated", queue.LevelNonUrgent, -500), walkIn("vu-overdue", queue.LevelVeryUrgent, -60),
			walkIn("imm", queue.LevelImmediate, 0),
		}, []string{"imm", "vu-overdue", "nu-escalated"}},
		{"VeryUrgentBeforeEscalated", aware, []queue.Entry{
			walkIn("std-escalated", queue.LevelStandard, -200), walkIn("vu", queue.LevelVeryUrgent, 0),
		}, []string{"vu", "std-escalated"}},
		{"EscalatedBeforeWithinTarget", aware, []queue.Entry{
			walkIn("urg-new", queue.LevelUrgent, 0), walkIn("nu-escalated", queue.LevelNonUrgent, -361),
		}, []string{"nu-escalated", "urg-new"}},
		{"EscalatedOldestFirstWhateverTheLevel", aware, []queue.Entry{
			walkIn("urg-95", queue.LevelUrgent, -95), walkIn("std-200", queue.LevelStandard, -200),
			walkIn("nu-400", queue.LevelNonUrgent, -400),
		}, []string{"nu-400", "std-200", "urg-95"}},
		// Both escalated; the transferred one joined this queue later but arrived first: the longest wait
		// is since arrival.
		{"EscalatedByArrivalWhichATransferKeeps", aware, []queue.Entry{
			walkIn("nu-400", queue.LevelNonUrgent, -400), transferred("std-arrived-500", queue.LevelStandard, -500, -60),
		}, []string{"std-arrived-500", "nu-400"}},
		{"WithinTargetBeforePastTarget", aware, []queue.Entry{
			walkIn("urg-late", queue.LevelUrgent, -70), walkIn("nu-new", queue.LevelNonUrgent, 0),
		}, []string{"nu-new", "urg-late"}},
		{"WithinTargetByDeadline", aware, []queue.Entry{
			walkIn("nu", queue.LevelNonUrgent, -200), walkIn("std", queue.LevelStandard, -10), walkIn("urg", queue.LevelUrgent, 0),
		}, []string{"nu", "urg", "std"}},
		{"PastTargetByDeadline", aware, []queue.Entry{
			walkIn("urg-later", queue.LevelUrgent, -62), walkIn("std-late", queue.LevelStandard, -125),
		}, []string{"std-late", "urg-later"}},
		{"AtTheDeadlineStillWithinTarget", aware, []queue.Entry{
			walkIn("nu-new", queue.LevelNonUrgent, 0), walkIn("urg-due", queue.LevelUrgent, -60),
		}, []string{"urg-due", "nu-new"}},
		{"EscalationMultipleIsTheQueues", queue.Order{Policy: queue.PolicyTriageDeadlineAware, Now: orderAt(0),
			Targets: queue.DefaultTargets(), Escalation: 3}, []queue.Entry{
			walkIn("urg-new", queue.LevelUrgent, 0), walkIn("std-200", queue.LevelStandard, -200),
		}, []string{"urg-new", "std-200"}},
		{"ZeroNowIsTriageWithImmediateFirst", queue.Order{Policy: queue.PolicyTriageDeadlineAware, Targets: queue.DefaultTargets()}, []queue.Entry{
			walkIn("std", queue.LevelStandard, -300), walkIn("vu", queue.LevelVeryUrgent, -20), walkIn("imm", queue.LevelImmediate, 0),
		}, []string{"imm", "vu", "std"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			es := append([]queue.Entry(nil), tc.entries...)
			tc.order.Sort(es)
			require.Equal(t, tc.want, entryIDs(es))

			first, ok := tc.order.First(tc.entries)
			require.True(t, ok)
			require.Equal(t, tc.want[0], first.ID)

			pos := tc.order.Positions(tc.entries)
			require.Len(t, pos, len(tc.want))
			for i, id := range tc.want {
				require.Equal(t, i+1, pos[id], id)
			}
			for i := 1; i < len(es); i++ {
				require.True(t, tc.order.Less(es[i-1], es[i]))
				require.False(t, tc.order.Less(es[i], es[i-1]))
				if tc.order.Policy != queue.PolicyTriageDeadlineAware {
					require.True(t, queue.Less(tc.order.Policy, es[i-1], es[i]), "the package functions agree")
				}
			}
		})
	}

	t.Run("EmptyQueueHasNoFirst", func(t *testing.T) {
		t.Parallel()
		_, ok := queue.First(queue.PolicyTriage, nil)
		require.False(t, ok)
		require.Empty(t, queue.Positions(queue.PolicyTriage, nil))
	})

	t.Run("PositionsLeavesInputAlone", func(t *testing.T) {
		t.Parallel()
		es := []queue.Entry{walkIn("late", queue.LevelStandard, 10), walkIn("early", queue.LevelStandard, 0)}
		require.Equal(t, map[string]int{"early": 1, "late": 2}, queue.Positions(queue.PolicyFIFO, es))
		require.Equal(t, []string{"late", "early"}, entryIDs(es))
	})

	t.Run("SortIsStableForDuplicateIDs", func(t *testing.T) {
		t.Parallel()
		a, b := walkIn("x", queue.LevelUrgent, 0), walkIn("x", queue.LevelUrgent, 0)
		a.Deadline, b.Deadline = orderAt(60), orderAt(60)
		b.Level = queue.LevelStandard // same group, deadline and check-in: only input order tells them apart
		es := []queue.Entry{a, b}
		queue.Sort(queue.PolicyTriage, es)
		require.Equal(t, []queue.Entry{a, b}, es)
		require.Equal(t, 0, queue.Compare(queue.PolicyTriage, a, b))
	})
}

// deadlineAware is the TRIAGE_DEADLINE_AWARE rule at orderAt(m), default targets and escalation.
func deadlineAware(m int) queue.Order {
	return queue.Order{Policy: queue.PolicyTriageDeadlineAware, Now: orderAt(m), Targets: queue.DefaultTargets()}
}

func TestDeadlineAwareOrder(t *testing.T) {
	t.Parallel()

	t.Run("EscalatesAtCountsFromTheAppointment", func(t *testing.T) {
		t.Parallel()
		o := deadlineAware(0)
		scheduled := orderAt(30)
		e := queue.Entry{ID: "appt", Level: queue.LevelStandard, CheckedInAt: orderAt(0),
			Deadline: queue.Deadline(orderAt(0), &scheduled, queue.LevelStandard, o.Targets)}
		require.Equal(t, orderAt(30+180), o.EscalatesAt(e))
	})

	t.Run("ImmediateFirstOnRandomLinesUnderEveryTriageOrdering", func(t *testing.T) {
		t.Parallel()
		rng := rand.New(rand.NewPCG(21, 22))
		levels := queue.Levels()
		for trial := range 2000 {
			for _, o := range []queue.Order{{Policy: queue.PolicyTriage}, deadlineAware(rng.IntN(600))} {
				es := make([]queue.Entry, 1+rng.IntN(20))
				for i := range es {
					es[i] = walkIn(fmt.Sprintf("t%02d", i), levels[rng.IntN(5)], rng.IntN(600)-300)
				}
				o.Sort(es)
				seenOther := false
				for _, e := range es {
					if e.Level != queue.LevelImmediate {
						seenOther = true
						continue
					}
					require.False(t, seenOther, "trial %d, %s: IMMEDIATE %s behind another level", trial, o.Policy, e.ID)
				}
			}
		}
	})

	// The properties the issue asks for, over random lines at random instants: IMMEDIATE first, and no
	// patient who has waited past the escalation multiple is behind a non-urgent patient who has not.
	t.Run("PropertiesHoldOnRandomLines", func(t *testing.T) {
		t.Parallel()
		rng := rand.New(rand.NewPCG(11, 12))
		levels := queue.Levels()
		for trial := range 2000 {
			o := queue.Order{Policy: queue.PolicyTriageDeadlineAware, Now: orderAt(rng.IntN(600)), Targets: queue.DefaultTargets(),
				Escalation: 1 + 2*rng.Float64()}
			es := make([]queue.Entry, 1+rng.IntN(20))
			for i := range es {
				es[i] = walkIn(fmt.Sprintf("t%02d", i), levels[rng.IntN(5)], rng.IntN(600))
			}
			o.Sort(es)
			escalated := func(e queue.Entry) bool { return !e.Level.Urgent() && o.Now.After(o.EscalatesAt(e)) }
			for i, e := range es {
				for _, before := range es[:i] {
					if e.Level == queue.LevelImmediate {
						require.Equal(t, queue.LevelImmediate, before.Level, "trial %d: IMMEDIATE behind %s", trial, before.Level)
					}
					if escalated(e) {
						require.True(t, before.Level.Urgent() || escalated(before),
							"trial %d: %s escalated behind %s who is not", trial, e.ID, before.ID)
					}
				}
				if i > 0 {
					require.True(t, o.Less(es[i-1], e), "trial %d: the order is total", trial)
				}
			}
		}
	})
}
