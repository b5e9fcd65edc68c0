package simulate

import (
	"context"
	"math"
	"time"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

// StaffingHour is what one hour of the day needs: the fewest service points with which the patients
// who arrive in that hour meet the ATS benchmarks.
type StaffingHour struct {
	// Hour is the hour of the day (0 to 23) the patients arrived in: the facility's day for a queue's
	// replay (FromDemand), the profile's Shape index otherwise.
	Hour int
	// Patients is how many scored patients arrived in that hour, over every day and seed.
	Patients int
	// Needed is the fewest points tried with which they met the benchmarks; 0 when Patients is 0 or
	// when even Staffing.Most points did not (Met false).
	Needed int
	Met    bool
}

// Staffing is the points needed per hour of the day under one ordering.
type Staffing struct {
	Policy queue.Policy
	// Fewest and Most are the point counts tried (see Staff).
	Fewest, Most int
	Hours        [24]StaffingHour
}

// MeetsBenchmarks reports whether every level from VERY_URGENT to NON_URGENT with patients had at
// least the ATS benchmark's share within target. IMMEDIATE is left out, as in WorstVsBenchmark: its
// target is 0 minutes, so only a point standing idle meets it, and its patients are too few to rank.
func MeetsBenchmarks(s Summary) bool {
	for r := 1; r < 5; r++ {
		if l := s.Levels[r]; l.Patients > 0 && l.WithinTarget < ATSBenchmark[r] {
			return false
		}
	}
	return true
}

// DefaultStaffingTries is how many point counts Staff tries unless told.
const DefaultStaffingTries = 24

// Staff finds, for each hour of the day, the fewest service points with which the patients arriving
// in that hour meet the ATS benchmarks (MeetsBenchmarks) under opts.Policy.
//
// Method: the profile's arrivals are held (the arrival rate of p, whatever the count of points) and
// replayed, seeds pooled, with k points open all day for k = Fewest, Fewest+1, …; each hour of the
// day takes the first k at which its own arrivals meet the benchmarks. Fewest is the smallest k whose
// mean load is at most maxLoad (fewer cannot keep up: the line grows day after day). It stops when
// every hour with patients is met, or after Most = Fewest+tries−1 (at most maxPoints; tries below 1
// mean DefaultStaffingTries): an hour not met by then has Met false.
// Because the count is the same all day, an hour after a peak is judged with the peak's staffing
// before it: the answer is for a rota with k points around that hour, not a rota that drops points
// just before it. An hour with few patients is judged on few patients: see StaffingHour.Patients.
// Estimates are not computed (opts.SkipEstimates is forced): they do not change who is called when.
//
// Errors: those of Run, and BAD_USER_INPUT when seeds is empty.
func Staff(ctx context.Context, p Profile, opts Options, seeds []uint64, tries int) (*Staffing, error) {
	if len(seeds) == 0 {
		return nil, cqerr.E(cqerr.BadUserInput, "staffing needs at least one seed").WithField("seeds")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	opts.SkipEstimates = true
	offered := p.Load * float64(p.Points) // the mean number of points busy
	s := &Staffing{Policy: opts.Policy, Fewest: max(1, int(math.Ceil(offered/maxLoad-1e-9)))}
	if tries < 1 {
		tries = DefaultStaffingTries
	}
	s.Most = min(maxPoints, s.Fewest+tries-1)
	for h := range s.Hours {
		s.Hours[h].Hour = h
	}
	var patients [24]int
	for k := s.Fewest; k <= s.Most; k++ {
		var byHour [24][]Outcome
		for _, seed := range seeds {
			q := p
			q.Points, q.Seed = k, seed
			if offered > 0 {
				q.Load = offered / float64(k)
			}
			r, err := Run(ctx, q, opts)
			if err != nil {
				return nil, err
			}
			for _, o := range r.Outcomes {
				h := int(o.Arrival.Sub(start)/time.Hour) % 24
				byHour[h] = append(byHour[h], o)
			}
		}
		left := 0
		for h, os := range byHour {
			hr := &s.Hours[h]
			patients[h] = len(os)
			if hr.Met || len(os) == 0 {
				continue
			}
			if MeetsBenchmarks(Summarize(os)) {
				hr.Needed, hr.Met = k, true
			} else {
				left++
			}
		}
		if left == 0 {
			s.Most = k
			break
		}
	}
	for h := range s.Hours {
		s.Hours[h].Patients = patients[h]
	}
	return s, nil
}
