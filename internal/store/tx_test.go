package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

// TestInTx checks that a transaction's writes commit or roll back together, and that entities written
// in it can still load their edges after it ends (a GraphQL mutation's result is resolved after commit).
func TestInTx(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := storetest.NewMigratedDB(t, d, migrations.FS)
			sys := auth.SystemContext(context.Background())

			var dept *ent.Department
			require.NoError(t, db.InTx(sys, func(ctx context.Context, tx *store.Tx) error {
				dept = testfactory.Department(ctx, t, tx.Client, nil) // and its facility, in the transaction
				return nil
			}))
			f, err := dept.QueryFacility().Only(sys)
			require.NoError(t, err, "an edge of a committed entity loads after commit")
			require.Equal(t, dept.FacilityID, f.ID)
			require.NoError(t, dept.Update().SetName("ED").Exec(sys), "and it can still be changed")

			boom := errors.New("boom")
			var gone *ent.Facility
			err = db.InTx(sys, func(ctx context.Context, tx *store.Tx) error {
				gone = testfactory.Facility(ctx, t, tx.Client, nil)
				return boom
			})
			require.ErrorIs(t, err, boom)
			_, err = db.Client().Facility.Get(sys, gone.ID)
			require.True(t, ent.IsNotFound(err), "the rolled-back row does not exist")
		})
	}
}
