package analytics_test

import (
	"fmt"
	"testing"
	"time"

	entticket "github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// BenchmarkRecomputeDay stores one day's reports of a department with 2,000 tickets (a busy emergency
// department's day): go test ./internal/analytics -run '^$' -bench RecomputeDay
func BenchmarkRecomputeDay(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		b.Run(string(d), func(b *testing.B) {
			now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
			h := newHospital(b, d, "UTC", now)
			am := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
			for i := range 2000 {
				q := h.clinic
				if i%3 == 0 {
					q = h.lab
				}
				h.visit(b, q, "2026-11-25", am.Add(time.Duration(i)*40*time.Second),
					time.Duration(5+i%50)*time.Minute, time.Duration(3+i%20)*time.Minute, entticket.StatusCOMPLETED)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := h.svc.Recompute(h.admin, h.facility.ID, "2026-11-25", "2026-11-25"); err != nil {
					b.Fatal(fmt.Errorf("recompute: %w", err))
				}
			}
		})
	}
}
