package session_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// entries returns the audit entries of action, oldest first, and their JSON (what a copy of the table
// would reveal).
func (f *fixture) entries(t *testing.T, action string) ([]*ent.AuditEntry, string) {
	t.Helper()
	es := f.client.AuditEntry.Query().Where(auditentry.Action(action)).Order(ent.Asc(auditentry.FieldSeq)).
		AllX(auth.SystemContext(t.Context()))
	b, err := json.Marshal(es)
	require.NoError(t, err)
	return es, string(b)
}

// requireOnlyRefusalsAudited checks that since before nothing was written but the audit entries of
// refused sign-ins.
func (f *fixture) requireOnlyRefusalsAudited(t *testing.T, before map[string]int) {
	t.Helper()
	after := f.counts(t)
	refusals := f.client.AuditEntry.Query().
		Where(auditentry.ActionIn("session.signInFailed", "session.codeRejected")).CountX(auth.SystemContext(t.Context()))
	require.Equal(t, before["audit_entries"]+refusals, after["audit_entries"], "only refusals are recorded")
	after["audit_entries"] = before["audit_entries"]
	require.Equal(t, before, after, "a refusal writes nothing else")
}

// TestRefusalsAreAudited: failed sign-ins, refused codes and rejected tokens leave an audit entry that
// says what happened and from where, with no password, code or token, and e-mail and phone only as
// keyed hashes.
func TestRefusalsAreAudited(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			t.Run("FailedPasswordSignIns", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				ctx := from(t, "203.0.113.9")
				_, err := f.svc.Login(ctx, anaEmail, "not-the-password")
				requireCoded(t, err, cqerr.Unauthenticated, badCredentials)
				_, err = f.svc.Login(ctx, "nobody@example.org", "guess-1234567")
				requireCoded(t, err, cqerr.Unauthenticated, badCredentials)
				_, err = f.svc.VerifyStaffPassword(ctx, anaEmail, "another-guess", "jobs.monitor")
				requireCoded(t, err, cqerr.Unauthenticated, badCredentials)

				es, raw := f.entries(t, "session.signInFailed")
				require.Len(t, es, 3)
				require.Equal(t, string(f.ana.ID), es[0].EntityID, "a known account is named by its id")
				require.Equal(t, "wrong password", es[0].After["reason"])
				require.Equal(t, "password", es[0].After["method"])
				require.Equal(t, audit.HashIdentifier(anaEmail), es[0].After["email"])
				require.Empty(t, es[1].EntityID)
				require.Equal(t, "unknown account", es[1].After["reason"])
				require.Equal(t, "jobs.monitor", es[2].After["method"])
				for _, e := range es {
					require.Equal(t, "203.0.113.9", e.Address)
					require.Empty(t, e.ActorID, "nobody is signed in")
				}
				for _, secret := range []string{"not-the-password", "guess-1234567", "another-guess", anaEmail, "nobody@example.org"} {
					require.NotContains(t, raw, secret)
				}
			})
			t.Run("RefusedPatientCodes", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				ctx := from(t, "198.51.100.4")
				_, err := f.svc.VerifyPatientCode(ctx, mariaPhone, "000000")
				requireCoded(t, err, cqerr.Unauthenticated, "code is incorrect or expired")
				_, err = f.svc.RequestPatientCode(ctx, mariaPhone)
				require.NoError(t, err)
				wrong := "111111"
				if f.sender.last(t).code == wrong {
					wrong = "222222"
				}
				_, err = f.svc.VerifyPatientCode(ctx, mariaPhone, wrong)
				requireCoded(t, err, cqerr.Unauthenticated, "code is incorrect or expired")

				es, raw := f.entries(t, "session.codeRejected")
				require.Len(t, es, 2)
				require.Contains(t, es[0].After["reason"], "no live code")
				require.Equal(t, "wrong code", es[1].After["reason"])
				require.Equal(t, audit.HashIdentifier(mariaPhone), es[1].After["phone"])
				require.NotContains(t, raw, mariaPhone)
				require.NotContains(t, raw, wrong)
				require.NotContains(t, raw, f.sender.last(t).code)
			})
			t.Run("RejectedTokens", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				ctx := from(t, "192.0.2.66")
				s := f.login(t)
				forged := s.AccessToken[:len(s.AccessToken)-4] + "AAAA"
				_, err := f.svc.ViewerFromToken(ctx, forged)
				require.Error(t, err)
				f.svc.RecordRejectedToken(ctx, forged, err)
				es, raw := f.entries(t, "session.tokenRejected")
				require.Len(t, es, 1)
				require.Equal(t, audit.HashIdentifier(forged), es[0].After["token"])
				require.Contains(t, es[0].After["reason"], "invalid access token")
				require.Equal(t, "192.0.2.66", es[0].Address)
				require.NotContains(t, raw, forged)
				require.NotContains(t, raw, s.AccessToken[:20], "not even part of the token")

				// A flood from one address is bounded: the address limiter allows 5 a minute.
				for range 20 {
					f.svc.RecordRejectedToken(ctx, "garbage", errors.New("malformed"))
				}
				es, _ = f.entries(t, "session.tokenRejected")
				require.Len(t, es, 5)
				r, err := audit.Verify(t.Context(), f.client)
				require.NoError(t, err)
				require.Nil(t, r.Broken)
			})
			t.Run("DenialsAreCappedPerAccountOrAddress", func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, d)
				ana := auth.Viewer{UserID: f.ana.ID, Role: auth.RoleClinician, FacilityID: f.facility.ID}
				admin := auth.Viewer{UserID: f.admin.ID, Role: auth.RoleAdmin, FacilityID: f.facility.ID}
				allowed := func(ctx context.Context, n int) int {
					got := 0
					for range n {
						if f.svc.MayRecordDenial(ctx) {
							got++
						}
					}
					return got
				}
				// A signed-in account hammering a forbidden field: the address limiter's 5 a minute.
				require.Equal(t, 5, allowed(auth.NewContext(from(t, "203.0.113.1"), ana), 20))
				// Per account: moving to another address does not reset it.
				require.Zero(t, allowed(auth.NewContext(from(t, "198.51.100.2"), ana), 3))
				// Nobody else pays for it: another account, and anonymous callers, at the same address.
				require.Equal(t, 5, allowed(auth.NewContext(from(t, "203.0.113.1"), admin), 5))
				require.Equal(t, 5, allowed(from(t, "203.0.113.1"), 7))
				// The window passes: the account may be recorded again.
				f.clock.Advance(time.Minute + time.Second)
				require.Equal(t, 5, allowed(auth.NewContext(from(t, "203.0.113.1"), ana), 6))
			})
		})
	}
}
