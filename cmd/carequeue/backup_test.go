package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// TestBackupAndRestore backs up a database that is serving (SQLite with `carequeue backup`, PostgreSQL
// with pg_dump as the README says), restores it where a second server starts, and checks the restored
// copy serves: the same staff sign in, the tickets are there and the audit chain verifies.
func TestBackupAndRestore(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		for _, name := range []string{"Ann", "Bob", "Cat"} {
			h.checkIn(t, s, h.triage, name, "STANDARD")
		}
		s.waitForJobs(t)

		restored := map[string]string{}
		switch d {
		case store.SQLite:
			backup := filepath.Join(t.TempDir(), "backup.db")
			require.Contains(t, s.cli(t, "backup", "--to", backup), "backup written to "+backup)
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{"backup", "--to", backup}, s.getenv, &out, &errOut)
			require.ErrorContains(t, err, "already exists", "a backup never overwrites a file")
			err = run(context.Background(), []string{"backup"}, s.getenv, &out, &errOut)
			require.ErrorContains(t, err, "needs --to FILE")
			missing := filepath.Join(t.TempDir(), "mistyped.db")
			err = run(context.Background(), []string{"backup", "--to", backup + ".2"}, func(k string) string {
				if k == "SQLITE_PATH" {
					return missing
				}
				return s.getenv(k)
			}, &out, &errOut)
			require.ErrorContains(t, err, "no SQLite database at "+missing)
			require.NoFileExists(t, missing, "a mistyped SQLITE_PATH is not created by a backup")
			restored["SQLITE_PATH"] = backup
		case store.Postgres:
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{"backup", "--to", filepath.Join(t.TempDir(), "x")}, s.getenv, &out, &errOut)
			require.ErrorContains(t, err, "pg_dump", "PostgreSQL's backup is pg_dump's")
			if _, err := exec.LookPath("pg_dump"); err != nil {
				require.NotEqual(t, "true", os.Getenv("CI"), "CI needs pg_dump and pg_restore (postgresql-client)")
				t.Skip("pg_dump is not installed")
			}
			dump := filepath.Join(t.TempDir(), "carequeue.dump")
			pgRun(t, "pg_dump", "--format=custom", "--file="+dump, s.env["DATABASE_URL"])
			target, _ := storetest.NewURL(t, store.Postgres)
			pgRun(t, "pg_restore", "--no-owner", "--exit-on-error", "--dbname="+target, dump)
			restored["DATABASE_URL"] = target
		}

		r := startServerWith(t, d, restored)
		admin, _ := r.login(t, "root@test.org", "root-password-123")
		got := r.gql(t, admin, `{ tickets(first:100){ totalCount } }`, nil)
		require.Empty(t, got.Errors, got.Raw)
		require.JSONEq(t, `{"totalCount":3}`, string(got.Data["tickets"]))
		require.Contains(t, r.cli(t, "audit", "verify"), "audit log OK")
		h.checkIn(t, r, h.triage, "Dan", "STANDARD") // the restored copy takes new work
	})
}

func pgRun(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	require.NoError(t, err, "%s: %s", name, out)
}
