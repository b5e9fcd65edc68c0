package queue_test

import (
	"fmt"
	"time"

	"github.com/carequeue/carequeue/internal/queue"
)

// A TRIAGE queue calls the urgent group first, then whoever's deadline comes first: here the NON_URGENT
// patient who has waited three hours goes before the STANDARD patient who just arrived.
func ExamplePositions() {
	now := time.Date(2025, 5, 12, 11, 0, 0, 0, time.UTC)
	targets := queue.DefaultTargets()
	walkIn := func(id string, l queue.Level, ago time.Duration) queue.Entry {
		in := now.Add(-ago)
		return queue.Entry{ID: id, Level: l, CheckedInAt: in, Deadline: queue.Deadline(in, nil, l, targets)}
	}
	waiting := []queue.Entry{
		walkIn("C-004", queue.LevelStandard, 0),
		walkIn("C-001", queue.LevelNonUrgent, 3*time.Hour),
		walkIn("C-005", queue.LevelVeryUrgent, 0),
		walkIn("C-003", queue.LevelUrgent, 20*time.Minute),
	}
	pos := queue.Positions(queue.PolicyTriage, waiting)
	for _, code := range []string{"C-005", "C-003", "C-001", "C-004"} {
		fmt.Printf("%s %d, about %d min\n", code, pos[code],
			queue.EstimateMinutes(pos[code], []time.Duration{8 * time.Minute, 12 * time.Minute, 10 * time.Minute}, 2, 0))
	}
	// Output:
	// C-005 1, about 0 min
	// C-003 2, about 5 min
	// C-001 3, about 10 min
	// C-004 4, about 15 min
}
