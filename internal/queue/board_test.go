package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

func codes(entries []queue.BoardEntry) []string {
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.Code)
	}
	return out
}

func TestBoard(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		anon := context.Background()

		t.Run("NamesItsDepartmentAndFacility", func(t *testing.T) {
			b, err := f.svc.Board(anon, f.dept.ID)
			require.NoError(t, err)
			require.Equal(t, "Emergency", b.DepartmentName)
			require.Equal(t, "General", b.FacilityName)
			// The board's clock is the facility's: its locale and zone, not the TV's.
			require.Equal(t, "en-GB", b.Locale)
			require.Equal(t, "Europe/London", b.Timezone)
			require.Empty(t, b.NowCalling)
			require.Empty(t, b.RecentCalls)
		})

		t.Run("ShowsTheLastFiveCallsWhateverHappenedSince", func(t *testing.T) {
			// An old call, from before the last calls' window.
			f.clearWaiting(t, f.fifo)
			old := f.checkIn(t, f.fifo, "STANDARD")
			_, err := f.svc.CallNext(f.clinician, queue.NoKey, f.fifo.ID, f.room2.ID)
			require.NoError(t, err)
			_, err = f.svc.StartService(f.clinician, queue.NoKey, old.ID)
			require.NoError(t, err)
			f.clock.advance(5 * time.Hour)

			// Seven calls: five served and completed, the last two still called.
			var called []string
			for i := range 7 {
				tk := f.checkIn(t, f.fifo, "STANDARD")
				room := f.room1.ID
				if i%2 == 1 {
					room = f.room2.ID
				}
				got, err := f.svc.CallNext(f.clinician, queue.NoKey, f.fifo.ID, room)
				require.NoError(t, err)
				require.Equal(t, tk.ID, got.ID)
				called = append(called, got.Code)
				if i < 5 {
					_, err = f.svc.StartService(f.clinician, queue.NoKey, got.ID)
					require.NoError(t, err)
					_, err = f.svc.CompleteTicket(f.clinician, queue.NoKey, got.ID, nil)
					require.NoError(t, err)
				}
				f.clock.advance(time.Minute)
			}

			b, err := f.svc.Board(anon, f.dept.ID)
			require.NoError(t, err)
			require.Equal(t, []string{called[6], called[5]}, codes(b.NowCalling), "only the calls not yet answered")
			require.Equal(t, []string{called[6], called[5], called[4], called[3], called[2]}, codes(b.RecentCalls), "newest first, five at most")
			require.Equal(t, "Room 1", b.RecentCalls[0].ServicePointName)
			require.Equal(t, "Room 2", b.RecentCalls[1].ServicePointName)
			require.NotContains(t, codes(b.RecentCalls), old.Code, "a call from hours ago is no longer news")
			for i := 1; i < len(b.RecentCalls); i++ {
				require.True(t, b.RecentCalls[i-1].CalledAt.After(b.RecentCalls[i].CalledAt))
			}
		})

		t.Run("ErrUnknownDepartment", func(t *testing.T) {
			_, err := f.svc.Board(anon, pulid.ID("DP01ZZZZZZZZZZZZZZZZZZZZZZZZ"))
			require.Equal(t, cqerr.NotFound, cqerr.CodeOf(err))
		})
	})
}
