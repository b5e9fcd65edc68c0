package queue_test

import (
	"testing"
	"time"

	"github.com/carequeue/carequeue/internal/queue"
)

// BenchmarkEstimate is the estimator's cost per queue change: every waiting patient of a busy
// emergency department queue (40 waiting, 4 rooms, 12 arrivals an hour expected), and a line of 200
// that arrived in a burst (the rate cap's worst case), under each TRIAGE ordering.
func BenchmarkEstimate(b *testing.B) {
	for _, tc := range []struct {
		name    string
		waiting int
		rate    float64
		policy  queue.Policy
	}{
		{"ED40", 40, 12, queue.PolicyTriage},
		{"ED40DeadlineAware", 40, 12, queue.PolicyTriageDeadlineAware},
		{"Burst200", 200, 200, queue.PolicyTriage},
		{"Burst200DeadlineAware", 200, 200, queue.PolicyTriageDeadlineAware},
		{"Line500", 500, 12, queue.PolicyTriage},
		{"Line500FIFO", 500, 12, queue.PolicyFIFO},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s := situation(line(tc.waiting))
			s.Order.Policy, s.OpenPoints, s.Busy = tc.policy, 4, busy(4, 7*time.Minute)
			s.Arrivals = queue.NewArrivalRates([]float64{tc.rate}, [5]float64{1, 11, 33, 43, 12})
			for b.Loop() {
				queue.Estimator{Seed: 1}.Estimate(s)
			}
		})
	}
}

// BenchmarkLearnServiceTimes is the cost of fitting the service times per queue change, from a full
// history of ServiceSamples services over the five levels.
func BenchmarkLearnServiceTimes(b *testing.B) {
	var recent []queue.Occupancy
	for i, l := range queue.Levels() {
		recent = append(recent, services(queue.ServiceSamples*[5]int{1, 11, 33, 43, 12}[i]/100, l, time.Duration(10+5*i)*time.Minute)...)
	}
	for b.Loop() {
		queue.LearnServiceTimes(recent)
	}
}
