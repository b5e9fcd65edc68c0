package queue_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/queue"
)

func minutesOf(ms ...float64) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = time.Duration(m * float64(time.Minute))
	}
	return out
}

func TestEstimateWait(t *testing.T) {
	t.Parallel()

	ten := minutesOf(9, 10, 11)
	for _, tc := range []struct {
		name     string
		position int
		samples  []time.Duration
		servers  int
		fallback time.Duration
		want     time.Duration
		minutes  int
	}{
		{"NotWaitingIsZero", 0, ten, 1, time.Minute, 0, 0},
		{"NegativePositionIsZero", -3, ten, 1, time.Minute, 0, 0},
		{"NextInLineIsZero", 1, ten, 1, time.Minute, 0, 0},
		{"OneServerQueuesBehindEveryoneAhead", 3, ten, 1, 0, 20 * time.Minute, 20},
		{"ManyServersShareTheWork", 6, ten, 4, 0, 12*time.Minute + 30*time.Second, 13},
		{"EachCallShortensTheWaitWithManyServers", 5, ten, 4, 0, 10 * time.Minute, 10},
		{"NoSamplesUsesFallback", 4, nil, 1, 15 * time.Minute, 45 * time.Minute, 45},
		{"TwoSamplesUseFallback", 2, minutesOf(1, 1), 1, 15 * time.Minute, 15 * time.Minute, 15},
		{"ThreeSamplesUseTheirMedian", 2, minutesOf(4, 6, 5), 1, 15 * time.Minute, 5 * time.Minute, 5},
		{"OutliersDoNotSkewTheMedian", 2, minutesOf(8, 180, 9, 11, 10), 1, 0, 10 * time.Minute, 10},
		{"EvenSampleCountAveragesTheMiddle", 2, minutesOf(4, 6, 8, 100), 1, 0, 7 * time.Minute, 7},
		{"NonPositiveSamplesAreIgnored", 2, minutesOf(0, -5, 0, 6, 6), 1, 3 * time.Minute, 3 * time.Minute, 3},
		{"NoOpenServicePointCountsAsOne", 3, ten, 0, 0, 20 * time.Minute, 20},
		{"NegativeServicePointsCountAsOne", 3, ten, -2, 0, 20 * time.Minute, 20},
		{"NoSamplesNoFallbackIsZero", 9, nil, 1, 0, 0, 0},
		{"NegativeFallbackIsZero", 9, nil, 1, -time.Minute, 0, 0},
		{"SecondsRoundUpToAMinute", 2, minutesOf(0.5, 0.5, 0.5), 3, 0, 10 * time.Second, 1},
		{"AbsurdPositionSaturates", math.MaxInt, ten, 1, 0, math.MaxInt64, int(math.MaxInt64/time.Minute) + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, queue.EstimateWait(tc.position, tc.samples, tc.servers, tc.fallback))
			require.Equal(t, tc.minutes, queue.EstimateMinutes(tc.position, tc.samples, tc.servers, tc.fallback))
		})
	}

	t.Run("SamplesAreNotReordered", func(t *testing.T) {
		t.Parallel()
		s := minutesOf(3, 1, 2)
		queue.EstimateWait(2, s, 1, 0)
		require.Equal(t, minutesOf(3, 1, 2), s)
	})
}

func TestMedian(t *testing.T) {
	t.Parallel()

	huge := time.Duration(math.MaxInt64)
	for _, tc := range []struct {
		name string
		in   []time.Duration
		want time.Duration
	}{
		{"NoneIsZero", nil, 0},
		{"One", minutesOf(7), 7 * time.Minute},
		{"OddCountIsTheMiddle", minutesOf(9, 1, 5), 5 * time.Minute},
		{"EvenCountIsMeanOfMiddleTwo", minutesOf(1, 2, 3, 10), 150 * time.Second},
		{"HugeValuesDoNotOverflow", []time.Duration{huge, huge - 2}, huge - 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := append([]time.Duration(nil), tc.in...)
			require.Equal(t, tc.want, queue.Median(tc.in))
			require.Equal(t, in, tc.in, "input left alone")
		})
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()

	oneToTen := minutesOf(10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
	for _, tc := range []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{"NoneIsZero", nil, 90, 0},
		{"ZeroIsTheMinimum", oneToTen, 0, time.Minute},
		{"TenthIsTheFirstRank", oneToTen, 10, time.Minute},
		{"JustAboveARankRoundsUp", oneToTen, 10.5, 2 * time.Minute},
		{"FiftiethIsLowerMiddle", oneToTen, 50, 5 * time.Minute},
		{"SeventiethIsExact", oneToTen, 70, 7 * time.Minute},
		{"NinetiethIsAnObservedValue", oneToTen, 90, 9 * time.Minute},
		{"NinetyFifthRoundsUpToTheMaximum", oneToTen, 95, 10 * time.Minute},
		{"HundredthIsTheMaximum", oneToTen, 100, 10 * time.Minute},
		{"AboveHundredClamps", oneToTen, 250, 10 * time.Minute},
		{"NegativeClamps", oneToTen, -1, time.Minute},
		{"NaNIsTheMinimum", oneToTen, math.NaN(), time.Minute},
		{"SingleValue", minutesOf(4), 99, 4 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := append([]time.Duration(nil), tc.in...)
			require.Equal(t, tc.want, queue.Percentile(tc.in, tc.p))
			require.Equal(t, in, tc.in, "input left alone")
		})
	}
}
