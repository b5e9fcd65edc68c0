package queue_test

import (
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

	for _, tc := range []struct {
		name    string
		policy  queue.Policy
		entries []queue.Entry
		want    []string
	}{
		{"UrgentGroupBeforeOverdueStandard", queue.PolicyTriage, []queue.Entry{
			walkIn("std-overdue", queue.LevelStandard, -300), walkIn("vu", queue.LevelVeryUrgent, 0),
		}, []string{"vu", "std-overdue"}},
		{"LongWaitingNonUrgentOvertakesNewStandard", queue.PolicyTriage, []queue.Entry{
			walkIn("std-new", queue.LevelStandard, 0), walkIn("nu-old", queue.LevelNonUrgent, -150),
		}, []string{"nu-old", "std-new"}},
		{"NewNonUrgentAfterNewStandard", queue.PolicyTriage, []queue.Entry{
			walkIn("nu", queue.LevelNonUrgent, -10), walkIn("std", queue.LevelStandard, 0),
		}, []string{"std", "nu"}},
		{"EarlierDeadlineFirstInsideUrgentGroup", queue.PolicyTriage, []queue.Entry{
			walkIn("imm", queue.LevelImmediate, 0), walkIn("vu-overdue", queue.LevelVeryUrgent, -15),
		}, []string{"vu-overdue", "imm"}},
		{"EqualDeadlinesByCheckInTime", queue.PolicyTriage, []queue.Entry{
			walkIn("urg", queue.LevelUrgent, 0), walkIn("std", queue.LevelStandard, -60),
		}, []string{"std", "urg"}},
		{"FullTiesByID", queue.PolicyTriage, []queue.Entry{
			walkIn("b", queue.LevelUrgent, 0), walkIn("a", queue.LevelUrgent, 0),
		}, []string{"a", "b"}},
		{"FIFOIgnoresLevel", queue.PolicyFIFO, []queue.Entry{
			walkIn("imm", queue.LevelImmediate, 5), walkIn("nu", queue.LevelNonUrgent, 0), walkIn("b", queue.LevelUrgent, 1),
			walkIn("a", queue.LevelStandard, 1),
		}, []string{"nu", "a", "b", "imm"}},
		{"UnknownPolicyIsFIFO", "LIFO", []queue.Entry{
			walkIn("imm", queue.LevelImmediate, 5), walkIn("nu", queue.LevelNonUrgent, 0),
		}, []string{"nu", "imm"}},
		{"ED_Morning", queue.PolicyTriage, []queue.Entry{
			walkIn("std-1", queue.LevelStandard, 0), walkIn("urg-1", queue.LevelUrgent, 20),
			walkIn("nu-1", queue.LevelNonUrgent, 5), walkIn("vu-1", queue.LevelVeryUrgent, 40),
			walkIn("std-2", queue.LevelStandard, 30), walkIn("imm-1", queue.LevelImmediate, 45),
		}, []string{"imm-1", "vu-1", "urg-1", "std-1", "std-2", "nu-1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			es := append([]queue.Entry(nil), tc.entries...)
			queue.Sort(tc.policy, es)
			require.Equal(t, tc.want, entryIDs(es))

			first, ok := queue.First(tc.policy, tc.entries)
			require.True(t, ok)
			require.Equal(t, tc.want[0], first.ID)

			pos := queue.Positions(tc.policy, tc.entries)
			require.Len(t, pos, len(tc.want))
			for i, id := range tc.want {
				require.Equal(t, i+1, pos[id], id)
			}
			for i := 1; i < len(es); i++ {
				require.True(t, queue.Less(tc.policy, es[i-1], es[i]))
				require.False(t, queue.Less(tc.policy, es[i], es[i-1]))
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
