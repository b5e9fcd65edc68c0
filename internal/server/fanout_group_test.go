package server

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSlotCounts: the first slot inline and the rest in a map count as one map would, whatever the
// order members come and go in.
func TestSlotCounts(t *testing.T) {
	t.Parallel()
	var s slotCounts
	want := map[string]int{}
	step := func(slot string, d int) {
		t.Helper()
		s.add(slot, d)
		if want[slot] += d; want[slot] == 0 {
			delete(want, slot)
		}
		for _, k := range []string{"a", "b", "c"} {
			require.Equal(t, want[k], s.get(k), "slot %s", k)
		}
		require.False(t, s.n > 0 && s.more[s.first] > 0, "slot %q counted in both places", s.first)
	}
	step("a", 1)
	step("b", 1)
	step("a", 1)
	step("a", -1)
	step("a", -1) // the inline slot is free again, b stays in the map
	step("b", 1)  // b goes on counting in the map, not inline
	step("c", 1)  // c takes the inline place
	step("b", -1)
	step("b", -1)
	step("c", -1)
	require.Empty(t, s.more)
	require.Zero(t, s.n)
}

// TestGroupPushersLeaveInAnyOrder: pushed members leave from the front, the middle and the end, each
// leaving once, and the rest stay told of the group's frames.
func TestGroupPushersLeaveInAnyOrder(t *testing.T) {
	t.Parallel()
	g := &group{changed: make(chan struct{})}
	ms := make([]*member, 5)
	for i := range ms {
		ms[i] = &member{pushAt: -1, slot: "1"}
		g.join(ms[i])
		g.mu.Lock()
		g.addPusher(ms[i])
		g.addPusher(ms[i]) // once only
		g.mu.Unlock()
	}
	require.Len(t, g.pushers, len(ms))
	for n, i := range []int{4, 0, 2, 1, 3} { // the last, the first, the middle...
		require.Equal(t, len(ms)-n-1, g.leave(ms[i]))
		require.Equal(t, -1, ms[i].pushAt)
		require.Len(t, g.pushers, len(ms)-n-1)
		for at, p := range g.pushers {
			require.NotSame(t, ms[i], p)
			require.Equal(t, at, p.pushAt)
		}
	}
	require.Equal(t, 0, g.slots.get("1"))
}
