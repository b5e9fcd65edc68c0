package queue

import (
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
)

// BreachRiskThreshold is the breach risk from which a waiting patient is forecast to pass their target:
// called after it in at least half of the estimator's simulated futures.
const BreachRiskThreshold = 0.5

// BreachForecast says that a waiting patient will probably be called after their target time, or
// already is past it: "E-014 will pass its target in ~12 min at the current pace".
type BreachForecast struct {
	TargetAt time.Time
	// InMinutes is the time left until TargetAt in whole minutes, rounded up so that 0 means the target
	// has already passed.
	InMinutes int
	// Risk is the share of the estimator's futures in which the patient is called after TargetAt; 1 once
	// it has passed.
	Risk float64
}

// ForecastBreach returns the breach forecast of a waiting patient with target time target, whose
// estimated wait at now is w; nil when the patient will probably be called in time.
func ForecastBreach(now, target time.Time, w Wait) *BreachForecast {
	if !target.After(now) {
		return &BreachForecast{TargetAt: target, InMinutes: 0, Risk: 1}
	}
	if w.BreachRisk < BreachRiskThreshold {
		return nil
	}
	return &BreachForecast{TargetAt: target, InMinutes: ceilMinutes(target.Sub(now)), Risk: min(w.BreachRisk, 1)}
}

// forecastBreaches returns the breach forecasts of the waiting tickets with an estimate, by ticket.
func forecastBreaches(now time.Time, waiting []*ent.Ticket, waits map[pulid.ID]Wait) map[pulid.ID]*BreachForecast {
	out := map[pulid.ID]*BreachForecast{}
	for _, t := range waiting {
		w, ok := waits[t.ID]
		if !ok {
			continue
		}
		if f := ForecastBreach(now, t.TargetAt, w); f != nil {
			out[t.ID] = f
		}
	}
	return out
}
