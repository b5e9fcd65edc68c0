package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/internal/analytics"
	"github.com/carequeue/carequeue/internal/queue"
)

// PastDays is how many closed days of history Load plays before this morning, so the analytics of
// earlier days have figures and the estimator has service times and arrival patterns to learn from.
const PastDays = 3

// pastPoints are the service points staffed on the past days: fewer than the hospital has, so queues
// build up as they do on a real day and the waits are minutes, not zero.
var pastPoints = map[string][]string{
	triage:     {"Bay 2", "Bay 3"},
	clinic:     {"Room 1"},
	cardiology: {"Room 3"},
	bloods:     {"Phlebotomy 1"},
	imaging:    {"X-Ray"},
}

// triageMinutes is Emergency's typical visit by triage level (STANDARD and IMMEDIATE take the queue's).
var triageMinutes = map[enum.TriageLevel]float64{veryUrgent: 35, urgent: 25, nonUrgent: 10}

// serviceMinutes is the typical visit per queue (and, in Emergency, per triage level): sicker patients
// take longer.
func serviceMinutes(queueName string, level enum.TriageLevel) float64 {
	if m, ok := triageMinutes[level]; ok && queueName == triage {
		return m
	}
	for _, q := range queues {
		if q.name == queueName {
			return float64(q.defaultServiceMinutes)
		}
	}
	return 10
}

// The past days' arrivals come from pastOpen, local time, over pastArrivalSpan: the demo's few dozen
// patients a day, packed into a morning rush so that queues form and waits are realistic.
const (
	pastOpen        = 8 * time.Hour
	pastArrivalSpan = 150 * time.Minute
)

// arrival is one past-day check-in: patients[patient] arriving at at, and what becomes of the visit.
type arrival struct {
	patient int
	at      time.Time
	leaves  time.Time // non-zero: gives up waiting then (cancelled at the desk)
	noShow  bool      // does not come when called
}

// registerPatients has the receptionist register every walk-in ahead of the past days, so a patient who
// came on an earlier day checks in with the same record today.
func (l *loader) registerPatients(ctx context.Context) error {
	ctx = l.as(ctx, ReceptionistEmail)
	for i, p := range patients {
		if _, ok := l.patients[i]; ok {
			continue
		}
		rec, err := l.adm.CreatePatient(ctx, l.details(i))
		if err != nil {
			return fmt.Errorf("registering %s %s: %w", p.given, p.family, err)
		}
		l.patients[i] = rec
	}
	return nil
}

// pastDays plays PastDays closed days through the queue workflows on a clock set to each moment (the
// engine writes the events with those times), then rebuilds those days' reports as the admin.
func (l *loader) pastDays(ctx context.Context) (string, error) {
	if err := l.registerPatients(ctx); err != nil {
		return "", err
	}
	loc, err := queue.LoadLocation(FacilityTimezone)
	if err != nil {
		return "", err
	}
	var at time.Time
	q := queue.NewService(l.db, queue.Options{Now: func() time.Time { return at }})
	now := time.Now().In(loc)
	rng := rand.New(rand.NewPCG(13, 9)) // fixed: the demo is the same every time
	served := 0
	var first, last string
	for d := PastDays; d >= 1; d-- {
		day := time.Date(now.Year(), now.Month(), now.Day()-d, 0, 0, 0, 0, loc)
		if first == "" {
			first = day.Format(time.DateOnly)
		}
		last = day.Format(time.DateOnly)
		byQueue := pastArrivals(day, d, rng)
		for _, spec := range queues {
			n, err := l.playDay(ctx, q, &at, spec.name, byQueue[spec.name], rng)
			if err != nil {
				return "", fmt.Errorf("%s, %s: %w", last, spec.name, err)
			}
			served += n
		}
	}
	reports, err := analytics.NewService(l.db, time.Now).Recompute(l.as(ctx, AdminEmail), l.facility.ID, first, last)
	if err != nil {
		return "", fmt.Errorf("rebuilding the daily reports: %w", err)
	}
	return fmt.Sprintf("%d days: %d served, %d reports", PastDays, served, reports), nil
}

// pastArrivals is day's check-ins by queue, in arrival order: about three patients in four come each
// day (a different three in four on each day), spread over the morning rush with a little jitter; about one
// in fifteen gives up waiting and one in twenty is not there when called.
func pastArrivals(day time.Time, d int, rng *rand.Rand) map[string][]arrival {
	open, span := day.Add(pastOpen), pastArrivalSpan
	var came []int
	for i := range patients {
		if (i+d)%4 != 0 {
			came = append(came, i)
		}
	}
	out := map[string][]arrival{}
	step := span / time.Duration(len(came))
	for k, i := range came {
		a := arrival{patient: i, at: open.Add(time.Duration(k)*step + time.Duration(rng.IntN(int(step/time.Second)))*time.Second)}
		switch {
		case rng.IntN(15) == 0:
			a.leaves = a.at.Add(time.Duration(5+rng.IntN(20)) * time.Minute)
		case rng.IntN(20) == 0:
			a.noShow = true
		}
		out[patients[i].queue] = append(out[patients[i].queue], a)
	}
	for _, as := range out {
		slices.SortFunc(as, func(a, b arrival) int { return a.at.Compare(b.at) })
	}
	return out
}

