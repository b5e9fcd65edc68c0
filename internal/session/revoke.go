package session

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/refreshtoken"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// Revocation makes an access token stop working before it expires. A signed token cannot be recalled,
// so every replica checks each token's session (refresh-token family) and account against the
// database, through a short per-replica cache:
//
//   - the session must not be revoked (logout, refresh-token reuse, password change, account change);
//   - the account must still be active, with the role and facility the token names.
//
// A revocation forgets the cache entries of the user at once on the replica that made it, and tells
// every replica through a RevocationPublisher (Redis pub/sub), whose subscribers forget theirs and
// re-check the user's open sockets. The cache's TTL is the backstop when that message is lost: a
// replica refuses a revoked token at most DefaultRevocationTTL after the revocation, whatever happens
// to pub/sub.

// DefaultRevocationTTL is how long a replica trusts what it read about a session.
const DefaultRevocationTTL = 5 * time.Second

// RevocationPublisher tells every replica, this one included, that a user's sessions or account
// changed (internal/redis.Revocations between replicas, internal/inmem.Revocations in one process).
type RevocationPublisher interface {
	PublishRevocation(ctx context.Context, userID string) error
}

// sessionState is what the database said about one session and its account when it was read.
type sessionState struct {
	userID   string
	found    bool // the account still exists
	active   bool
	role     auth.Role
	facility string
	revoked  bool // a token of the family was revoked
	loadedAt time.Time
}

// refusal is why claims c may no longer be honoured given st, or nil. The account is checked first:
// a disabled account's sessions are also revoked, and "disabled or changed" is the more useful answer.
func refusal(st sessionState, c auth.AccessClaims) error {
	switch {
	case !st.found:
		return errSessionExpired(fmt.Errorf("account %s no longer exists", c.UserID))
	case !st.active || st.role != c.Role || st.facility != c.FacilityID:
		return cqerr.Wrap(cqerr.Unauthenticated, auth.ErrAccountChanged, "your account was disabled or changed, sign in again")
	case st.revoked:
		return errSessionRevoked()
	}
	return nil
}

// sessionCache holds sessionStates by user and session id. An entry older than ttl is read again.
type sessionCache struct {
	ttl time.Duration

	mu      sync.RWMutex
	entries map[string]sessionState
	// epoch changes with every forget: a read that started before one is not stored, so a revocation
	// that lands while a replica reads the old state is not hidden behind it for a whole TTL.
	epoch     uint64
	pruneSize int
}

func newSessionCache(ttl time.Duration) *sessionCache {
	return &sessionCache{ttl: ttl, entries: map[string]sessionState{}, pruneSize: 1024}
}

func (c *sessionCache) get(sid string, now time.Time) (sessionState, uint64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	st, ok := c.entries[sid]
	if ok && now.Sub(st.loadedAt) >= c.ttl {
		ok = false
	}
	return st, c.epoch, ok
}

func (c *sessionCache) put(sid string, st sessionState, epoch uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		return
	}
	c.entries[sid] = st
	// Entries of sessions that stopped calling would stay forever: drop the stale ones whenever the
	// map has doubled since the last time.
	if len(c.entries) >= c.pruneSize {
		for k, e := range c.entries {
			if now.Sub(e.loadedAt) >= c.ttl {
				delete(c.entries, k)
			}
		}
		c.pruneSize = max(1024, 2*len(c.entries))
	}
}

// forget drops what is cached about userID's sessions, or about everyone's when userID is empty.
func (c *sessionCache) forget(userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	if userID == "" {
		clear(c.entries)
		return
	}
	for k, e := range c.entries {
		if e.userID == userID {
			delete(c.entries, k)
		}
	}
}

