package storetest_test

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

var migrations = os.DirFS("../testdata/migrations")

func TestNewDB(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()

			t.Run("GivesEachTestItsOwnEmptyDatabase", func(t *testing.T) {
				t.Parallel()
				a, b := storetest.NewDB(t, d), storetest.NewDB(t, d)
				_, err := a.SQL.ExecContext(ctx, "CREATE TABLE only_in_a (id integer)")
				require.NoError(t, err)
				_, err = b.SQL.ExecContext(ctx, "CREATE TABLE only_in_a (id integer)")
				require.NoError(t, err, "b must not see a's table")
			})

			t.Run("MigratedDatabasesHaveTheSchemaAndNoSharedRows", func(t *testing.T) {
				t.Parallel()
				a := storetest.NewMigratedDB(t, d, migrations)
				b := storetest.NewMigratedDB(t, d, migrations)
				_, err := a.SQL.ExecContext(ctx, "INSERT INTO facilities (name, code) VALUES ('General', 'GEN')")
				require.NoError(t, err)
				var n int
				require.NoError(t, b.SQL.QueryRowContext(ctx, "SELECT count(*) FROM facilities").Scan(&n))
				require.Zero(t, n)

				dir, err := store.MigrationsFor(migrations, d)
				require.NoError(t, err)
				applied, err := store.Migrate(ctx, b, dir)
				require.NoError(t, err)
				require.Empty(t, applied, "the copy carries the migration history")
			})

			t.Run("MigratedURLsCarryTheMigrationsAndThen", func(t *testing.T) {
				t.Parallel()
				then := &storetest.Then{Name: "marker", Apply: func(ctx context.Context, db *store.DB) error {
					_, err := db.SQL.ExecContext(ctx, "CREATE TABLE then_ran (id integer)")
					return err
				}}
				open := func() *store.DB {
					url, path := storetest.NewMigratedURL(t, d, migrations, then)
					db, err := store.Open(ctx, url, path)
					require.NoError(t, err)
					t.Cleanup(func() { db.Close() })
					return db
				}
				a, b := open(), open()
				_, err := a.SQL.ExecContext(ctx, "INSERT INTO then_ran (id) VALUES (1)")
				require.NoError(t, err, "the template ran then")
				var n int
				require.NoError(t, b.SQL.QueryRowContext(ctx, "SELECT count(*) FROM then_ran").Scan(&n))
				require.Zero(t, n, "each URL is a database of its own")
				dir, err := store.MigrationsFor(migrations, d)
				require.NoError(t, err)
				applied, err := store.Migrate(ctx, b, dir)
				require.NoError(t, err)
				require.Empty(t, applied, "the copy carries the migration history")
				// Without then, the template is another one: then's table is not there.
				url, path := storetest.NewMigratedURL(t, d, migrations, nil)
				c, err := store.Open(ctx, url, path)
				require.NoError(t, err)
				defer c.Close()
				_, err = c.SQL.ExecContext(ctx, "CREATE TABLE then_ran (id integer)")
				require.NoError(t, err)
			})
		})
	}
}

// Per-test cost of a fresh database, for choosing between NewDB and NewMigratedDB. Databases are
// dropped when the benchmark ends, so keep -benchtime to a count (e.g. -benchtime=50x).
func BenchmarkNewDB(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		b.Run(string(d), func(b *testing.B) {
			for b.Loop() {
				storetest.NewDB(b, d).Close() // dropped at the end; closing frees the connection now
			}
		})
	}
}

func BenchmarkNewMigratedDB(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		b.Run(string(d), func(b *testing.B) {
			storetest.NewMigratedDB(b, d, migrations) // build the template outside the timing
			for b.Loop() {
				storetest.NewMigratedDB(b, d, migrations).Close()
			}
		})
	}
}
