package session

import (
	"context"
	"fmt"

	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
)

// VerifyStaffPassword checks a staff member's e-mail and password without starting a session, for a
// surface that signs every request in by itself (HTTP Basic auth on the job monitor). purpose names that
// surface in the audit log ("jobs.monitor"). It returns the account's viewer, whose Expires is zero: a
// caller that remembers the answer decides for how long, and a password change or a deactivated account
// only takes effect for it once it asks again.
//
// Each successful check writes one audit entry "session.verify" (the actor, the client address, the
// request id, and the purpose). The check itself is Login's: the same rate limits (the account's and the
// address's), the same argon2id verification and the same timing for unknown accounts.
//
// Errors: RATE_LIMITED after too many attempts a minute for the e-mail or the client address;
// UNAUTHENTICATED "email or password is incorrect" for an unknown e-mail, a wrong password, an inactive
// account and a patient account alike.
func (s *Service) VerifyStaffPassword(ctx context.Context, email, password, purpose string) (auth.Viewer, error) {
	u, err := s.checkPassword(ctx, email, password, purpose)
	if err != nil {
		return auth.Viewer{}, err
	}
	v := viewerOf(u)
	if !v.IsStaff() {
		return auth.Viewer{}, errBadCredentials()
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		return audit.Record(asUser(ctx, u), tx.Client, audit.Entry{
			Action:     "session.verify",
			EntityType: "User",
			EntityID:   string(u.ID),
			FacilityID: string(u.FacilityID),
			After:      map[string]any{"method": "password", "purpose": purpose},
		})
	})
	if err != nil {
		return auth.Viewer{}, fmt.Errorf("recording password check: %w", err)
	}
	return v, nil
}
