package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

type whatIfReport struct {
	QueueName     *string
	ServicePoints int
	Days, Seeds   int
	Load          float64
	Runs          []struct {
		Ordering         string
		Patients         int
		WorstVsBenchmark *float64
		Levels           []struct {
			Level             *string
			Patients          int
			WithinTarget      float64
			Benchmark         *float64
			MedianWaitMinutes float64
			Estimate          *struct{ MaeShare, AfterRangeShare float64 }
		}
		Overall      struct{ Patients int }
		PointsNeeded struct {
			FewestTried, MostTried int
			Hours                  []struct {
				Hour, Patients int
				PointsNeeded   *int
				Met            bool
			}
		}
	}
}

const whatIfQuery = `query($in: SimulationInput!){ simulateQueue(input: $in){
	queueName servicePoints days seeds load
	runs { ordering patients worstVsBenchmark
		levels { level patients withinTarget benchmark medianWaitMinutes estimate { maeShare afterRangeShare } }
		overall { patients level benchmark }
		pointsNeeded { fewestTried mostTried hours { hour patients pointsNeeded met } } } } }`

// flat is 24 hours of n arrivals each.
func flat(n float64) []float64 {
	out := make([]float64, 24)
	for i := range out {
		out[i] = n
	}
	return out
}

var mtsMix = []map[string]any{{"level": "IMMEDIATE", "weight": 1}, {"level": "VERY_URGENT", "weight": 11},
	{"level": "URGENT", "weight": 33}, {"level": "STANDARD", "weight": 43}, {"level": "NON_URGENT", "weight": 12}}

