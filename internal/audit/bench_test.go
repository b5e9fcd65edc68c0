package audit_test

import (
	"context"
	"testing"

	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// BenchmarkAuditWrite measures one audited write's transaction with the chain (Record) against the
// same transaction inserting the entry without it, from parallel writers (-cpu sets how many), and one
// read entry as graph.ReadTrail writes it per operation.
//
//	go test ./internal/audit -run '^$' -bench AuditWrite -cpu 1,8 -benchtime 2s
func BenchmarkAuditWrite(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		db := storetest.NewMigratedDB(b, d, migrations.FS)
		entry := audit.Entry{Action: "queue.update", EntityType: "Queue",
			Before: map[string]any{"id": "QU1", "name": "Old"}, After: map[string]any{"id": "QU1", "name": "New"}}
		b.Run(string(d)+"/Chained", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := db.InTx(asAdmin(), func(ctx context.Context, tx *store.Tx) error {
						return audit.Record(ctx, tx.Client, entry)
					}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
		b.Run(string(d)+"/Unchained", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := db.InTx(asAdmin(), func(ctx context.Context, tx *store.Tx) error {
						return tx.Client.AuditEntry.Create().SetAction(entry.Action).SetEntityType(entry.EntityType).
							SetBefore(map[string]any{"id": "QU1", "name": "Old"}).SetAfter(map[string]any{"id": "QU1", "name": "New"}).Exec(ctx)
					}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
		trail := audit.NewTrail(db)
		b.Run(string(d)+"/ReadEntry10Patients", func(b *testing.B) {
			ids := []string{"PA01", "PA02", "PA03", "PA04", "PA05", "PA06", "PA07", "PA08", "PA09", "PA10"}
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := trail.Reads(asAdmin(), "WardList", ids); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
