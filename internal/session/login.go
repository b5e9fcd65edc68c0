package session

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// normalizeEmail is the stored form of an e-mail address: trimmed and lower-case.
func normalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// errCredentialsChanged aborts a sign-in whose account changed between the password check and the
// session: a password change, a disable.
var errCredentialsChanged = errors.New("account changed during sign-in")

// Login signs a user in with e-mail and password and starts a new session.
//
// Errors: RATE_LIMITED after 5 attempts a minute for the e-mail or the client address (checked before
// the password, so guessing costs attempts even when right); UNAUTHENTICATED "email or password is
// incorrect" for an unknown e-mail, a wrong password and an inactive account alike, in the same time,
// and for a password changed (or an account disabled) while the sign-in ran.
func (s *Service) Login(ctx context.Context, email, password string) (*Session, error) {
	u, err := s.checkPassword(ctx, email, password, "password")
	if err != nil {
		return nil, err
	}

	var sess *Session
	err = s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		ctx = asUser(ctx, u)
		// argon2 ran outside the transaction (no lock held for its ~100 ms), so the password it accepted
		// may no longer be the account's. This UPDATE is the transaction's first lock, on the account's
		// row, and matches only while the row still holds the hash that was verified and is active:
		// a password change (SetPassword updates the row, then revokes the account's tokens) either
		// commits first, and this matches nothing, or waits for this sign-in to commit and then revokes
		// the session it minted. Without the condition a sign-in with the old password racing the change
		// minted a session the change had not seen (as Refresh did before lockAccount). SQLite's BEGIN
		// IMMEDIATE runs the two one after the other; the condition is what refuses the second.
		upd := tx.Client.User.UpdateOneID(u.ID).
			Where(user.PasswordHash(u.PasswordHash), user.Active(true)).
			SetLastLoginAt(s.now())
		if s.hasher.NeedsRehash(u.PasswordHash) {
			if h, err := s.hasher.Hash(password); err == nil { // cannot fail: the password just verified
				upd.SetPasswordHash(h)
			}
		}
		signedIn, err := upd.Save(ctx)
		switch {
		case ent.IsNotFound(err):
			return errCredentialsChanged
		case err != nil:
			return fmt.Errorf("recording sign-in: %w", err)
		}
		family := newFamily()
		if sess, err = s.startSession(ctx, tx, signedIn, family, s.now()); err != nil {
			return err
		}
		return recordSession(ctx, tx, "session.login", family, signedIn.FacilityID, map[string]any{"method": "password"})
	})
	switch {
	case errors.Is(err, errCredentialsChanged):
		s.recordFailure(ctx, audit.Entry{Action: "session.signInFailed", EntityType: "User",
			EntityID: string(u.ID), FacilityID: string(u.FacilityID),
			After: map[string]any{"email": normalizeEmail(email), "method": "password", "reason": "password changed or account disabled during sign-in"}})
		return nil, errBadCredentials()
	case err != nil:
		return nil, fmt.Errorf("signing in: %w", err)
	}
	return sess, nil
}

// checkPassword is the password check of every sign-in: the rate limits (every attempt on the
// account, failed attempts from the address: see Options.AddressFailureLimiter), then the account's argon2id hash, in the same time whether or not the account exists. It
// returns the active account the password belongs to, or the errors Login documents. A wrong e-mail or
// password is an audit entry "session.signInFailed" (method says where: "password", "jobs.monitor");
// rate-limited attempts are not, the limiter already refused them before any check.
func (s *Service) checkPassword(ctx context.Context, email, password, method string) (*ent.User, error) {
	email = normalizeEmail(email)
	addrKey := "login:addr:" + audit.RequestFrom(ctx).Address
	if err := s.limitSignIn(ctx, "login:acct:"+email, addrKey); err != nil {
		return nil, err
	}
	u, err := s.userByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	failed := func(reason string) error {
		e := audit.Entry{Action: "session.signInFailed", EntityType: "User",
			After: map[string]any{"email": email, "method": method, "reason": reason}}
		if u != nil {
			e.EntityID, e.FacilityID = string(u.ID), string(u.FacilityID)
		}
		s.recordFailure(ctx, e)
		s.failedFrom(ctx, addrKey)
		return errBadCredentials()
	}
	if u == nil || u.PasswordHash == "" {
		s.hasher.DummyVerify()
		return nil, failed("unknown account")
	}
	ok, err := s.hasher.Verify(u.PasswordHash, password)
	switch {
	case err != nil:
		// A stored hash we cannot read is our data problem; the person only learns that sign-in failed.
		s.log.ErrorContext(ctx, "unreadable password hash", "user", u.ID, "err", err)
		return nil, failed("unreadable password hash")
	case !ok:
		return nil, failed("wrong password")
	case !u.Active:
		return nil, failed("inactive account")
	}
	return u, nil
}

// userByEmail finds the account signing in, or nil. Nobody is signed in yet, so the lookup runs as the
// system.
func (s *Service) userByEmail(ctx context.Context, email string) (*ent.User, error) {
	if email == "" {
		return nil, nil
	}
	u, err := s.db.Ent.User.Query().Where(user.EmailEQ(email)).Only(auth.SystemContext(ctx))
	switch {
	case ent.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("looking up user by email: %w", err)
	}
	return u, nil
}

// Me returns the signed-in user, or nil, nil when the request is anonymous. An account that no longer
// exists (or is no longer visible to its own token) is UNAUTHENTICATED, so the client signs in again.
func (s *Service) Me(ctx context.Context) (*ent.User, error) {
	v, ok := auth.FromContext(ctx)
	if !ok {
		return nil, nil
	}
	u, err := s.db.Ent.User.Get(ctx, v.UserID)
	switch {
	case ent.IsNotFound(err):
		return nil, errSessionExpired(err)
	case err != nil:
		return nil, fmt.Errorf("reading signed-in user: %w", err)
	}
	return u, nil
}

// ViewerFromToken verifies an access token (HTTP Authorization header, WebSocket connection_init) and
// returns who it speaks for, if its session and account still stand (revoke.go). Errors are
// UNAUTHENTICATED (wrapping auth.ErrAccountChanged when the account was disabled or changed); a refresh
// token is refused; a database failure is an internal error, so the token is not honoured unchecked.
func (s *Service) ViewerFromToken(ctx context.Context, accessToken string) (auth.Viewer, error) {
	c, err := s.tokens.ParseAccess(accessToken)
	if err != nil {
		return auth.Viewer{}, err
	}
	role := c.Role
	if user.RoleValidator(user.Role(role)) != nil {
		return auth.Viewer{}, cqerr.Wrap(cqerr.Unauthenticated, fmt.Errorf("unknown role %q", role), "invalid access token")
	}
	if err := s.checkSession(ctx, c); err != nil {
		return auth.Viewer{}, err
	}
	v := auth.Viewer{UserID: pulid.ID(c.UserID), Role: role, FacilityID: pulid.ID(c.FacilityID), Expires: c.ExpiresAt}
	if c.Client {
		v.ClientID, v.Scopes = v.UserID, c.Scopes
	}
	return v, nil
}
