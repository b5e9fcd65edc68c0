package jobs

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/riverqueue/river/rivermigrate"

	"github.com/carequeue/carequeue/internal/store"
)

// migrationLockKey is the pg_advisory_lock key held while River migrates ("cqriver!" in ASCII); it
// differs from the Atlas migration's key so neither waits on the other's holder by accident.
const migrationLockKey int64 = 0x6371726976657221

// Migrate creates or upgrades River's tables (river_job, river_queue, …) with River's own migrator. It
// must run after store.Migrate: Atlas refuses to start on a database that already holds tables but no
// revisions, so Migrate refuses first, with a message that says so. Running it again changes nothing;
// on PostgreSQL an advisory lock makes replicas that start together take turns.
func Migrate(ctx context.Context, db *store.DB) error {
	var n int
	if err := db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+store.RevisionsTable).Scan(&n); err != nil || n == 0 {
		return fmt.Errorf("migrating River: apply the schema migrations first (no %s found)", store.RevisionsTable)
	}
	drv, err := riverDriver(db, false)
	if err != nil {
		return err
	}
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: discard()})
	if err != nil {
		return fmt.Errorf("migrating River: %w", err)
	}
	if db.Dialect == store.Postgres {
		conn, err := db.SQL.Conn(ctx)
		if err != nil {
			return fmt.Errorf("migrating River: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
			return fmt.Errorf("migrating River: waiting for the migration lock: %w", err)
		}
		defer func() {
			// The session lock must go even when ctx is done, or this pooled connection keeps it.
			if _, err := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey); err != nil {
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrating River: %w", err)
	}
	return nil
}
