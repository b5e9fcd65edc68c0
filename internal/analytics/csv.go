package analytics

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/carequeue/carequeue/internal/queue"
)

// WriteCSV writes rows as CSV with a header line: one column per figure, then the share within target
// of each triage level (empty when the level had no called patient). Durations are in seconds.
func WriteCSV(w io.Writer, rows []*Row) error {
	cw := csv.NewWriter(w)
	header := []string{"day", "department_id", "queue_id", "queue", "live", "arrivals", "served", "no_shows",
		"cancellations", "median_wait_seconds", "p90_wait_seconds", "median_service_seconds"}
	for _, l := range queue.Levels() {
		header = append(header, "within_target_"+strings.ToLower(string(l)))
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{r.Day, string(r.DepartmentID), "", "", strconv.FormatBool(r.Live), strconv.Itoa(r.Arrivals),
			strconv.Itoa(r.Served), strconv.Itoa(r.NoShows), strconv.Itoa(r.Cancellations),
			optInt(r.MedianWaitSeconds), optInt(r.P90WaitSeconds), optInt(r.MedianServiceSeconds)}
		if r.QueueID != nil {
			rec[2] = string(*r.QueueID)
		}
		if r.QueueName != nil {
			rec[3] = cell(*r.QueueName)
		}
		shares := ShareMap(r.WithinTarget)
		for _, l := range queue.Levels() {
			s, ok := shares[string(l)]
			if !ok {
				rec = append(rec, "")
				continue
			}
			rec = append(rec, strconv.FormatFloat(s, 'f', 4, 64))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func optInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// cell defuses a name that a spreadsheet would run as a formula (CSV injection): a leading = + - @ tab
// or carriage return gets a quote in front.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
