package main

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestQueueReadsAreConstant proves the dashboard reads have no N+1: the SQL statements for a queue's
// waiting tickets with their patients are the same for 20 tickets as for 200.
func TestQueueReadsAreConstant(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		queries := map[string]string{
			"Snapshot":   `query($q:ID!){ queueSnapshot(queueID:$q){ version waiting{ code triageLevel targetAt position estimatedWaitMinutes patient{ givenName familyName } } called{ code servicePoint{ name } } } }`,
			"Connection": `query($q:ID!){ tickets(first:250, where:{queueID:$q, status:WAITING}, orderBy:{field:TARGET_AT}){ totalCount edges{ node{ code position estimatedWaitMinutes patient{ givenName familyName } queue{ name } } } } }`,
		}
		count := func(name string) int64 {
			return s.countReads(t, func() {
				r := s.gql(t, h.clinician, queries[name], map[string]any{"q": h.triage})
				require.Empty(t, r.Errors, r.Raw)
			})
		}
		levels := []string{"URGENT", "STANDARD", "NON_URGENT", "VERY_URGENT"}
		for i := range 20 {
			h.checkIn(t, s, h.triage, fmt.Sprintf("P%03d", i), levels[i%4])
		}
		at20 := map[string]int64{}
		for name := range queries {
			at20[name] = count(name)
		}
		for i := 20; i < 200; i++ {
			h.checkIn(t, s, h.triage, fmt.Sprintf("P%03d", i), levels[i%4])
		}
		for name := range queries {
			at200 := count(name)
			t.Logf("%s: %d SQL statements for 20 waiting tickets, %d for 200", name, at20[name], at200)
			require.Equal(t, at20[name], at200, "%s: statements grow with the number of tickets", name)
			require.LessOrEqual(t, at200, int64(8), "%s: a small constant number of statements", name)
		}
	})
}
