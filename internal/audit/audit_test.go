package audit_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

func TestAuditEntriesAreAppendOnly(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := storetest.NewMigratedDB(t, d, migrations.FS)
			client := db.Ent
			ctx := audit.WithRequest(auth.NewContext(context.Background(), auth.Viewer{UserID: "US01", Role: auth.RoleAdmin, FacilityID: "FC01"}),
				audit.Request{ID: "req-1", Address: "192.0.2.7"})
			require.NoError(t, audit.Record(ctx, client, audit.Entry{
				Action: "queue.update", EntityType: "Queue",
				Before: map[string]any{"id": "QU1", "name": "Old"}, After: map[string]any{"id": "QU1", "name": "New"},
			}))
			// Even the system context, which passes every privacy rule, cannot change an entry.
			sys := auth.SystemContext(context.Background())
			e := client.AuditEntry.Query().OnlyX(sys)

			t.Run("RecordsWhoWhatWhereAndState", func(t *testing.T) {
				require.Equal(t, "US01", e.ActorID)
				require.Equal(t, "ADMIN", e.ActorRole)
				require.Equal(t, "QU1", e.EntityID, "entity id taken from the after state")
				require.Equal(t, "FC01", e.FacilityID)
				require.Equal(t, "req-1", e.RequestID)
				require.Equal(t, "192.0.2.7", e.Address)
				require.Equal(t, "Old", e.Before["name"])
				require.Equal(t, "New", e.After["name"])
			})
			t.Run("ErrUpdateThroughEnt", func(t *testing.T) {
				// Every field is immutable, so the builders have no setters; the hook refuses the operation itself.
				require.ErrorContains(t, client.AuditEntry.UpdateOne(e).Exec(sys), "append-only")
				_, err := client.AuditEntry.Update().Where(auditentry.ID(e.ID)).Save(sys)
				require.ErrorContains(t, err, "append-only")
			})
			t.Run("ErrDeleteThroughEnt", func(t *testing.T) {
				require.ErrorContains(t, client.AuditEntry.DeleteOne(e).Exec(sys), "append-only")
			})
			t.Run("ErrDirectSQL", func(t *testing.T) {
				// The database itself refuses, for anyone who bypasses the application.
				_, err := db.SQL.ExecContext(context.Background(), "UPDATE audit_entries SET action = 'tampered'")
				require.ErrorContains(t, err, "append-only")
				_, err = db.SQL.ExecContext(context.Background(), "DELETE FROM audit_entries")
				require.ErrorContains(t, err, "append-only")
				if d == store.Postgres {
					_, err = db.SQL.ExecContext(context.Background(), "TRUNCATE audit_entries")
					require.ErrorContains(t, err, "append-only")
				}
			})
			require.Equal(t, "queue.update", client.AuditEntry.Query().OnlyX(sys).Action, "the entry is unchanged")
		})
	}
}
