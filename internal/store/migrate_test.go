package store_test

import (
	"context"
	"io/fs"
	"os"
	"sync"
	"testing"

	"ariga.io/atlas/sql/migrate"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

const (
	initFile = "20250101000000_init.sql"
	codeFile = "20250102000000_facility_code.sql"
)

var testMigrations = os.DirFS("testdata/migrations")

// testDir reads the dialect's test migrations; edit may change, add or drop files, and resum
// recomputes atlas.sum afterwards as a developer regenerating it would.
func testDir(t *testing.T, d store.Dialect, edit func(files map[string]string), resum bool) migrate.Dir {
	t.Helper()
	src, err := store.MigrationsFor(testMigrations, d)
	require.NoError(t, err)
	files := map[string]string{}
	all, err := src.Files()
	require.NoError(t, err)
	for _, f := range all {
		files[f.Name()] = string(f.Bytes())
	}
	if edit != nil {
		edit(files)
	}
	dir := &migrate.MemDir{}
	for name, body := range files {
		require.NoError(t, dir.WriteFile(name, []byte(body)))
	}
	if resum {
		hf, err := dir.Checksum()
		require.NoError(t, err)
		require.NoError(t, migrate.WriteSumFile(dir, hf))
	} else {
		b, err := fs.ReadFile(src, migrate.HashFileName)
		require.NoError(t, err)
		require.NoError(t, dir.WriteFile(migrate.HashFileName, b))
	}
	return dir
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()

			t.Run("AppliesAllFilesInOrderAndRecordsThem", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewDB(t, d)
				applied, err := store.Migrate(ctx, db, testDir(t, d, nil, false))
				require.NoError(t, err)
				require.Equal(t, []string{initFile, codeFile}, applied)
				_, err = db.SQL.ExecContext(ctx, "INSERT INTO facilities (name, code) VALUES ('General', 'GEN')")
				require.NoError(t, err)

				rows, err := db.SQL.QueryContext(ctx, "SELECT version, type, applied, total, hash FROM "+store.RevisionsTable+" ORDER BY version")
				require.NoError(t, err)
				defer rows.Close()
				var versions []string
				for rows.Next() {
					var version, hash string
					var typ, appliedN, total int
					require.NoError(t, rows.Scan(&version, &typ, &appliedN, &total, &hash))
					require.Equal(t, int(migrate.RevisionTypeExecute), typ)
					require.Equal(t, total, appliedN)
					require.NotEmpty(t, hash)
					versions = append(versions, version)
				}
				require.NoError(t, rows.Err())
				require.Equal(t, []string{"20250101000000", "20250102000000"}, versions)
			})

			t.Run("ReapplyingIsANoOp", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewDB(t, d)
				_, err := store.Migrate(ctx, db, testDir(t, d, nil, false))
				require.NoError(t, err)
				applied, err := store.Migrate(ctx, db, testDir(t, d, nil, false))
				require.NoError(t, err)
				require.Empty(t, applied)
			})

			t.Run("AppliesOnlyNewFiles", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewDB(t, d)
				first := testDir(t, d, func(f map[string]string) { delete(f, codeFile) }, true)
				applied, err := store.Migrate(ctx, db, first)
				require.NoError(t, err)
				require.Equal(t, []string{initFile}, applied)
				applied, err = store.Migrate(ctx, db, testDir(t, d, nil, false))
				require.NoError(t, err)
				require.Equal(t, []string{codeFile}, applied)
			})

			t.Run("RefusesChecksumMismatch", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewDB(t, d)
				edited := testDir(t, d, func(f map[string]string) { f[codeFile] += "\n-- sneaky edit\n" }, false)
				_, err := store.Migrate(ctx, db, edited)
				require.ErrorContains(t, err, "migration directory: checksum mismatch: "+codeFile+" was edited since atlas.sum was written")
				var n int
				require.Error(t, db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM facilities").Scan(&n), "nothing applied")
			})

			t.Run("RefusesAppliedFileChangedLater", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewDB(t, d)
				_, err := store.Migrate(ctx, db, testDir(t, d, nil, false))
				require.NoError(t, err)
				resummed := testDir(t, d, func(f map[string]string) { f[initFile] += "\n-- edited after release\n" }, true)
				_, err = store.Migrate(ctx, db, resummed)
				require.ErrorContains(t, err, "migration "+initFile+" was changed after it was applied to this database")
			})

			t.Run("FailedFileLeavesNoTraceAndCanBeRetried", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewDB(t, d)
				const bad = "20250103000000_bad.sql"
				broken := testDir(t, d, func(f map[string]string) {
					f[bad] = "CREATE TABLE half (id integer);\nINSERT INTO no_such_table VALUES (1);\n"
				}, true)
				applied, err := store.Migrate(ctx, db, broken)
				require.ErrorContains(t, err, "migration "+bad+" failed, nothing of it was kept")
				require.Equal(t, []string{initFile, codeFile}, applied)
				var n int
				require.Error(t, db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM half").Scan(&n), "table from the failed file must not exist")

				fixed := testDir(t, d, func(f map[string]string) { f[bad] = "CREATE TABLE half (id integer);\n" }, true)
				applied, err = store.Migrate(ctx, db, fixed)
				require.NoError(t, err)
				require.Equal(t, []string{bad}, applied)
			})

			t.Run("RefusesNonEmptyDatabaseWithoutHistory", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewDB(t, d)
				_, err := db.SQL.ExecContext(ctx, "CREATE TABLE stray (id integer)")
				require.NoError(t, err)
				_, err = store.Migrate(ctx, db, testDir(t, d, nil, false))
				require.ErrorContains(t, err, "database is not empty and has no migration history")
			})
		})
	}
}

func TestMigrateSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("TableRebuildKeepsChildRowsAndForeignKeys", func(t *testing.T) {
		t.Parallel()
		// The second file rebuilds "facilities" the way Atlas alters SQLite tables. Were foreign
		// keys enforced during it, DROP TABLE would cascade and delete every queue.
		db := storetest.NewDB(t, store.SQLite)
		first := testDir(t, store.SQLite, func(f map[string]string) { delete(f, codeFile) }, true)
		_, err := store.Migrate(ctx, db, first)
		require.NoError(t, err)
		_, err = db.SQL.ExecContext(ctx, "INSERT INTO facilities (id, name) VALUES (1, 'General'); INSERT INTO queues (name, facility_id) VALUES ('Triage', 1)")
		require.NoError(t, err)

		applied, err := store.Migrate(ctx, db, testDir(t, store.SQLite, nil, false))
		require.NoError(t, err)
		require.Equal(t, []string{codeFile}, applied)
		var queues int
		require.NoError(t, db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM queues").Scan(&queues))
		require.Equal(t, 1, queues)

		db.SQL.SetMaxOpenConns(1) // the connection Migrate used is the one checked below
		var fk int
		require.NoError(t, db.SQL.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
		require.Equal(t, 1, fk)
	})
}

func TestMigratePostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("ConcurrentRunsApplyEachFileOnce", func(t *testing.T) {
		t.Parallel()
		db := storetest.NewDB(t, store.Postgres)
		const replicas = 4
		var wg sync.WaitGroup
		results := make([][]string, replicas)
		errs := make([]error, replicas)
		dirs := make([]migrate.Dir, replicas)
		for i := range replicas {
			dirs[i] = testDir(t, store.Postgres, nil, false)
		}
		for i := range replicas {
			wg.Go(func() {
				results[i], errs[i] = store.Migrate(ctx, db, dirs[i])
			})
		}
		wg.Wait()
		var all []string
		for i := range replicas {
			require.NoError(t, errs[i])
			all = append(all, results[i]...)
		}
		require.ElementsMatch(t, []string{initFile, codeFile}, all)
	})
}
