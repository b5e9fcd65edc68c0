package session

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

func TestRefusal(t *testing.T) {
	t.Parallel()
	claims := auth.AccessClaims{UserID: "US1", Role: auth.RoleReceptionist, FacilityID: "FA1", SessionID: "SE1"}
	ok := sessionState{userID: "US1", found: true, active: true, role: auth.RoleReceptionist, facility: "FA1"}
	for _, tc := range []struct {
		name    string
		edit    func(*sessionState)
		changed bool // auth.ErrAccountChanged (4403)
		msg     string
	}{
		{name: "Standing", edit: func(*sessionState) {}},
		{name: "Revoked", edit: func(s *sessionState) { s.revoked = true }, msg: "session revoked, sign in again"},
		{name: "Disabled", edit: func(s *sessionState) { s.active = false }, changed: true},
		{name: "DisabledAndRevoked", edit: func(s *sessionState) { s.active, s.revoked = false, true }, changed: true},
		{name: "RoleChanged", edit: func(s *sessionState) { s.role = auth.RoleClinician }, changed: true},
		{name: "FacilityChanged", edit: func(s *sessionState) { s.facility = "FA2" }, changed: true},
		{name: "MadeGlobal", edit: func(s *sessionState) { s.facility = "" }, changed: true},
		{name: "Deleted", edit: func(s *sessionState) { s.found = false }, msg: "session expired, sign in again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := ok
			tc.edit(&st)
			err := refusal(st, claims)
			switch {
			case tc.changed:
				require.ErrorIs(t, err, auth.ErrAccountChanged)
				require.Equal(t, cqerr.Unauthenticated, cqerr.CodeOf(err))
			case tc.msg != "":
				require.Equal(t, cqerr.Unauthenticated, cqerr.CodeOf(err))
				require.Equal(t, tc.msg, cqerr.MessageOf(err))
				require.NotErrorIs(t, err, auth.ErrAccountChanged)
			default:
				require.NoError(t, err)
			}
		})
	}
}

func TestSessionCache(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	st := func(user string) sessionState { return sessionState{userID: user, found: true, loadedAt: t0} }

	t.Run("ExpiresAfterTTL", func(t *testing.T) {
		t.Parallel()
		c := newSessionCache(5 * time.Second)
		_, e, _ := c.get("SE1", t0)
		c.put("SE1", st("US1"), e, t0)
		_, _, ok := c.get("SE1", t0.Add(4999*time.Millisecond))
		require.True(t, ok)
		_, _, ok = c.get("SE1", t0.Add(5*time.Second))
		require.False(t, ok)
	})

	t.Run("ForgetDropsOnlyThatUser", func(t *testing.T) {
		t.Parallel()
		c := newSessionCache(time.Minute)
		_, e, _ := c.get("", t0)
		c.put("SE1", st("US1"), e, t0)
		c.put("SE2", st("US1"), e, t0)
		c.put("SE3", st("US2"), e, t0)
		c.forget("US1")
		for sid, want := range map[string]bool{"SE1": false, "SE2": false, "SE3": true} {
			_, _, ok := c.get(sid, t0)
			require.Equal(t, want, ok, sid)
		}
		c.forget("")
		_, _, ok := c.get("SE3", t0)
		require.False(t, ok)
	})

	t.Run("ReadThatRacedAForgetIsNotStored", func(t *testing.T) {
		t.Parallel()
		c := newSessionCache(time.Minute)
		_, e, _ := c.get("SE1", t0) // a read starts
		c.forget("US1")             // a revocation lands meanwhile
		c.put("SE1", st("US1"), e, t0)
		_, _, ok := c.get("SE1", t0)
		require.False(t, ok, "the state read before the revocation must not be trusted for a TTL")
	})

	t.Run("PrunesStaleEntries", func(t *testing.T) {
		t.Parallel()
		c := newSessionCache(time.Second)
		_, e, _ := c.get("", t0)
		for i := range 1023 {
			c.put(string(rune('a'+i%26))+time.Duration(i).String(), st("US1"), e, t0)
		}
		later := t0.Add(time.Minute)
		c.put("fresh", sessionState{userID: "US2", loadedAt: later}, e, later)
		require.Len(t, c.entries, 1)
	})
}
