package session_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

// requireNoLiveToken fails unless every refresh token of Ana's is revoked and the session a racing
// refresh may have returned is dead too.
func (f *fixture) requireNoLiveToken(t *testing.T, s *session.Session) {
	t.Helper()
	require.Zero(t, f.count(t, "SELECT count(*) FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL", string(f.ana.ID)),
		"a refresh or sign-in racing the password change minted a token that outlives it")
	if s == nil {
		return
	}
	requireSessionRevoked(t, f.viewer(t, s.AccessToken))
	_, err := f.svc.Refresh(t.Context(), s.RefreshToken)
	requireSessionRevoked(t, err)
}

type refreshResult struct {
	s   *session.Session
	err error
}

func TestRefreshRacingPasswordChange(t *testing.T) {
	t.Parallel()

	// The interleaving that used to leave a live token, forced with locks: the refresh has marked its
	// token used and inserted the new one, and waits for the audit chain's head (held here, as any
	// other audited write would); then the password change starts. Before the refresh took the
	// account's row lock, the change's revoking UPDATE waited for the old token's row and, once the
	// refresh committed, revoked it but not the new token its snapshot did not contain.
	t.Run("PostgresHeldAtItsAuditEntry", func(t *testing.T) {
		t.Parallel()
		if !hasDialect(t, store.Postgres) {
			t.Skip("PostgreSQL is not among CAREQUEUE_TEST_DIALECTS")
		}
		f := newFixture(t, store.Postgres)
		s := f.login(t) // writes the chain head row the holder locks
		ctx := context.Background()
		holder, err := f.db.SQL.BeginTx(ctx, nil)
		require.NoError(t, err)
		defer func() { _ = holder.Rollback() }()
		_, err = holder.ExecContext(ctx, "SELECT 1 FROM audit_chain_heads WHERE id = 1 FOR UPDATE")
		require.NoError(t, err)

		refreshed := make(chan refreshResult, 1)
		go func() {
			s, err := f.svc.Refresh(ctx, s.RefreshToken)
			refreshed <- refreshResult{s, err}
		}()
		f.awaitLockWaiters(t, 1) // the refresh, at its audit entry
		changed := make(chan error, 1)
		go func() {
			_, err := f.svc.SetPassword(testfactory.As(ctx, f.admin), f.ana.ID, "a brand new password")
			changed <- err
		}()
		f.awaitLockWaiters(t, 2) // the password change, behind the refresh
		require.NoError(t, holder.Rollback())

		require.NoError(t, <-changed)
		r := <-refreshed
		require.NoError(t, r.err, "the refresh held the account first: it commits, and the change revokes what it minted")
		f.requireNoLiveToken(t, r.s)
	})

	// Any interleaving: on SQLite BEGIN IMMEDIATE runs the two one after the other; on PostgreSQL the
	// account's row lock does.
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d)+"/AnyOrder", func(t *testing.T) {
			t.Parallel()
			for range 5 {
				f := newFixture(t, d)
				s := f.login(t)
				refreshed := make(chan refreshResult, 1)
				go func() {
					s, err := f.svc.Refresh(t.Context(), s.RefreshToken)
					refreshed <- refreshResult{s, err}
				}()
				_, err := f.svc.SetPassword(testfactory.As(t.Context(), f.admin), f.ana.ID, "a brand new password")
				require.NoError(t, err)
				r := <-refreshed
				if r.err != nil {
					requireSessionRevoked(t, r.err)
				}
				f.requireNoLiveToken(t, r.s)
			}
		})
	}
}

// awaitLockWaiters waits until n of the test database's connections wait for a lock.
func (f *fixture) awaitLockWaiters(t *testing.T, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		return f.count(t, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == n
	}, 30*time.Second, 5*time.Millisecond, "waiting for %d connections to wait for a lock", n)
}

func hasDialect(t *testing.T, d store.Dialect) bool {
	for _, x := range storetest.Dialects(t) {
		if x == d {
			return true
		}
	}
	return false
}
