package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/analytics"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// ReportsCSVPath serves a department's daily figures as CSV (the dailyFigures query's rows).
const ReportsCSVPath = "/admin/reports.csv"

// ReportsCSV serves GET ReportsCSVPath?departmentID=…&from=…&to=… to a viewer signed in with a Bearer
// token (the dashboard downloads it with fetch). figures is analytics.Service.Figures: its privacy
// rules decide who gets what. Errors answer with the GraphQL error shape and the code's HTTP status.
func ReportsCSV(figures func(ctx context.Context, departmentID pulid.ID, from, to string) ([]*analytics.Row, error), log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeCodedError(w, r, log, cqerr.E(cqerr.BadUserInput, "use GET"), http.StatusMethodNotAllowed)
			return
		}
		q := r.URL.Query()
		from, to := q.Get("from"), q.Get("to")
		rows, err := figures(r.Context(), pulid.ID(q.Get("departmentID")), from, to)
		if err != nil {
			writeCodedError(w, r, log, err, 0)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="carequeue-%s-%s-%s.csv"`,
			safeName(q.Get("departmentID")), safeName(from), safeName(to)))
		w.Header().Set("Cache-Control", "no-store")
		if err := analytics.WriteCSV(w, rows); err != nil {
			log.WarnContext(r.Context(), "writing CSV", "error", err)
		}
	})
}

// safeName keeps letters, digits and dashes of a value put in a file name.
func safeName(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			out = append(out, r)
		}
		if len(out) == 40 {
			break
		}
	}
	return string(out)
}
