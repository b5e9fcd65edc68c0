package queue_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the zone tests must not depend on the machine's zoneinfo

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

func TestFormatCode(t *testing.T) {
	t.Parallel()

	for _, tc := range []struct {
		prefix string
		seq    int
		want   string
	}{
		{"C", 1, "C-001"},
		{"C", 12, "C-012"},
		{"LAB", 999, "LAB-999"},
		{"C", 1000, "C-1000"},
		{"PH", 12345, "PH-12345"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, queue.FormatCode(tc.prefix, tc.seq))
		})
	}
}

func TestValidatePrefix(t *testing.T) {
	t.Parallel()

	for _, p := range []string{"C", "AB", "LAB", "Z"} {
		require.NoError(t, queue.ValidatePrefix(p), p)
	}
	for _, p := range []string{"", "c", "Lab", "ABCD", "A1", "A-", " A", "Ä", "ÄB"} {
		err := queue.ValidatePrefix(p)
		require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), p)
		require.Contains(t, cqerr.MessageOf(err), "must be 1 to 3 capital letters A–Z", p)
	}
}

func TestServiceDay(t *testing.T) {
	t.Parallel()

	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		return loc
	}
	for _, tc := range []struct {
		name    string
		instant string
		zone    string
		want    string
	}{
		{"UTCInstantIsYesterdayLocally", "2025-03-10T03:00:00Z", "America/New_York", "2025-03-09"},
		{"UTCInstantIsTomorrowLocally", "2025-06-30T15:00:00Z", "Asia/Tokyo", "2025-07-01"},
		{"LastSecondBeforeTokyoMidnight", "2025-06-30T14:59:59Z", "Asia/Tokyo", "2025-06-30"},
		// Berlin springs forward on 2025-03-30 (a 23-hour day) and falls back on 2025-10-26 (25 hours).
		{"SpringForwardDayStartsAtLocalMidnight", "2025-03-29T23:00:00Z", "Europe/Berlin", "2025-03-30"},
		{"SpringForwardDayEndsAtLocalMidnight", "2025-03-30T21:59:59Z", "Europe/Berlin", "2025-03-30"},
		{"DayAfterSpringForward", "2025-03-30T22:00:00Z", "Europe/Berlin", "2025-03-31"},
		{"RepeatedHourFirstPass", "2025-10-26T00:30:00Z", "Europe/Berlin", "2025-10-26"},
		{"RepeatedHourSecondPass", "2025-10-26T01:30:00Z", "Europe/Berlin", "2025-10-26"},
		{"FallBackDayEndsAtLocalMidnight", "2025-10-26T22:59:59Z", "Europe/Berlin", "2025-10-26"},
		{"DayAfterFallBack", "2025-10-26T23:00:00Z", "Europe/Berlin", "2025-10-27"},
		// Santiago springs forward at midnight: 2024-09-08 has no 00:00 and starts at 01:00.
		{"LastSecondBeforeSkippedMidnight", "2024-09-08T03:59:59Z", "America/Santiago", "2024-09-07"},
		{"DayWithoutMidnightStartsAtOne", "2024-09-08T04:00:00Z", "America/Santiago", "2024-09-08"},
		{"NilLocationIsUTC", "2025-03-10T03:00:00Z", "", "2025-03-10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			instant, err := time.Parse(time.RFC3339, tc.instant)
			require.NoError(t, err)
			var loc *time.Location
			if tc.zone != "" {
				loc = zone(tc.zone)
			}
			require.Equal(t, tc.want, queue.ServiceDay(instant, loc))
		})
	}
}

func TestLoadLocation(t *testing.T) {
	t.Parallel()

	t.Run("AcceptsIANANames", func(t *testing.T) {
		t.Parallel()
		for _, name := range []string{"Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+5"} {
			loc, err := queue.LoadLocation(name)
			require.NoError(t, err, name)
			require.Equal(t, name, loc.String())
		}
	})

	t.Run("ErrUnknownOrImplicitZone", func(t *testing.T) {
		t.Parallel()
		for _, name := range []string{"", "Local", "Europe/Paaris", "Mars/Olympus_Mons", "../etc/passwd", "CEST+2"} {
			loc, err := queue.LoadLocation(name)
			require.Nil(t, loc, name)
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), name)
			require.Contains(t, cqerr.MessageOf(err), `use an IANA name such as "Europe/Berlin"`, name)
		}
	})
}

// Every check-in asks for its facility's zone: a second ask must not read the zone file again. Not
// parallel: AllocsPerRun counts the whole process's allocations.
func TestLoadLocationLoadsAZoneOnce(t *testing.T) {
	first, err := queue.LoadLocation("Asia/Kolkata")
	require.NoError(t, err)
	var again *time.Location
	allocs := testing.AllocsPerRun(20, func() { again, _ = queue.LoadLocation("Asia/Kolkata") })
	require.Same(t, first, again)
	require.Zero(t, allocs, "the zone was loaded again")
}
