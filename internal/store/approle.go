package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
)

// validRoleName is what GrantAppRole accepts: a plain lower-case PostgreSQL identifier.
var validRoleName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// AuditTable is the append-only table the application role may only insert into and read.
const AuditTable = "audit_entries"

// GrantAppRole makes name the least-privilege role the application runs as on PostgreSQL, creating it
// (LOGIN, with password) when it does not exist and changing its password when password is not empty.
// The role may read and write the application's and River's tables in the current schema, but only
// INSERT and SELECT on audit_entries and only SELECT on the migration history. It owns nothing, so it
// cannot disable the append-only triggers, alter or drop tables, or migrate; migrations run as the
// owner (the connection db was opened with). Run it after every migration: tables a migration adds
// are granted by the default privileges it also sets, audit_entries is narrowed again.
//
// It refuses a role that is the current user, a superuser or able to bypass row security, and a
// role that owns any table of the schema: such a role can switch the triggers off.
func GrantAppRole(ctx context.Context, db *DB, name, password string) error {
	if db.Dialect != Postgres {
		return errors.New("--app-role needs PostgreSQL: SQLite has no roles (protect the database file instead)")
	}
	if !validRoleName.MatchString(name) {
		return fmt.Errorf("--app-role %q: use lower-case letters, digits and _ (at most 63)", name)
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("app role: %w", err)
	}
	defer conn.Close()
	var me, schema string
	if err := conn.QueryRowContext(ctx, "SELECT current_user, current_schema()").Scan(&me, &schema); err != nil {
		return fmt.Errorf("app role: %w", err)
	}
	if name == me {
		return fmt.Errorf("--app-role %s is the role migrating (the tables' owner): name another role for the application", name)
	}
	var super, bypass bool
	err = conn.QueryRowContext(ctx, "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1", name).Scan(&super, &bypass)
	exists := err == nil
	switch {
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("app role: %w", err)
	case super || bypass:
		return fmt.Errorf("--app-role %s is a superuser (or bypasses row security), which can switch the audit triggers off: name another role", name)
	case !exists && password == "":
		return fmt.Errorf("--app-role %s does not exist: set APP_ROLE_PASSWORD to create it", name)
	}
	var owned int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tableowner = $2", schema, name).Scan(&owned); err != nil {
		return fmt.Errorf("app role: %w", err)
	}
	if owned > 0 {
		return fmt.Errorf("--app-role %s owns %d tables of schema %s, so it can switch the audit triggers off: name a role that owns none", name, owned, schema)
	}
	stmts := []string{}
	if !exists {
		stmts = append(stmts, "CREATE ROLE %1$I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %3$L")
	} else if password != "" {
		stmts = append(stmts, "ALTER ROLE %1$I PASSWORD %3$L")
	}
	stmts = append(stmts,
		"GRANT USAGE ON SCHEMA %2$I TO %1$I",
		"REVOKE ALL ON ALL TABLES IN SCHEMA %2$I FROM %1$I",
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %2$I TO %1$I",
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %2$I TO %1$I",
		"ALTER DEFAULT PRIVILEGES IN SCHEMA %2$I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %1$I",
		"ALTER DEFAULT PRIVILEGES IN SCHEMA %2$I GRANT USAGE, SELECT ON SEQUENCES TO %1$I",
		"REVOKE ALL ON %2$I."+AuditTable+" FROM %1$I",
		"GRANT SELECT, INSERT ON %2$I."+AuditTable+" TO %1$I",
		"REVOKE ALL ON %2$I."+RevisionsTable+" FROM %1$I",
		"GRANT SELECT ON %2$I."+RevisionsTable+" TO %1$I",
	)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("app role: %w", err)
	}
	defer tx.Rollback() // a no-op after Commit
	for _, s := range stmts {
		// DDL takes no parameters: format() quotes the names (%I) and the password (%L) server-side.
		var q string
		if err := tx.QueryRowContext(ctx, "SELECT format($1, $2::text, $3::text, $4::text)", s, name, schema, password).Scan(&q); err != nil {
			return fmt.Errorf("app role: %w", err)
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("app role: %s: %w", s, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("app role: %w", err)
	}
	return nil
}
