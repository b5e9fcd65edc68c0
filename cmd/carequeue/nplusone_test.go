package main

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestQueueReadsAreConstant proves the dashboard reads have no N+1: the SQL statements for a queue's
// waiting tickets with their patients (and breach forecasts), and for the department's needs-attention
// list, are the same for 20 tickets as for 200.
func TestQueueReadsAreConstant(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		queries := map[string]string{
			"Snapshot":       `query($q:ID!){ queueSnapshot(queueID:$q){ version warnings{ kind } waiting{ code triageLevel targetAt position estimatedWaitMinutes breachForecast{ inMinutes } patient{ givenName familyName } } called{ code servicePoint{ name } } } }`,
			"Connection":     `query($q:ID!){ tickets(first:100, where:{queueID:$q, status:WAITING}, orderBy:{field:TARGET_AT}){ totalCount edges{ node{ code position estimatedWaitMinutes breachForecast{ inMinutes } patient{ givenName familyName } queue{ name } } } } }`,
			"NeedsAttention": `query($d:ID!){ needsAttention(departmentID:$d){ reason since ticket{ code position estimatedWaitMinutes breachForecast{ inMinutes } patient{ givenName familyName } queue{ name } } } }`,
			// Grows with queues rather than tickets (see below): warnings are read per department.
			"QueueWarnings": `query{ queues(first:50){ edges{ node{ name warnings{ kind sharePercent } } } } }`,
		}
		count := func(name string) int64 {
			once := func() int64 {
				// A token's revocation check reads its session once per few seconds
				// (session.DefaultRevocationTTL): make it now, so that what is counted is the query's own.
				s.waitForJobs(t)
				s.ok(t, h.clinician, `{ me { id } }`, nil, "me", nil)
				return s.countReads(t, func() {
					vars := map[string]any{"q": h.triage}
					if name == "NeedsAttention" {
						vars = map[string]any{"d": h.dept}
					}
					r := s.gql(t, h.clinician, queries[name], vars)
					require.Empty(t, r.Errors, r.Raw)
				})
			}
			// On a loaded machine under -race the check above can lapse before the query runs (CI once
			// counted the session and account reads, 2 more); reads from elsewhere only add, so the least
			// of two counts is the query's own.
			return min(once(), once())
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
		for i := range 6 {
			s.ok(t, h.admin, `mutation($d:ID!,$n:String!){ createQueue(input:{name:$n, prefix:"Q", departmentID:$d}){ id } }`,
				map[string]any{"d": h.dept, "n": fmt.Sprintf("Extra %d", i)}, "createQueue", nil)
		}
		for name := range queries {
			at200 := count(name)
			t.Logf("%s: %d SQL statements for 20 waiting tickets and 3 queues, %d for 200 and 9", name, at20[name], at200)
			require.Equal(t, at20[name], at200, "%s: statements grow with the number of tickets", name)
			require.LessOrEqual(t, at200, int64(8), "%s: a small constant number of statements", name)
		}
	})
}
