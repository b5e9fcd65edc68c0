package jobs

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"
)

var _ river.ClientRetryPolicy = NotifyRetryPolicy{}

func TestNotifyRetryPolicy(t *testing.T) {
	t.Parallel()
	t.Run("DoublesFromBaseUpToMax", func(t *testing.T) {
		t.Parallel()
		p := NotifyRetryPolicy{Base: 10 * time.Second, Max: 3 * time.Minute}
		for _, tc := range []struct {
			failures int
			want     time.Duration
		}{
			{1, 10 * time.Second},
			{2, 20 * time.Second},
			{3, 40 * time.Second},
			{4, 80 * time.Second},
			{5, 160 * time.Second},
			{6, 3 * time.Minute},
			{100, 3 * time.Minute}, // no overflow however many failures
		} {
			require.Equal(t, tc.want, p.Delay(tc.failures, 0), "failures=%d", tc.failures)
		}
	})
	t.Run("DefaultsRideOutAMinuteLongOutage", func(t *testing.T) {
		t.Parallel()
		// The last attempt comes after every earlier delay, jitter (at most -10 %) included.
		var before time.Duration
		for failures := 1; failures < NotifyMaxAttempts; failures++ {
			before += NotifyRetryPolicy{}.Delay(failures, 0) * 9 / 10
		}
		require.Greater(t, before, time.Minute)
	})
	t.Run("ZeroValueUsesDefaults", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, DefaultNotifyRetryBase, NotifyRetryPolicy{}.Delay(1, 0))
		require.Equal(t, DefaultNotifyRetryMax, NotifyRetryPolicy{}.Delay(50, 0))
	})
	t.Run("JitterShortensByAtMostTenPercent", func(t *testing.T) {
		t.Parallel()
		p := NotifyRetryPolicy{Base: 100 * time.Second}
		for _, tc := range []struct {
			jobID int64
			want  time.Duration
		}{
			{0, 100 * time.Second},
			{1, 99 * time.Second},
			{10, 90 * time.Second},
			{11, 100 * time.Second},
			{-3, 97 * time.Second},
		} {
			require.Equal(t, tc.want, p.Delay(1, tc.jobID), "jobID=%d", tc.jobID)
		}
	})
	t.Run("CountsRecordedErrorsNotAttempts", func(t *testing.T) {
		t.Parallel()
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		p := NotifyRetryPolicy{Now: func() time.Time { return now }}
		job := &rivertype.JobRow{Attempt: 4, Errors: make([]rivertype.AttemptError, 2)} // one snooze
		require.Equal(t, now.Add(40*time.Second), p.NextRetry(job))
	})
}

func TestStale(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		age    time.Duration
		maxAge time.Duration
		want   bool
	}{
		{"FreshIsNotStale", time.Minute, 15 * time.Minute, false},
		{"ExactlyMaxAgeIsNotStale", 15 * time.Minute, 15 * time.Minute, false},
		{"OlderThanMaxAgeIsStale", 15*time.Minute + time.Second, 15 * time.Minute, true},
		{"ZeroMaxAgeNeverStale", 48 * time.Hour, 0, false},
		{"CreatedInTheFutureIsNotStale", -time.Minute, time.Second, false}, // clock skew
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			job := &rivertype.JobRow{CreatedAt: now.Add(-tc.age)}
			require.Equal(t, tc.want, staleAt(job, tc.maxAge, now))
		})
	}
}

func TestNotifyInsertOptsShape(t *testing.T) {
	t.Parallel()
	o := NotifyInsertOpts()
	require.Equal(t, NotifyQueue, o.Queue)
	require.Equal(t, NotifyMaxAttempts, o.MaxAttempts)
	require.True(t, o.UniqueOpts.ByArgs)
	require.Subset(t, o.UniqueOpts.ByState, rivertype.UniqueOptsByStateDefault(), "River requires its default states")
	require.Contains(t, o.UniqueOpts.ByState, rivertype.JobStateCancelled)
}
