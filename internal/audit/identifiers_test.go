package audit_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

func TestRecordKeepsPatientIdentifiersOutOfTheLog(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := storetest.NewMigratedDB(t, d, migrations.FS)
			before := map[string]any{"id": "PA1", "given_name": "Ada", "family_name": "Lovelace", "phone": "+447700900123",
				"date_of_birth": "1815-12-10T00:00:00Z", "mrn": "MRN-0042", "language": "en", "email": nil}
			after := map[string]any{"id": "PA1", "given_name": "Ada", "family_name": "King", "phone": "+447700900999",
				"date_of_birth": "1815-12-10T00:00:00Z", "mrn": "MRN-0042", "language": "fr", "email": nil}
			account := map[string]any{"id": "US7", "name": "Ada King", "role": "PATIENT", "phone": "+447700900999"}
			staff := map[string]any{"id": "US8", "name": "Dr Grace Hopper", "role": "CLINICIAN"}
			require.NoError(t, db.InTx(asAdmin(), func(ctx context.Context, tx *store.Tx) error {
				if err := audit.Record(ctx, tx.Client, audit.Entry{Action: "patient.update", EntityType: "Patient", Before: before, After: after}); err != nil {
					return err
				}
				if err := audit.Record(ctx, tx.Client, audit.Entry{Action: "user.create", EntityType: "User", After: account}); err != nil {
					return err
				}
				return audit.Record(ctx, tx.Client, audit.Entry{Action: "user.create", EntityType: "User", After: staff})
			}))
			es := chain(t, db)
			require.Len(t, es, 3)
			stored, err := json.Marshal(es)
			require.NoError(t, err)
			// Whole values, as JSON strings where they are words: a fragment such as "1815" turns up by
			// chance in the hashes, ids and timestamps (a run failed on it).
			for _, plain := range []string{`"Ada"`, `"Lovelace"`, `"King"`, `"Ada King"`, "+447700900", "1815-12-10", "MRN-0042"} {
				require.NotContains(t, string(stored), plain, "the log must not hold patient identifiers in clear")
			}
			require.Contains(t, string(stored), "Dr Grace Hopper", "staff names stay readable")

			changes := audit.Changes(es[0].Before, es[0].After)
			fields := []string{}
			for _, c := range changes {
				fields = append(fields, c.Field)
			}
			require.Equal(t, []string{"family_name", "language", "phone"}, fields, "field names kept; unchanged identifiers are not reported as changed")
			require.Equal(t, `"fr"`, *changes[1].After, "fields that identify nobody stay readable")
			require.Equal(t, `"`+audit.HashIdentifier("+447700900999")+`"`, *changes[2].After,
				"whoever holds the key can check a value")
			require.Nil(t, es[0].After["email"], "a null stays null")
			require.Nil(t, verify(t, db).Broken)
		})
	}
}

func TestHashIdentifierIsKeyed(t *testing.T) {
	// Not parallel: it changes the process's key.
	h1 := audit.HashIdentifier("+447700900123")
	audit.UseKey([]byte("another key"))
	h2 := audit.HashIdentifier("+447700900123")
	require.NotEqual(t, h1, h2)
	require.Equal(t, h2, audit.HashIdentifier("+447700900123"))
	require.NotEqual(t, h2, audit.HashIdentifier("+447700900124"))
	audit.UseKey(nil) // ignored
	require.Equal(t, h2, audit.HashIdentifier("+447700900123"))
}
