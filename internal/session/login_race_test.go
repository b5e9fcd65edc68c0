package session_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

// TestLoginRacingPasswordChange: a sign-in with the old password that races a password change never
// leaves a live session behind; the password is checked again, on the locked account row, inside the
// transaction that issues the session.
func TestLoginRacingPasswordChange(t *testing.T) {
	t.Parallel()

	// The interleaving that used to mint a session, forced with a lock: the sign-in has verified the
	// old password (the committed hash) and waits for the account's row, which a password change
	// holds; the change revokes Ana's tokens and commits. Before the check moved into the
	// transaction, the sign-in then recorded its login and issued a token the change never saw.
	t.Run("PostgresChangeCommitsWhileSignInWaits", func(t *testing.T) {
		t.Parallel()
		if !hasDialect(t, store.Postgres) {
			t.Skip("PostgreSQL is not among CAREQUEUE_TEST_DIALECTS")
		}
		f := newFixture(t, store.Postgres)
		ctx := context.Background()
		change, err := f.db.SQL.BeginTx(ctx, nil)
		require.NoError(t, err)
		defer func() { _ = change.Rollback() }()
		newHash, err := f.hasher.Hash("a brand new password")
		require.NoError(t, err)
		_, err = change.ExecContext(ctx, "UPDATE users SET password_hash = $1 WHERE id = $2", newHash, string(f.ana.ID))
		require.NoError(t, err)

		signedIn := make(chan refreshResult, 1)
		go func() {
			s, err := f.svc.Login(from(t, "203.0.113.7"), anaEmail, anaPassword)
			signedIn <- refreshResult{s, err}
		}()
		f.awaitLockWaiters(t, 1) // the sign-in, password verified, at the account's row
		_, err = change.ExecContext(ctx, "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", string(f.ana.ID))
		require.NoError(t, err)
		require.NoError(t, change.Commit())

		r := <-signedIn
		requireCoded(t, r.err, cqerr.Unauthenticated, badCredentials)
		require.Nil(t, r.s)
		f.requireNoLiveToken(t, nil)
		es, _ := f.entries(t, "session.signInFailed")
		require.Len(t, es, 1, "the refused sign-in is audited")
		require.Contains(t, es[0].After["reason"], "password changed")
	})

	// Any interleaving: on SQLite BEGIN IMMEDIATE runs the two one after the other; on PostgreSQL the
	// account's row lock does. Either the sign-in is refused or the change revokes what it minted.
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d)+"/AnyOrder", func(t *testing.T) {
			t.Parallel()
			for range 5 {
				f := newFixture(t, d)
				signedIn := make(chan refreshResult, 1)
				go func() {
					s, err := f.svc.Login(from(t, "203.0.113.7"), anaEmail, anaPassword)
					signedIn <- refreshResult{s, err}
				}()
				_, err := f.svc.SetPassword(testfactory.As(t.Context(), f.admin), f.ana.ID, "a brand new password")
				require.NoError(t, err)
				r := <-signedIn
				if r.err != nil {
					requireCoded(t, r.err, cqerr.Unauthenticated, badCredentials)
				}
				f.requireNoLiveToken(t, r.s)
			}
		})
	}

	// Afterwards only the new password signs in.
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d)+"/OnlyTheNewPasswordAfterwards", func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, d)
			_, err := f.svc.SetPassword(testfactory.As(t.Context(), f.admin), f.ana.ID, "a brand new password")
			require.NoError(t, err)
			_, err = f.svc.Login(from(t, "203.0.113.7"), anaEmail, anaPassword)
			requireCoded(t, err, cqerr.Unauthenticated, badCredentials)
			var s *session.Session
			s, err = f.svc.Login(from(t, "203.0.113.7"), anaEmail, "a brand new password")
			require.NoError(t, err)
			require.NotEmpty(t, s.AccessToken)
		})
	}
}
