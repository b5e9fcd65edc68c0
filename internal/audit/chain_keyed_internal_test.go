package audit

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// keyedFixture is a migrated database holding a chain of n entries written by Record.
func keyedFixture(t *testing.T, d store.Dialect, n int) (*store.DB, []*ent.AuditEntry) {
	t.Helper()
	db := storetest.NewMigratedDB(t, d, migrations.FS)
	ctx := auth.NewContext(context.Background(), auth.Viewer{UserID: "US01", Role: auth.RoleAdmin, FacilityID: "FC01"})
	for i := range n {
		require.NoError(t, db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
			return Record(ctx, tx.Client, Entry{Action: "queue.update", EntityType: "Queue", After: map[string]any{"n": i}})
		}))
	}
	return db, chainOf(t, db)
}

func chainOf(t *testing.T, db *store.DB) []*ent.AuditEntry {
	t.Helper()
	return db.Ent.AuditEntry.Query().Where(auditentry.SeqNotNil()).Order(ent.Asc(auditentry.FieldSeq)).
		AllX(auth.SystemContext(context.Background()))
}

// rewrite is what someone holding the database but not the chain key can do: change entries from
// index from on (edit may alter each one's content) and recompute their hashes and links with version
// and key, as the owner with the append-only triggers off.
func rewrite(t *testing.T, db *store.DB, es []*ent.AuditEntry, from, version int, key []byte, edit func(*ent.AuditEntry)) {
	t.Helper()
	prev := ""
	if from > 0 {
		prev = es[from-1].Hash
	}
	var stmts []string
	for _, e := range es[from:] {
		if edit != nil {
			edit(e)
		}
		e.PrevHash = prev
		h, err := linkOf(e, version).hash(key)
		require.NoError(t, err)
		e.Hash, prev = h, h
		stmts = append(stmts, fmt.Sprintf("UPDATE audit_entries SET actor_id = '%s', prev_hash = '%s', hash = '%s' WHERE id = '%s'",
			e.ActorID, e.PrevHash, e.Hash, e.ID))
	}
	off, on := []string{"ALTER TABLE audit_entries DISABLE TRIGGER USER"}, []string{"ALTER TABLE audit_entries ENABLE TRIGGER USER"}
	if db.Dialect == store.SQLite {
		off, on = []string{"DROP TRIGGER IF EXISTS audit_entries_no_update", "DROP TRIGGER IF EXISTS audit_entries_no_delete"}, nil
	}
	for _, s := range append(append(off, stmts...), on...) {
		_, err := db.SQL.ExecContext(context.Background(), s)
		require.NoError(t, err, s)
	}
}

func verifyWith(t *testing.T, db *store.DB, opts Options) Report {
	t.Helper()
	r, err := VerifyWith(context.Background(), db.Ent, opts)
	require.NoError(t, err)
	return r
}

func TestKeyedAuditChain(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			t.Run("EntriesAreKeyed", func(t *testing.T) {
				t.Parallel()
				db, es := keyedFixture(t, d, 3)
				for _, e := range es {
					require.True(t, hashes(e, keyedVersion, chainKey.get()))
					require.False(t, hashes(e, unkeyedVersion, nil), "not the plain SHA-256 of version 1")
				}
				r := verifyWith(t, db, Options{})
				require.Nil(t, r.Broken)
				require.Equal(t, int64(3), r.Chained)
				require.Zero(t, r.Unkeyed)
			})
			// The attack the key is for: the owner edits an entry and recomputes the unkeyed hashes of
			// it and of every later entry, head included; the chain is consistent, but not keyed.
			t.Run("ErrRewrittenWithUnkeyedHashes", func(t *testing.T) {
				t.Parallel()
				db, es := keyedFixture(t, d, 5)
				rewrite(t, db, es, 1, unkeyedVersion, nil, func(e *ent.AuditEntry) { e.ActorID = "US99" })
				r := verifyWith(t, db, Options{})
				require.NotNil(t, r.Broken, "a rewrite with recomputed unkeyed hashes must be caught")
				require.Equal(t, string(es[1].ID), r.Broken.ID)
				require.Contains(t, r.Broken.Reason, "not keyed")
				require.Equal(t, int64(1), r.Chained)
			})
			t.Run("ErrRewrittenUnderAnotherKey", func(t *testing.T) {
				t.Parallel()
				db, es := keyedFixture(t, d, 4)
				rewrite(t, db, es, 0, keyedVersion, []byte("a key guessed by the forger, 32b"), func(e *ent.AuditEntry) { e.ActorID = "US99" })
				r := verifyWith(t, db, Options{UnkeyedThrough: 4}) // accepting old entries does not accept a wrong key
				require.NotNil(t, r.Broken)
				require.Equal(t, string(es[0].ID), r.Broken.ID)
				require.Contains(t, r.Broken.Reason, "under the chain key")
			})
			// A log written before the upgrade: its first entries carry version 1 hashes, the later
			// ones keyed hashes linked to them. It verifies once the operator names the last old entry,
			// and only up to it: an unkeyed hash after it is refused.
			t.Run("OldEntriesVerifyUpToUnkeyedThrough", func(t *testing.T) {
				t.Parallel()
				db, es := keyedFixture(t, d, 5)
				rewrite(t, db, es, 0, unkeyedVersion, nil, nil)          // all five as an old server wrote them
				rewrite(t, db, es, 3, keyedVersion, chainKey.get(), nil) // the upgraded server wrote the last two
				r := verifyWith(t, db, Options{})
				require.NotNil(t, r.Broken)
				require.Equal(t, string(es[0].ID), r.Broken.ID)
				require.Contains(t, r.Broken.Reason, "--unkeyed-through")

				r = verifyWith(t, db, Options{UnkeyedThrough: 3})
				require.Nil(t, r.Broken, "%v", r.Broken)
				require.Equal(t, int64(5), r.Chained)
				require.Equal(t, int64(3), r.Unkeyed)

				r = verifyWith(t, db, Options{UnkeyedThrough: 2})
				require.NotNil(t, r.Broken)
				require.Equal(t, string(es[2].ID), r.Broken.ID)

				// New entries keep the chain: linked to the newest, keyed.
				ctx := auth.NewContext(context.Background(), auth.Viewer{UserID: "US01", Role: auth.RoleAdmin})
				require.NoError(t, db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
					return Record(ctx, tx.Client, Entry{Action: "queue.update", EntityType: "Queue"})
				}))
				r = verifyWith(t, db, Options{UnkeyedThrough: 3})
				require.Nil(t, r.Broken)
				require.Equal(t, int64(6), r.Chained)
			})
		})
	}
}
