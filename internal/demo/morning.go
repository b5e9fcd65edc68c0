package demo

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/carequeue/carequeue/ent/ticket"
)

// This morning is played like the past days (pastdays.go), on a clock set to each moment: today's
// patients arrive one after another over morningArrivalSpan, then history's calls follow, each visit
// minutes long, so that the dashboards show a morning (waits of minutes to hours, a patient in service
// since half an hour ago) and not 56 patients who all arrived at one instant.
const morningArrivalSpan = 150 * time.Minute

// stepKind is what a morning step does to a history visit, in the order they happen.
type stepKind int

const (
	stepCall stepKind = iota
	stepStart
	stepComplete
)

// morningStep is one history visit's call, start or completion, at its moment.
type morningStep struct {
	at    time.Time
	visit int // index in history
	kind  stepKind
}

// morningPlan places this morning on the clock, ending before now: the arrival moment of each of n
// check-ins (in order, a few minutes apart, with jitter), then history's steps in time order. Within a
// queue the calls keep history's order (so the queue's ordering picks whom history says); a service
// point calls again a minute after its last visit ends; a visit starts two to four minutes after its
// call and lasts about its queue's typical time; patients history leaves CALLED were called in the
// last few minutes. When today (midnight, the facility's) is younger than the plan, the whole plan is
// squeezed into it: every ticket belongs to today. Pure; rng fixes the jitter.
func morningPlan(now, midnight time.Time, n int, rng *rand.Rand) ([]time.Time, []morningStep) {
	// The visits, relative to the first call.
	var steps []morningStep
	rel := func(d time.Duration) time.Time { return time.Time{}.Add(d) }
	pointFree := map[string]time.Duration{}
	queueLast := map[string]time.Duration{}
	var end time.Duration
	for i, v := range history {
		call := pointFree[v.point]
		if last, ok := queueLast[v.queue]; ok {
			call = max(call, last+time.Minute)
		}
		queueLast[v.queue] = call
		steps = append(steps, morningStep{at: rel(call), visit: i, kind: stepCall})
		end = max(end, call)
		if v.until == ticket.StatusCALLED {
			continue
		}
		start := call + time.Duration(2+rng.IntN(3))*time.Minute
		steps = append(steps, morningStep{at: rel(start), visit: i, kind: stepStart})
		end = max(end, start)
		if v.until != ticket.StatusCOMPLETED {
			continue
		}
		minutes := serviceMinutes(v.queue, "") * (0.6 + 0.8*rng.Float64())
		done := start + time.Duration(minutes*float64(time.Minute))
		steps = append(steps, morningStep{at: rel(done), visit: i, kind: stepComplete})
		pointFree[v.point] = done + time.Minute
		end = max(end, done)
	}
	end += 3 * time.Minute
	// Whoever is still only called was called a few minutes ago, not at the start of the morning.
	late := 0
	for i := range steps {
		if v := history[steps[i].visit]; v.until == ticket.StatusCALLED {
			late++
			steps[i].at = maxTime(steps[i].at, rel(end-time.Duration(1+late)*time.Minute))
		}
	}
	// Onto the clock: the arrivals, then the visits, ending 3 minutes before now; squeezed into today.
	total := morningArrivalSpan + end
	scale := 1.0
	if avail := now.Sub(midnight) - time.Minute; avail < total {
		scale = max(0, float64(avail)/float64(total))
	}
	squeeze := func(d time.Duration) time.Duration { return time.Duration(float64(d) * scale) }
	firstCall := now.Add(-squeeze(end))
	for i := range steps {
		steps[i].at = firstCall.Add(squeeze(steps[i].at.Sub(time.Time{})))
	}
	slices.SortStableFunc(steps, func(a, b morningStep) int {
		return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.visit, b.visit), cmp.Compare(a.kind, b.kind))
	})
	arrivals := make([]time.Time, n)
	open, gap := firstCall.Add(-squeeze(morningArrivalSpan)), squeeze(morningArrivalSpan)/time.Duration(max(n, 1))
	for k := range arrivals {
		jitter := time.Duration(0)
		if gap > 2 {
			jitter = time.Duration(rng.Int64N(int64(gap / 2)))
		}
		arrivals[k] = open.Add(time.Duration(k)*gap + jitter)
	}
	return arrivals, steps
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
