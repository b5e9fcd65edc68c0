package session

import (
	"context"
	"errors"
	"fmt"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/logincode"
	"github.com/carequeue/carequeue/ent/patient"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// RequestPatientCode sends a one-time sign-in code to phone when a patient record has that number. It
// returns true whether or not one does, so nobody can probe which numbers are registered.
//
// Errors: BAD_USER_INPUT for a number that is not valid (ValidatePhone); RATE_LIMITED after 5 requests a
// minute for the number or the client address. A failure to send is logged, not returned: an error
// here would reveal that the number is registered.
func (s *Service) RequestPatientCode(ctx context.Context, rawPhone string) (bool, error) {
	p, err := s.ValidatePhone(ctx, rawPhone, nil)
	if err != nil {
		return false, err
	}
	if err := s.limit(ctx, "code:phone:"+p, "code:addr:"+audit.RequestFrom(ctx).Address); err != nil {
		return false, err
	}
	// Nobody is signed in: patient records are read, and the code stored, as the system.
	sys := auth.SystemContext(ctx)
	known, err := s.db.Ent.Patient.Query().Where(patient.Phone(p)).Exist(sys)
	if err != nil {
		return false, fmt.Errorf("looking up patients by phone: %w", err)
	}
	if !known {
		return true, nil
	}
	code, err := auth.NewPatientCode()
	if err != nil {
		return false, err
	}
	err = s.db.InTx(sys, func(ctx context.Context, tx *store.Tx) error {
		lc, err := tx.Client.LoginCode.Create().
			SetPhone(p).
			SetCodeHash(auth.HashCode(p, code, s.cfg.CodeKey)).
			SetExpiresAt(s.now().Add(s.cfg.CodeTTL)).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("storing sign-in code: %w", err)
		}
		return audit.Record(ctx, tx.Client, audit.Entry{
			Action: "session.requestCode", EntityType: "LoginCode", EntityID: string(lc.ID), After: lc,
		})
	})
	if err != nil {
		return false, err
	}
	if err := s.codes.SendCode(ctx, p, code); err != nil {
		s.log.ErrorContext(ctx, "sending sign-in code failed", "err", err)
	}
	return true, nil
}

// VerifyPatientCode signs a patient in with the code sent to phone. Only the newest live code for the
// number counts; each guess uses one of its attempts (committed even though the guess fails), and
// after Config.CodeAttempts it is dead. On success the code is consumed, the phone's patient account
// is found or created (named after the patient record), every patient record with that phone is
// linked to it, and a session starts.
//
// Errors: BAD_USER_INPUT for a malformed phone; otherwise every failure is UNAUTHENTICATED "code is
// incorrect or expired", whatever the reason.
func (s *Service) VerifyPatientCode(ctx context.Context, rawPhone, code string) (*Session, error) {
	p, err := s.ValidatePhone(ctx, rawPhone, nil)
	if err != nil {
		return nil, err
	}
	var sess *Session
	rejected := false
	err = s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		sys := auth.SystemContext(ctx)
		now := s.now()
		lc, err := tx.Client.LoginCode.Query().
			Where(logincode.Phone(p), logincode.ConsumedAtIsNil(), logincode.ExpiresAtGT(now)).
			Order(ent.Desc(logincode.FieldCreatedAt), ent.Desc(logincode.FieldID)).
			First(sys)
		switch {
		case ent.IsNotFound(err):
			return errBadCode(nil)
		case err != nil:
			return fmt.Errorf("looking up sign-in code: %w", err)
		case lc.Attempts >= s.cfg.CodeAttempts:
			return errBadCode(errors.New("no attempts left"))
		}
		// Spend the attempt before comparing, conditionally: concurrent guesses each need their own
		// attempt below the limit, so parallel requests cannot get more guesses than allowed.
		n, err := tx.Client.LoginCode.Update().
			Where(logincode.ID(lc.ID), logincode.ConsumedAtIsNil(), logincode.AttemptsLT(s.cfg.CodeAttempts)).
			AddAttempts(1).
			Save(sys)
		if err != nil {
			return fmt.Errorf("counting sign-in attempt: %w", err)
		}
		if n == 0 {
			return errBadCode(errors.New("consumed or used up concurrently"))
		}
		if !auth.EqualHash(lc.CodeHash, auth.HashCode(p, code, s.cfg.CodeKey)) {
			rejected = true // commit the spent attempt
			return audit.Record(sys, tx.Client, audit.Entry{
				Action: "session.codeRejected", EntityType: "LoginCode", EntityID: string(lc.ID),
				After: map[string]any{"attempts": lc.Attempts + 1, "phone": p, "reason": "wrong code"},
			})
		}
		if err := tx.Client.LoginCode.Update().Where(logincode.ID(lc.ID)).SetConsumedAt(now).Exec(sys); err != nil {
			return fmt.Errorf("consuming sign-in code: %w", err)
		}
		u, err := s.patientAccount(ctx, tx, p)
		if err != nil {
			return err
		}
		ctx = asUser(ctx, u)
		family := newFamily()
		if sess, err = s.startSession(ctx, tx, u, family, s.now()); err != nil {
			return err
		}
		return recordSession(ctx, tx, "session.login", family, u.FacilityID, map[string]any{"method": "code"})
	})
	switch {
	case err != nil:
		if cqerr.CodeOf(err) == cqerr.Unauthenticated && s.mayRecord(ctx, "code") {
			// No live code, none left to guess, or no record any more: refused without a trace so far.
			s.recordFailure(ctx, audit.Entry{Action: "session.codeRejected", EntityType: "LoginCode",
				After: map[string]any{"phone": p, "reason": cqerr.MessageOf(err) + ": " + reasonOf(err)}})
		}
		return nil, fmt.Errorf("verifying sign-in code: %w", err)
	case rejected:
		return nil, errBadCode(nil)
	}
	return sess, nil
}

