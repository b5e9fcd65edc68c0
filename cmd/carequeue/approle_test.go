package main

import (
	"context"
	"crypto/rand"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// TestAppRoleCannotRewriteTheAuditLog: `migrate --app-role` makes a role the whole server runs on,
// which cannot change, remove or unprotect audit entries however it tries.
func TestAppRoleCannotRewriteTheAuditLog(t *testing.T) {
	t.Parallel()
	if !slices.Contains(storetest.Dialects(t), store.Postgres) {
		t.Skip("roles are PostgreSQL's")
	}
	ownerURL, _ := storetest.NewURL(t, store.Postgres)
	role := "cq_app_" + strings.ToLower(rand.Text()[:8])
	t.Cleanup(func() {
		// Roles belong to the server, not the test database: remove this one before the database goes.
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, ownerURL)
		require.NoError(t, err)
		defer conn.Close(ctx)
		var exists bool
		require.NoError(t, conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", role).Scan(&exists))
		if !exists {
			return
		}
		_, err = conn.Exec(ctx, "DROP OWNED BY "+role)
		require.NoError(t, err)
		_, err = conn.Exec(ctx, "DROP ROLE "+role)
		require.NoError(t, err)
	})
	env := map[string]string{"APP_ENV": "production", "JWT_SECRET": testSecret, "DATABASE_URL": ownerURL,
		"LOG_LEVEL": "error", "APP_ROLE_PASSWORD": "app-role-pw-0123456789"}
	migrate := func(args ...string) error {
		return run(context.Background(), append([]string{"migrate"}, args...), func(k string) string { return env[k] }, io.Discard, io.Discard)
	}
	require.ErrorContains(t, migrate("--app-role", "postgres"), "name another role", "the owner (a superuser here) is refused")
	require.ErrorContains(t, migrate("--app-role", "x; DROP TABLE users"), "lower-case letters")
	require.ErrorContains(t, migrate("--app-role", "Robert"), "lower-case letters")
	require.ErrorContains(t, migrate("extra"), "takes no arguments")
	require.NoError(t, migrate("--app-role", role))
	// Running it again (every deploy) is fine, and a secret file may carry the password, as Docker and
	// Kubernetes secrets do: the role gets the file's password, which the server then signs in with.
	secretFile := filepath.Join(t.TempDir(), "app_role_password")
	require.NoError(t, os.WriteFile(secretFile, []byte("from-a-file-0123456789\n"), 0o600))
	delete(env, "APP_ROLE_PASSWORD")
	env["APP_ROLE_PASSWORD_FILE"] = secretFile
	require.NoError(t, migrate("--app-role", role))

	u, err := url.Parse(ownerURL)
	require.NoError(t, err)
	u.User = url.UserPassword(role, "from-a-file-0123456789")
	appURL := u.String()

	// The whole server, River included, runs on the role.
	s := startServerWith(t, store.Postgres, map[string]string{"DATABASE_URL": appURL, "MIGRATE_ON_START": "false"})
	h := setupHospital(t, s)
	h.checkIn(t, s, h.triage, "Ann", "STANDARD")
	s.waitForJobs(t)
	require.Contains(t, s.cli(t, "audit", "verify"), "audit log OK")

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, appURL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var n int
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM audit_entries").Scan(&n))
	require.Positive(t, n, "the role reads the log")
	for _, stmt := range []string{
		"UPDATE audit_entries SET action = 'forged'",
		"DELETE FROM audit_entries",
		"TRUNCATE audit_entries",
		"ALTER TABLE audit_entries DISABLE TRIGGER USER",
		"ALTER TABLE audit_entries DISABLE TRIGGER ALL",
		"DROP TRIGGER audit_entries_no_update_delete ON audit_entries",
		"DROP TABLE audit_entries",
		"ALTER TABLE audit_entries OWNER TO " + role,
		"SET session_replication_role = replica",
		"CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$",
		"DELETE FROM atlas_schema_revisions",
	} {
		_, err := conn.Exec(ctx, stmt)
		require.Error(t, err, "the application role must not be able to run: %s", stmt)
	}
	// Granting itself more only earns a warning ("no privileges were granted"): the UPDATE still fails.
	_, _ = conn.Exec(ctx, "GRANT UPDATE, DELETE ON audit_entries TO "+role)
	_, err = conn.Exec(ctx, "UPDATE audit_entries SET action = 'forged'")
	require.ErrorContains(t, err, "permission denied")
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM audit_entries WHERE action = 'forged'").Scan(&n))
	require.Zero(t, n)
	require.Contains(t, s.cli(t, "audit", "verify"), "audit log OK", "nothing the role tried changed the chain")
}