// TestSimulateQueueThroughTheAPI runs what-ifs as an admin, and every bad input of issue 11 ("Bad
// input"): each a coded error naming the field, or an empty labelled result, never a hang.
func TestSimulateQueueThroughTheAPI(t *testing.T) {
	t.Parallel()
	s := startServer(t, store.SQLite)
	h := setupHospital(t, s)

	t.Run("SyntheticProfileBothOrderingsSideBySide", func(t *testing.T) {
		var rep whatIfReport
		started := time.Now()
		s.ok(t, h.admin, whatIfQuery, map[string]any{"in": map[string]any{
			"profile":       map[string]any{"arrivalsPerHour": flat(6), "levelMix": mtsMix, "meanServiceMinutes": 20},
			"servicePoints": 3, "orderings": []string{"TRIAGE", "TRIAGE_DEADLINE_AWARE"}, "days": 1,
		}}, "simulateQueue", &rep)
		require.Less(t, time.Since(started), 10*time.Second)
		require.Nil(t, rep.QueueName)
		require.Equal(t, []int{3, 1, 1}, []int{rep.ServicePoints, rep.Days, rep.Seeds})
		require.InDelta(t, 6*20.0/60/3, rep.Load, 1e-9, "6 an hour of 20 minutes on 3 points")
		require.Len(t, rep.Runs, 2)
		require.Equal(t, "TRIAGE", rep.Runs[0].Ordering)
		require.Equal(t, "TRIAGE_DEADLINE_AWARE", rep.Runs[1].Ordering)
		for _, run := range rep.Runs {
			require.Equal(t, rep.Runs[0].Patients, run.Patients, "both orderings see the same patients")
			require.Greater(t, run.Patients, 100)
			require.Equal(t, run.Patients, run.Overall.Patients)
			require.NotNil(t, run.WorstVsBenchmark)
			require.NotEmpty(t, run.Levels)
			for _, l := range run.Levels {
				require.NotNil(t, l.Level)
				require.NotNil(t, l.Benchmark)
				require.GreaterOrEqual(t, l.WithinTarget, 0.0)
				require.LessOrEqual(t, l.WithinTarget, 1.0)
			}
			require.NotNil(t, run.Levels[len(run.Levels)-1].Estimate, "the estimator is measured")
			require.Len(t, run.PointsNeeded.Hours, 24)
			require.Equal(t, 2, run.PointsNeeded.FewestTried, "2 points busy on average: 2 is the fewest that keeps up")
			for i, hr := range run.PointsNeeded.Hours {
				require.Equal(t, i, hr.Hour)
				if hr.Met {
					require.NotNil(t, hr.PointsNeeded)
					require.GreaterOrEqual(t, *hr.PointsNeeded, 2)
				}
			}
		}
	})

	t.Run("NoArrivalsIsAnEmptyLabelledResult", func(t *testing.T) {
		var rep whatIfReport
		s.ok(t, h.admin, whatIfQuery, map[string]any{"in": map[string]any{
			"profile":       map[string]any{"arrivalsPerHour": flat(0), "levelMix": mtsMix, "meanServiceMinutes": 20},
			"servicePoints": 2,
		}}, "simulateQueue", &rep)
		require.Len(t, rep.Runs, 1)
		require.Equal(t, "TRIAGE", rep.Runs[0].Ordering)
		require.Zero(t, rep.Runs[0].Patients)
		require.Empty(t, rep.Runs[0].Levels)
		require.Nil(t, rep.Runs[0].WorstVsBenchmark)
		for _, hr := range rep.Runs[0].PointsNeeded.Hours {
			require.Zero(t, hr.Patients)
			require.False(t, hr.Met)
			require.Nil(t, hr.PointsNeeded)
		}
	})

	// A second facility's queue, and an admin of the first facility only.
	var n node
	s.ok(t, h.admin, `mutation{ createFacility(input:{name:"Elsewhere", timezone:"UTC"}){ id } }`, nil, "createFacility", &n)
	s.ok(t, h.admin, `mutation($f:ID!){ createDepartment(input:{name:"ED", facilityID:$f}){ id } }`, map[string]any{"f": n.ID}, "createDepartment", &n)
	s.ok(t, h.admin, `mutation($d:ID!){ createQueue(input:{name:"Other", prefix:"O", ordering:TRIAGE, active:true, departmentID:$d}){ id } }`,
		map[string]any{"d": n.ID}, "createQueue", &n)
	otherQueue := n.ID
	s.ok(t, h.admin, `mutation($f:ID!){ createUser(input:{email:"boss@test.org",name:"Boss",role:ADMIN,facilityID:$f}, password:"a-long-password-1"){ id } }`,
		map[string]any{"f": h.facility}, "createUser", nil)
	facilityAdmin, _ := s.login(t, "boss@test.org", "a-long-password-1")
	h.checkIn(t, s, h.triage, "Ana", "URGENT") // a check-in, but no service to learn service times from

	synthetic := func(change func(p map[string]any, in map[string]any)) map[string]any {
		p := map[string]any{"arrivalsPerHour": flat(4), "levelMix": mtsMix, "meanServiceMinutes": 20}
		in := map[string]any{"profile": p, "servicePoints": 2}
		change(p, in)
		return map[string]any{"in": in}
	}
	for _, tc := range []struct {
		name, token string
		vars        map[string]any
		code, field string
		msg         string
	}{
		{"ErrZeroServicePoints", h.admin, synthetic(func(_, in map[string]any) { in["servicePoints"] = 0 }), "BAD_USER_INPUT", "input.servicePoints", "service points must be from 1 to 50"},
		{"ErrNoServicePoints", h.admin, synthetic(func(_, in map[string]any) { delete(in, "servicePoints") }), "BAD_USER_INPUT", "input.servicePoints", "needs a number of service points"},
		{"ErrTooManyServicePoints", h.admin, synthetic(func(_, in map[string]any) { in["servicePoints"] = 5000 }), "BAD_USER_INPUT", "input.servicePoints", "from 1 to 50"},
		{"ErrAbsurdRate", h.admin, synthetic(func(p, _ map[string]any) { p["arrivalsPerHour"] = flat(1e9) }), "BAD_USER_INPUT", "input.profile.arrivalsPerHour", "from 0 to 100"},
		{"ErrNegativeRate", h.admin, synthetic(func(p, _ map[string]any) { p["arrivalsPerHour"] = flat(-1) }), "BAD_USER_INPUT", "input.profile.arrivalsPerHour", "from 0 to 100"},
		{"ErrNot24Hours", h.admin, synthetic(func(p, _ map[string]any) { p["arrivalsPerHour"] = []float64{3} }), "BAD_USER_INPUT", "input.profile.arrivalsPerHour", "24 numbers"},
		{"ErrMoreThanThePointsCanServe", h.admin, synthetic(func(p, _ map[string]any) { p["arrivalsPerHour"] = flat(60) }), "BAD_USER_INPUT", "input.servicePoints", "give at least 14"},
		{"ErrTooLargeARun", h.admin, synthetic(func(p, in map[string]any) {
			p["arrivalsPerHour"] = flat(90)
			in["servicePoints"], in["days"], in["seeds"] = 40, 7, 3
		}), "BAD_USER_INPUT", "input.days", "ask for fewer days, seeds or orderings"},
		{"ErrAbsurdServiceTime", h.admin, synthetic(func(p, _ map[string]any) { p["meanServiceMinutes"] = 0 }), "BAD_USER_INPUT", "input.profile.meanServiceMinutes", "1 to 480"},
		{"ErrNegativeWeight", h.admin, synthetic(func(p, _ map[string]any) {
			p["levelMix"] = []map[string]any{{"level": "URGENT", "weight": -1}}
		}), "BAD_USER_INPUT", "input.profile.levelMix", "0 or more"},
		{"ErrLevelTwice", h.admin, synthetic(func(p, _ map[string]any) {
			p["levelMix"] = []map[string]any{{"level": "URGENT", "weight": 1}, {"level": "URGENT", "weight": 2}}
		}), "BAD_USER_INPUT", "input.profile.levelMix", "twice"},
		{"ErrTooManyDays", h.admin, synthetic(func(_, in map[string]any) { in["days"] = 400 }), "BAD_USER_INPUT", "input.days", "from 1 to 7"},
		{"ErrTooManySeeds", h.admin, synthetic(func(_, in map[string]any) { in["seeds"] = 0 }), "BAD_USER_INPUT", "input.seeds", "from 1 to 3"},
		{"ErrOrderingTwice", h.admin, synthetic(func(_, in map[string]any) { in["orderings"] = []string{"FIFO", "FIFO"} }), "BAD_USER_INPUT", "input.orderings", "twice"},
		{"ErrBothQueueAndProfile", h.admin, synthetic(func(_, in map[string]any) { in["queueID"] = h.triage }), "BAD_USER_INPUT", "input.queueID", "not both or neither"},
		{"ErrNeitherQueueNorProfile", h.admin, map[string]any{"in": map[string]any{"servicePoints": 2}}, "BAD_USER_INPUT", "input.queueID", "not both or neither"},
		{"ErrQueueDoesNotExist", h.admin, map[string]any{"in": map[string]any{"queueID": "QU01ZZZZZZZZZZZZZZZZZZZZZZZZ"}}, "NOT_FOUND", "", "queue not found"},
		{"ErrAnotherFacilitysQueue", facilityAdmin, map[string]any{"in": map[string]any{"queueID": otherQueue}}, "NOT_FOUND", "", "queue not found"},
		{"ErrQueueWithNoHistory", h.admin, map[string]any{"in": map[string]any{"queueID": h.lab}}, "BAD_USER_INPUT", "input.queueID", `queue "Lab" has no check-ins to replay`},
		{"ErrQueueWithNoServiceYet", h.admin, map[string]any{"in": map[string]any{"queueID": h.triage}}, "BAD_USER_INPUT", "input.queueID", "no service of a minute or more"},
		{"ErrHistoryDays", h.admin, map[string]any{"in": map[string]any{"queueID": h.triage, "historyDays": 0}}, "BAD_USER_INPUT", "input.historyDays", "from 1 to 366"},
		{"ErrClinician", h.clinician, synthetic(func(_, _ map[string]any) {}), "FORBIDDEN", "", ""},
		{"ErrReceptionist", h.reception, synthetic(func(_, _ map[string]any) {}), "FORBIDDEN", "", ""},
		{"ErrAnonymous", "", synthetic(func(_, _ map[string]any) {}), "UNAUTHENTICATED", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			started := time.Now()
			r := s.gql(t, tc.token, `query($in: SimulationInput!){ simulateQueue(input: $in){ servicePoints } }`, tc.vars)
			require.Less(t, time.Since(started), 10*time.Second, "never a hang")
			require.Equal(t, tc.code, r.code(), r.Raw)
			field, _ := r.Errors[0].Extensions["field"].(string)
			require.Equal(t, tc.field, field, r.Raw)
			require.Contains(t, r.Errors[0].Message, tc.msg)
		})
	}
}