// checkSession refuses claims whose session was revoked or whose account changed. With a warm cache it
// costs a map lookup; otherwise two indexed reads.
func (s *Service) checkSession(ctx context.Context, c auth.AccessClaims) error {
	now := s.now()
	// Keyed by both: a token's claims are checked as a pair, whatever another token said of either.
	key := c.UserID + " " + c.SessionID
	st, epoch, ok := s.sessions.get(key, now)
	if !ok {
		var err error
		if st, err = s.loadSession(ctx, c); err != nil {
			return err
		}
		st.loadedAt = now
		s.sessions.put(key, st, epoch, now)
	}
	return refusal(st, c)
}

func (s *Service) loadSession(ctx context.Context, c auth.AccessClaims) (sessionState, error) {
	if c.Client {
		return s.loadClient(ctx, c)
	}
	sys := auth.SystemContext(ctx)
	st := sessionState{userID: c.UserID}
	u, err := s.db.Ent.User.Get(sys, pulid.ID(c.UserID))
	switch {
	case ent.IsNotFound(err):
		return st, nil
	case err != nil:
		return st, fmt.Errorf("reading the session's account: %w", err)
	}
	st.found, st.active, st.role, st.facility = true, u.Active, auth.Role(u.Role), string(u.FacilityID)
	st.revoked, err = s.db.Ent.RefreshToken.Query().
		Where(refreshtoken.FamilyID(c.SessionID), refreshtoken.RevokedAtNotNil()).
		Exist(sys)
	if err != nil {
		return st, fmt.Errorf("reading the session's tokens: %w", err)
	}
	return st, nil
}

// Forget drops what this replica cached about userID's sessions; the revocation subscriber calls it
// for every message.
func (s *Service) Forget(userID string) { s.sessions.forget(userID) }

// ForgetAll drops the whole cache; the revocation subscriber calls it when its subscription was
// (re)established, since messages may have been lost meanwhile.
func (s *Service) ForgetAll() { s.sessions.forget("") }

// EndUserSessions revokes every session of userID inside tx and records why (reason, e.g.
// "user.update"); after the commit every replica refuses their tokens and closes their sockets. An
// admin's account change (disabled, new role or facility) ends the sessions this way.
func (s *Service) EndUserSessions(ctx context.Context, tx *store.Tx, userID pulid.ID, reason string) error {
	n, err := s.revokeUserTokens(ctx, tx, userID)
	if err != nil {
		return err
	}
	u, err := tx.Client.User.Get(auth.SystemContext(ctx), userID)
	if err != nil {
		return fmt.Errorf("reading user: %w", err)
	}
	return audit.Record(ctx, tx.Client, audit.Entry{
		Action: "session.revokeAll", EntityType: "User", EntityID: string(userID),
		FacilityID: string(u.FacilityID), After: map[string]any{"reason": reason, "revokedTokens": n},
	})
}

// revokeUserTokens revokes every live refresh token of userID inside tx and announces it after the
// commit. Tokens are nobody's to change through privacy rules: the caller checked the right to.
func (s *Service) revokeUserTokens(ctx context.Context, tx *store.Tx, userID pulid.ID) (int, error) {
	n, err := tx.Client.RefreshToken.Update().
		Where(refreshtoken.UserID(userID), refreshtoken.RevokedAtIsNil()).
		SetRevokedAt(s.now()).
		Save(auth.SystemContext(ctx))
	if err != nil {
		return 0, fmt.Errorf("revoking sessions: %w", err)
	}
	s.announceOnCommit(ctx, tx, userID)
	return n, nil
}

// announceOnCommit makes every replica drop userID's cached sessions once tx commits: this one at
// once, the others through the publisher.
func (s *Service) announceOnCommit(ctx context.Context, tx *store.Tx, userID pulid.ID) {
	tx.OnCommit(func() {
		s.sessions.forget(string(userID))
		if s.cfg.Revocations == nil {
			return
		}
		// The request may end right after the commit; the message must still go out.
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		if err := s.cfg.Revocations.PublishRevocation(pctx, string(userID)); err != nil {
			// The revocation is committed: other replicas refuse the tokens when their cache entry
			// expires, and close the sockets at their next sweep.
			s.log.WarnContext(ctx, "publishing a revocation", "user", userID, "err", err)
		}
	})
}
