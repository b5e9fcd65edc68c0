package schemadiff_test

import (
	"testing"

	atlas "ariga.io/atlas/sql/schema"
	"entgo.io/ent/dialect/sql/schema"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/migrate/migrations/internal/schemadiff"
)

func TestExcludeRiver(t *testing.T) {
	t.Parallel()
	var seen *atlas.Schema
	differ := schemadiff.ExcludeRiver(schema.DiffFunc(func(current, _ *atlas.Schema) ([]atlas.Change, error) {
		seen = current
		return nil, nil
	}))

	t.Run("HidesRiverTablesFromCurrentState", func(t *testing.T) {
		current := atlas.New("public").AddTables(atlas.NewTable("river_job"), atlas.NewTable("tickets"),
			atlas.NewTable("river_migration"), atlas.NewTable("rivers"))
		_, err := differ.Diff(current, atlas.New("public").AddTables(atlas.NewTable("tickets")))
		require.NoError(t, err)
		var names []string
		for _, tb := range seen.Tables {
			names = append(names, tb.Name)
		}
		require.Equal(t, []string{"tickets", "rivers"}, names)
		require.Len(t, current.Tables, 4, "the caller's schema is left alone")
	})
	t.Run("ErrEntTableInRiverNameSpace", func(t *testing.T) {
		_, err := differ.Diff(atlas.New("public"), atlas.New("public").AddTables(atlas.NewTable("river_audit")))
		require.ErrorContains(t, err, `"river_audit"`)
	})
}