// reasonOf is the cause behind a refusal, for the audit log.
func reasonOf(err error) string {
	var ce *cqerr.Error
	if errors.As(err, &ce) && ce.Err != nil {
		return ce.Err.Error()
	}
	return "no live code"
}

// maxName is the width of users.name.
const maxName = 200

// patientAccount finds or creates the PATIENT account of phone and links every patient record with
// that phone to it. The patient just proved they hold the phone; nobody is signed in yet, so this runs
// as the system.
func (s *Service) patientAccount(ctx context.Context, tx *store.Tx, p string) (*ent.User, error) {
	sys := auth.SystemContext(ctx)
	records, err := tx.Client.Patient.Query().
		Where(patient.Phone(p)).
		Order(ent.Asc(patient.FieldCreatedAt), ent.Asc(patient.FieldID)).
		All(sys)
	if err != nil {
		return nil, fmt.Errorf("reading patient records: %w", err)
	}
	if len(records) == 0 {
		return nil, errBadCode(errors.New("no patient record has this phone any more"))
	}
	u, err := tx.Client.User.Query().
		Where(user.Phone(p), user.RoleEQ(user.RolePATIENT)).
		Order(ent.Asc(user.FieldCreatedAt), ent.Asc(user.FieldID)).
		First(sys)
	switch {
	case ent.IsNotFound(err):
		first := records[0]
		u, err = tx.Client.User.Create().
			SetName(truncate(first.GivenName+" "+first.FamilyName, maxName)).
			SetRole(user.RolePATIENT).
			SetPhone(p).
			Save(sys)
		if err != nil {
			return nil, fmt.Errorf("creating patient account: %w", err)
		}
		err = audit.Record(asUser(ctx, u), tx.Client, audit.Entry{
			Action: "user.create", EntityType: "User", EntityID: string(u.ID), After: u,
		})
		if err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("looking up patient account: %w", err)
	case !u.Active:
		return nil, errBadCode(errors.New("patient account is inactive"))
	}
	n, err := tx.Client.Patient.Update().
		Where(patient.Phone(p), patient.Or(patient.AccountIDIsNil(), patient.AccountIDNEQ(u.ID))).
		SetAccountID(u.ID).
		Save(sys)
	if err != nil {
		return nil, fmt.Errorf("linking patient records: %w", err)
	}
	if n > 0 {
		err = audit.Record(asUser(ctx, u), tx.Client, audit.Entry{
			Action: "patient.linkAccount", EntityType: "User", EntityID: string(u.ID),
			After: map[string]any{"linkedPatients": n},
		})
		if err != nil {
			return nil, err
		}
	}
	return u, nil
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
