package queue

import (
	"math"
	"math/bits"
	"slices"
	"time"
)

// MinServiceSamples is how many recent service times EstimateWait needs before it trusts their median
// over the queue's fallback.
const MinServiceSamples = 3

// EstimateWait estimates how much longer the patient at 1-based position among the waiting tickets
// waits before being called:
//
//	wait = (position − 1) × m / s
//
// m is the median of recentServiceTimes (samples ≤ 0, from clock skew or start and complete clicked
// together, are ignored; with fewer than MinServiceSamples left, m is fallback), and s is
// openServicePoints, at least 1 so the estimate stays finite while every point is closed.
//
// Why this formula: the position − 1 patients ahead need about (position − 1) × m of service, shared by s
// service points. Position 1 gets 0 — "you are next" — because the time left in the services already
// under way is unknown; so the estimate runs low by at most about m / s, and it drops by m / s with every
// call, which patients watching their phone see as steady progress. The median rather than the mean keeps
// one two-hour case from inflating every estimate. Position 0 or below (not waiting) is 0.
func EstimateWait(position int, recentServiceTimes []time.Duration, openServicePoints int, fallback time.Duration) time.Duration {
	if position <= 1 {
		return 0
	}
	m := fallback
	var samples []time.Duration
	for _, d := range recentServiceTimes {
		if d > 0 {
			samples = append(samples, d)
		}
	}
	if len(samples) >= MinServiceSamples {
		m = Median(samples)
	}
	if m <= 0 {
		return 0
	}
	s := max(openServicePoints, 1)
	// 128-bit arithmetic: exact, and a silly position saturates instead of overflowing.
	hi, lo := bits.Mul64(uint64(position-1), uint64(m))
	if hi >= uint64(s) {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, uint64(s))
	if q > math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(q)
}

// EstimateMinutes is EstimateWait in whole minutes, rounded up: a patient told "3 minutes" should not be
// called after 3 minutes 40 seconds.
func EstimateMinutes(position int, recentServiceTimes []time.Duration, openServicePoints int, fallback time.Duration) int {
	d := EstimateWait(position, recentServiceTimes, openServicePoints, fallback)
	m := int(d / time.Minute)
	if d%time.Minute != 0 {
		m++
	}
	return m
}

// Median returns the middle of ds, or the mean of the two middle values when len(ds) is even; 0 for
// none. ds is not modified.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	a, b := s[n/2-1], s[n/2]
	return a + (b-a)/2
}

// Percentile returns the p-th percentile (p from 0 to 100, clamped; NaN counts as 0) of ds by the
// nearest-rank method: the smallest value with at least p % of the values at or below it. It is always
// one of the observed values, so "90 % of patients waited at most X" is literally true of the data; it
// therefore differs from Median for an even number of values. 0 for none; ds is not modified.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if math.IsNaN(p) || p <= 0 {
		return s[0]
	}
	if p >= 100 {
		return s[len(s)-1]
	}
	// p × n first: 70 / 100 × 10 is 7.000000000000001 in floating point, which would round up to 8.
	rank := int(math.Ceil(p * float64(len(s)) / 100))
	return s[max(rank, 1)-1]
}