// playDay serves one queue's arrivals at its past-day service points: each point, as soon as it is free,
// calls the next patient the queue's ordering picks among those already there, who is seen for about the
// queue's typical time. It returns how many were completed.
func (l *loader) playDay(ctx context.Context, q *queue.Service, at *time.Time, queueName string, arrivals []arrival, rng *rand.Rand) (int, error) {
	reception, clinician := l.as(ctx, ReceptionistEmail), l.as(ctx, DoctorEmail)
	if queueName == bloods || queueName == imaging {
		clinician = l.as(ctx, NurseEmail)
	}
	qid := l.queues[queueName].ID
	points := pastPoints[queueName]
	if len(arrivals) == 0 {
		return 0, nil
	}
	free := make([]time.Time, len(points))
	for i := range free {
		free[i] = arrivals[0].at
	}
	type open struct {
		t      *ent.Ticket
		leaves time.Time
		noShow bool
	}
	var waiting []open
	next, served := 0, 0
	checkInUntil := func(until time.Time) error {
		for ; next < len(arrivals) && !arrivals[next].at.After(until); next++ {
			a := arrivals[next]
			*at = a.at
			in := queue.CheckInInput{QueueID: qid, PatientID: &l.patients[a.patient].ID}
			if p := patients[a.patient]; p.level != "" {
				level := p.level
				in.TriageLevel = &level
			}
			t, err := q.CheckIn(reception, queue.NoKey, in)
			if err != nil {
				return fmt.Errorf("checking in patient %d: %w", a.patient, err)
			}
			waiting = append(waiting, open{t: t, leaves: a.leaves, noShow: a.noShow})
		}
		return nil
	}
	// leave cancels, in time order, whoever gave up waiting by until.
	leave := func(until time.Time) error {
		slices.SortFunc(waiting, func(a, b open) int { return a.leaves.Compare(b.leaves) })
		kept := waiting[:0]
		for _, w := range waiting {
			if !w.leaves.IsZero() && !w.leaves.After(until) {
				*at = w.leaves
				if _, err := q.CancelTicket(reception, queue.NoKey, w.t.ID, "Left without being seen"); err != nil {
					return fmt.Errorf("cancelling %s: %w", w.t.Code, err)
				}
				continue
			}
			kept = append(kept, w)
		}
		waiting = kept
		return nil
	}
	for next < len(arrivals) || len(waiting) > 0 {
		p := 0
		for i := range free {
			if free[i].Before(free[p]) {
				p = i
			}
		}
		now := free[p]
		if len(waiting) == 0 && next < len(arrivals) && arrivals[next].at.After(now) {
			now = arrivals[next].at
		}
		if err := checkInUntil(now); err != nil {
			return 0, err
		}
		if err := leave(now); err != nil {
			return 0, err
		}
		if len(waiting) == 0 {
			free[p] = now
			continue
		}
		*at = now
		t, err := q.CallNext(clinician, queue.NoKey, qid, l.points[points[p]].ID)
		if err != nil {
			return 0, fmt.Errorf("calling to %s: %w", points[p], err)
		}
		if t == nil {
			return 0, fmt.Errorf("calling to %s: nobody is waiting", points[p])
		}
		i := slices.IndexFunc(waiting, func(w open) bool { return w.t.ID == t.ID })
		w := waiting[i]
		waiting = slices.Delete(waiting, i, i+1)
		if w.noShow {
			*at = now.Add(5 * time.Minute)
			if _, err := q.MarkNoShow(clinician, queue.NoKey, t.ID); err != nil {
				return 0, fmt.Errorf("no-show %s: %w", t.Code, err)
			}
			free[p] = *at
			continue
		}
		*at = now.Add(time.Duration(1+rng.IntN(3)) * time.Minute)
		if _, err := q.StartService(clinician, queue.NoKey, t.ID); err != nil {
			return 0, fmt.Errorf("starting %s: %w", t.Code, err)
		}
		minutes := serviceMinutes(queueName, t.TriageLevel) * (0.6 + 0.8*rng.Float64())
		*at = at.Add(time.Duration(minutes * float64(time.Minute)))
		if _, err := q.CompleteTicket(clinician, queue.NoKey, t.ID, nil); err != nil {
			return 0, fmt.Errorf("completing %s: %w", t.Code, err)
		}
		free[p] = *at
		served++
	}
	return served, nil
}
