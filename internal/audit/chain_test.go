package audit_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// asAdmin is a signed-in admin's request context.
func asAdmin() context.Context {
	return audit.WithRequest(auth.NewContext(context.Background(), auth.Viewer{UserID: "US01", Role: auth.RoleAdmin, FacilityID: "FC01"}),
		audit.Request{ID: "req-1", Address: "192.0.2.7"})
}

// record writes n entries, each in its own transaction as the services do.
func record(t testing.TB, db *store.DB, n int) {
	t.Helper()
	for i := range n {
		require.NoError(t, db.InTx(asAdmin(), func(ctx context.Context, tx *store.Tx) error {
			return audit.Record(ctx, tx.Client, audit.Entry{Action: "queue.update", EntityType: "Queue",
				Before: map[string]any{"id": "QU1", "n": i}, After: map[string]any{"id": "QU1", "n": i + 1}})
		}))
	}
}

// chain returns the chained entries in order.
func chain(t testing.TB, db *store.DB) []*ent.AuditEntry {
	t.Helper()
	return db.Ent.AuditEntry.Query().Where(auditentry.SeqNotNil()).Order(ent.Asc(auditentry.FieldSeq)).
		AllX(auth.SystemContext(context.Background()))
}

// owner runs SQL as the tables' owner with the append-only triggers off: what an attacker holding
// the owner's (or a superuser's) password could do.
func owner(t *testing.T, db *store.DB, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	off, on := []string{"ALTER TABLE audit_entries DISABLE TRIGGER USER"}, []string{"ALTER TABLE audit_entries ENABLE TRIGGER USER"}
	if db.Dialect == store.SQLite {
		off, on = []string{"DROP TRIGGER audit_entries_no_update", "DROP TRIGGER audit_entries_no_delete"}, nil
	}
	for _, s := range append(append(off, stmts...), on...) {
		_, err := db.SQL.ExecContext(ctx, s)
		require.NoError(t, err, s)
	}
}

func verify(t *testing.T, db *store.DB) audit.Report {
	t.Helper()
	r, err := audit.Verify(context.Background(), db.Ent)
	require.NoError(t, err)
	return r
}

func TestAuditChain(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			t.Run("EmptyLogVerifies", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewMigratedDB(t, d, migrations.FS)
				r := verify(t, db)
				require.Nil(t, r.Broken)
				require.Zero(t, r.Chained)
			})
			t.Run("LinksEveryEntryToTheOneBefore", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewMigratedDB(t, d, migrations.FS)
				record(t, db, 5)
				es := chain(t, db)
				require.Len(t, es, 5)
				for i, e := range es {
					require.Equal(t, int64(i+1), e.Seq)
					require.Len(t, e.Hash, 64)
					if i == 0 {
						require.Empty(t, e.PrevHash)
					} else {
						require.Equal(t, es[i-1].Hash, e.PrevHash)
					}
				}
				r := verify(t, db)
				require.Nil(t, r.Broken)
				require.Equal(t, int64(5), r.Chained)
				require.Equal(t, es[4].Hash, r.Head)
			})
			t.Run("ConcurrentWritersDoNotFork", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewMigratedDB(t, d, migrations.FS)
				const writers, each = 8, 15
				var wg sync.WaitGroup
				for range writers {
					wg.Go(func() { record(t, db, each) })
				}
				wg.Wait()
				r := verify(t, db)
				require.Nil(t, r.Broken)
				require.Equal(t, int64(writers*each), r.Chained)
			})
			t.Run("RolledBackEntryLeavesNoGap", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewMigratedDB(t, d, migrations.FS)
				record(t, db, 2)
				err := db.InTx(asAdmin(), func(ctx context.Context, tx *store.Tx) error {
					require.NoError(t, audit.Record(ctx, tx.Client, audit.Entry{Action: "queue.update", EntityType: "Queue"}))
					return fmt.Errorf("the change failed")
				})
				require.Error(t, err)
				record(t, db, 1)
				r := verify(t, db)
				require.Nil(t, r.Broken)
				require.Equal(t, int64(3), r.Chained)
			})
			tamper := func(t *testing.T, mutate func(es []*ent.AuditEntry) []string) (*audit.Break, []*ent.AuditEntry) {
				db := storetest.NewMigratedDB(t, d, migrations.FS)
				record(t, db, 5)
				es := chain(t, db)
				owner(t, db, mutate(es)...)
				r := verify(t, db)
				require.NotNil(t, r.Broken, "verify must see the tampering")
				return r.Broken, es
			}
			t.Run("ErrEditedEntry", func(t *testing.T) {
				t.Parallel()
				b, es := tamper(t, func(es []*ent.AuditEntry) []string {
					return []string{fmt.Sprintf("UPDATE audit_entries SET actor_id = 'US99' WHERE id = '%s'", es[2].ID)}
				})
				require.Equal(t, string(es[2].ID), b.ID)
				require.Contains(t, b.Reason, "changed")
			})
			t.Run("ErrEditedEntryRehashed", func(t *testing.T) {
				t.Parallel()
				// The forger recomputes the entry's own hash, but cannot fix the next link without
				// rewriting the rest of the chain.
				b, es := tamper(t, func(es []*ent.AuditEntry) []string {
					return []string{fmt.Sprintf("UPDATE audit_entries SET hash = '%064d' WHERE id = '%s'", 0, es[1].ID)}
				})
				require.Contains(t, []string{string(es[1].ID), string(es[2].ID)}, b.ID)
			})
			t.Run("ErrDeletedEntry", func(t *testing.T) {
				t.Parallel()
				b, es := tamper(t, func(es []*ent.AuditEntry) []string {
					return []string{fmt.Sprintf("DELETE FROM audit_entries WHERE id = '%s'", es[1].ID)}
				})
				require.Equal(t, string(es[2].ID), b.ID)
				require.Contains(t, b.Reason, "removed")
			})
			t.Run("ErrDeletedLastEntry", func(t *testing.T) {
				t.Parallel()
				b, _ := tamper(t, func(es []*ent.AuditEntry) []string {
					return []string{fmt.Sprintf("DELETE FROM audit_entries WHERE id = '%s'", es[4].ID)}
				})
				require.Contains(t, b.Reason, "removed from the end")
			})
			t.Run("ErrUnchainedEntrySlippedIn", func(t *testing.T) {
				t.Parallel()
				b, _ := tamper(t, func(es []*ent.AuditEntry) []string {
					return []string{fmt.Sprintf("INSERT INTO audit_entries (id, at, action, entity_type) SELECT 'AUFORGED', at, 'queue.update', 'Queue' FROM audit_entries WHERE id = '%s'", es[4].ID)}
				})
				require.Equal(t, "AUFORGED", b.ID)
			})
		})
	}
}
