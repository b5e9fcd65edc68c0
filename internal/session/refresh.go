package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/refreshtoken"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
)

// errReused aborts a rotation whose token turned out to be used already.
var errReused = errors.New("refresh token reused")

// Refresh exchanges a refresh token for a new session in the same family: the presented token is
// marked used and a new one issued, in one transaction. Of two concurrent calls with one token exactly
// one succeeds.
//
// Errors are UNAUTHENTICATED: "session expired, sign in again" for a malformed, unknown or expired
// token or an inactive account; "session revoked, sign in again" for a token signed out, revoked by a
// password change, or used before; with extensions.reason SESSION_EXPIRED past the session's
// lifetime and SESSION_IDLE when the token was issued longer than the idle timeout ago (Limits). The
// last two change nothing: the token stays unused, and every later try is refused the same way. Reuse means the token was copied, so the whole family is revoked: the thief and the owner
// both have to sign in again, and the newest token of the family stops working too.
func (s *Service) Refresh(ctx context.Context, refreshToken string) (*Session, error) {
	if !auth.IsRefreshToken(refreshToken) {
		return nil, errSessionExpired(nil) // an access token or garbage: no lookup
	}
	rt, err := s.tokenByPlain(ctx, refreshToken)
	if err != nil {
		return nil, err
	}
	now := s.now()
	switch {
	case rt == nil, !rt.ExpiresAt.After(now):
		return nil, errSessionExpired(nil)
	case rt.RevokedAt != nil:
		return nil, errSessionRevoked()
	case rt.UsedAt != nil:
		return nil, s.reused(ctx, rt)
	}

	var sess *Session
	err = s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		sys := auth.SystemContext(ctx)
		u, err := s.lockAccount(sys, tx, rt.UserID)
		if err != nil {
			return err
		}
		// The row lock taken by this UPDATE orders concurrent rotations: the second one waits for the
		// first to commit, then finds used_at set and matches no row.
		n, err := tx.Client.RefreshToken.Update().
			Where(refreshtoken.ID(rt.ID), refreshtoken.UsedAtIsNil(), refreshtoken.RevokedAtIsNil()).
			SetUsedAt(now).
			Save(sys)
		if err != nil {
			return fmt.Errorf("marking refresh token used: %w", err)
		}
		if n == 0 {
			// Revoked meanwhile (a password change that held the account first) is not reuse.
			if cur, err := tx.Client.RefreshToken.Get(sys, rt.ID); err == nil && cur.RevokedAt != nil {
				return errSessionRevoked()
			}
			return errReused
		}
		if !u.Active {
			return errSessionExpired(errors.New("account is inactive"))
		}
		// Checked here, where the role is known; the error rolls the used mark back.
		started := sessionStart(rt)
		if err := s.cfg.limitsFor(auth.Role(u.Role)).check(now, started, rt.CreatedAt); err != nil {
			return err
		}
		ctx = asUser(ctx, u)
		if sess, err = s.startSession(ctx, tx, u, rt.FamilyID, started); err != nil {
			return err
		}
		return recordSession(ctx, tx, "session.refresh", rt.FamilyID, u.FacilityID, nil)
	})
	switch {
	case errors.Is(err, errReused):
		return nil, s.reused(ctx, rt)
	case err != nil:
		return nil, fmt.Errorf("refreshing session: %w", err)
	}
	return sess, nil
}

// lockAccount reads the account a rotation is for and, on PostgreSQL, holds a shared lock on its row
// until the rotation commits. A password change and an admin's account change update that row before
// they revoke the account's tokens, so the two serialise: either the revocation waits for this
// rotation and then revokes the token it minted, or this rotation waits for the revocation and finds
// its token revoked. Without the lock a revocation whose UPDATE began while this transaction held the
// old token saw no new token in its snapshot and left it live. It must be the transaction's first lock:
// taken after the token's, the two would deadlock. SQLite needs none: BEGIN IMMEDIATE already runs
// writers one at a time.
func (s *Service) lockAccount(sys context.Context, tx *store.Tx, id pulid.ID) (*ent.User, error) {
	q := tx.Client.User.Query().Where(user.ID(id))
	if s.db.Dialect == store.Postgres {
		q.ForShare()
	}
	u, err := q.Only(sys)
	if err != nil {
		return nil, fmt.Errorf("reading session user: %w", err)
	}
	return u, nil
}

// Logout ends the session the refresh token belongs to by revoking its whole family. It returns true
// whether or not the token was known, so it never tells anyone which tokens exist.
func (s *Service) Logout(ctx context.Context, refreshToken string) (bool, error) {
	if !auth.IsRefreshToken(refreshToken) {
		return true, nil
	}
	rt, err := s.tokenByPlain(ctx, refreshToken)
	if err != nil {
		return false, err
	}
	if rt == nil {
		return true, nil
	}
	if err := s.revokeFamily(ctx, rt, "session.logout"); err != nil {
		return false, err
	}
	return true, nil
}

// sessionStart is when rt's session signed in; tokens from before the column existed use their own
// issue time, so their lifetime starts at their first refresh after the upgrade.
func sessionStart(rt *ent.RefreshToken) time.Time {
	if rt.SessionStartedAt != nil {
		return *rt.SessionStartedAt
	}
	return rt.CreatedAt
}

// tokenByPlain finds the stored token for plain, or nil. Tokens are stored only as hashes and are
// nobody's to read through privacy rules, so the lookup runs as the system.
func (s *Service) tokenByPlain(ctx context.Context, plain string) (*ent.RefreshToken, error) {
	rt, err := s.db.Ent.RefreshToken.Query().
		Where(refreshtoken.TokenHash(auth.HashSecret(plain))).
		Only(auth.SystemContext(ctx))
	switch {
	case ent.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("looking up refresh token: %w", err)
	}
	return rt, nil
}

// reused revokes rt's family in a transaction of its own, which commits although the caller's request
// fails, and returns the error for the caller.
func (s *Service) reused(ctx context.Context, rt *ent.RefreshToken) error {
	if err := s.revokeFamily(ctx, rt, "session.reuse"); err != nil {
		return err
	}
	s.log.WarnContext(ctx, "refresh token reused: session revoked", "user", rt.UserID, "session", rt.FamilyID)
	return errSessionRevoked()
}

// revokeFamily sets revoked_at on every live token of rt's family and records action.
func (s *Service) revokeFamily(ctx context.Context, rt *ent.RefreshToken, action string) error {
	err := s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		sys := auth.SystemContext(ctx)
		n, err := tx.Client.RefreshToken.Update().
			Where(refreshtoken.FamilyID(rt.FamilyID), refreshtoken.RevokedAtIsNil()).
			SetRevokedAt(s.now()).
			Save(sys)
		if err != nil {
			return err
		}
		s.announceOnCommit(ctx, tx, rt.UserID) // its access tokens and sockets end too (revoke.go)
		u, err := tx.Client.User.Get(sys, rt.UserID)
		if err != nil {
			return err
		}
		ctx = auth.SystemContext(ctx)
		if _, signedIn := auth.FromContext(ctx); !signedIn {
			ctx = asUser(ctx, u) // the holder of the token acts; name them in the audit log
		}
		return recordSession(ctx, tx, action, rt.FamilyID, u.FacilityID, map[string]any{"revokedTokens": n})
	})
	if err != nil {
		return fmt.Errorf("revoking session: %w", err)
	}
	return nil
}
