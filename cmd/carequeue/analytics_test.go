package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

type figures struct {
	Day          string
	QueueName    *string
	Live         bool
	Arrivals     int
	Served       int
	WithinTarget []struct {
		Level string
		Share float64
	}
}

const figuresFields = `day queueName live arrivals served withinTarget{ level share }`

// TestAnalyticsThroughTheAPI reads today's figures, recomputes a closed day and downloads the CSV, as an
// admin and as people who may not.
func TestAnalyticsThroughTheAPI(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		first := h.checkIn(t, s, h.triage, "Ann", "URGENT")
		h.checkIn(t, s, h.triage, "Bob", "STANDARD")
		s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`,
			map[string]any{"q": h.triage, "sp": h.room1}, "callNext", nil)
		s.ok(t, h.clinician, `mutation($t:ID!){ startService(ticketID:$t){ id } }`, map[string]any{"t": first.ID}, "startService", nil)
		s.ok(t, h.clinician, `mutation($t:ID!){ completeTicket(ticketID:$t){ id } }`, map[string]any{"t": first.ID}, "completeTicket", nil)

		paris, _ := time.LoadLocation("Europe/Paris")
		now := time.Now().In(paris)
		today, yesterday := now.Format(time.DateOnly), now.AddDate(0, 0, -1).Format(time.DateOnly)

		var live []figures
		s.ok(t, h.admin, `query($d:ID!){ todayFigures(departmentID:$d){ `+figuresFields+` } }`, map[string]any{"d": h.dept}, "todayFigures", &live)
		require.Len(t, live, 4, "the department's total, then its three queues")
		require.Nil(t, live[0].QueueName)
		require.Equal(t, today, live[0].Day)
		require.True(t, live[0].Live)
		require.Equal(t, []int{2, 1}, []int{live[0].Arrivals, live[0].Served})
		require.Equal(t, "Lab", *live[1].QueueName)
		require.Equal(t, "Night clinic", *live[2].QueueName)
		require.Equal(t, "Triage", *live[3].QueueName)
		require.Len(t, live[3].WithinTarget, 1)
		require.Equal(t, "URGENT", live[3].WithinTarget[0].Level)
		require.InDelta(t, 1.0, live[3].WithinTarget[0].Share, 1e-9)

		var n int
		s.ok(t, h.admin, `mutation($f:ID!,$day:String!){ recomputeDailyReports(facilityID:$f, from:$day, to:$day) }`,
			map[string]any{"f": h.facility, "day": yesterday}, "recomputeDailyReports", &n)
		require.Equal(t, 4, n)
		var rows []figures
		s.ok(t, h.admin, `query($d:ID!,$from:String!,$to:String!){ dailyFigures(departmentID:$d, from:$from, to:$to){ `+figuresFields+` } }`,
			map[string]any{"d": h.dept, "from": yesterday, "to": today}, "dailyFigures", &rows)
		require.Len(t, rows, 8)
		require.Equal(t, yesterday, rows[0].Day)
		require.False(t, rows[0].Live)
		require.Zero(t, rows[0].Arrivals, "a day without patients")
		require.Equal(t, live, rows[4:])

		for _, tc := range []struct{ name, token, query, code string }{
			{"ErrClinicianReadsFigures", h.clinician, `query($d:ID!){ todayFigures(departmentID:$d){ day } }`, "FORBIDDEN"},
			{"ErrAnonymousReadsFigures", "", `query($d:ID!){ todayFigures(departmentID:$d){ day } }`, "UNAUTHENTICATED"},
			{"ErrReceptionRecomputes", h.reception, `mutation($f:ID!){ recomputeDailyReports(facilityID:$f, from:"2026-01-01", to:"2026-01-01") }`, "FORBIDDEN"},
			{"ErrRecomputeToday", h.admin, `mutation($f:ID!,$t:String!){ recomputeDailyReports(facilityID:$f, from:$t, to:$t) }`, "BAD_USER_INPUT"},
			{"ErrBackwardsRange", h.admin, `query($d:ID!){ dailyFigures(departmentID:$d, from:"2026-02-01", to:"2026-01-01"){ day } }`, "BAD_USER_INPUT"},
			{"ErrTooLongRange", h.admin, `query($d:ID!){ dailyFigures(departmentID:$d, from:"2020-01-01", to:"2026-01-01"){ day } }`, "BAD_USER_INPUT"},
			{"ErrNotADate", h.admin, `query($d:ID!){ dailyFigures(departmentID:$d, from:"1 Jan", to:"2026-01-01"){ day } }`, "BAD_USER_INPUT"},
			{"ErrUnknownDepartment", h.admin, `query{ todayFigures(departmentID:"DP01ZZZZZZZZZZZZZZZZZZZZZZZZ"){ day } }`, "NOT_FOUND"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.gql(t, tc.token, tc.query, map[string]any{"d": h.dept, "f": h.facility, "t": today})
				require.Equal(t, tc.code, r.code(), r.Raw)
			})
		}

		get := func(token string, q url.Values) (*http.Response, string) {
			req, _ := http.NewRequest(http.MethodGet, s.url+"/admin/reports.csv?"+q.Encode(), nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			return res, string(body)
		}
		t.Run("CSVDownload", func(t *testing.T) {
			res, body := get(h.admin, url.Values{"departmentID": {h.dept}, "from": {yesterday}, "to": {today}})
			require.Equal(t, http.StatusOK, res.StatusCode, body)
			require.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
			require.Regexp(t, `^attachment; filename="carequeue-DP[0-9A-Z]+-`+yesterday+`-`+today+`\.csv"$`, res.Header.Get("Content-Disposition"))
			recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			require.NoError(t, err)
			require.Len(t, recs, 9, "a header and the same 8 rows")
			require.Equal(t, []string{today, h.dept, "", "", "true", "2", "1"}, recs[5][:7])
		})
		for _, tc := range []struct {
			name   string
			token  string
			q      url.Values
			status int
			code   string
		}{
			{"ErrCSVAnonymous", "", url.Values{"departmentID": {h.dept}, "from": {today}, "to": {today}}, 401, "UNAUTHENTICATED"},
			{"ErrCSVClinician", h.clinician, url.Values{"departmentID": {h.dept}, "from": {today}, "to": {today}}, 403, "FORBIDDEN"},
			{"ErrCSVNoRange", h.admin, url.Values{"departmentID": {h.dept}}, 400, "BAD_USER_INPUT"},
			{"ErrCSVUnknownDepartment", h.admin, url.Values{"departmentID": {"nope"}, "from": {today}, "to": {today}}, 404, "NOT_FOUND"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, body := get(tc.token, tc.q)
				require.Equal(t, tc.status, res.StatusCode, body)
				var out gqlResponse
				require.NoError(t, json.Unmarshal([]byte(body), &out), body)
				require.Equal(t, tc.code, out.code(), body)
			})
		}
	})
}
