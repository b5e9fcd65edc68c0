package queue_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/queue"
)

func TestForecastBreach(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		target time.Time
		risk   float64
		want   *queue.BreachForecast
	}{
		{"LikelyInTime", now.Add(30 * time.Minute), 0.2, nil},
		{"JustBelowTheThreshold", now.Add(30 * time.Minute), 0.49, nil},
		{"AtTheThreshold", now.Add(12 * time.Minute), 0.5, &queue.BreachForecast{TargetAt: now.Add(12 * time.Minute), InMinutes: 12, Risk: 0.5}},
		{"MinutesRoundUp", now.Add(90 * time.Second), 0.8, &queue.BreachForecast{TargetAt: now.Add(90 * time.Second), InMinutes: 2, Risk: 0.8}},
		{"AlreadyPastWhateverTheRisk", now.Add(-time.Minute), 0, &queue.BreachForecast{TargetAt: now.Add(-time.Minute), InMinutes: 0, Risk: 1}},
		{"PassingNow", now, 0.1, &queue.BreachForecast{TargetAt: now, InMinutes: 0, Risk: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := queue.ForecastBreach(now, tc.target, queue.Wait{BreachRisk: tc.risk, Basis: queue.BasisHistory})
			require.Equal(t, tc.want, got)
		})
	}
}
