package session

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"entgo.io/ent/dialect/sql/sqlgraph"
	"entgo.io/ent/privacy"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// CreateUser creates an account with a password; only admins may (the User privacy policy decides).
// The e-mail is stored lower-case and is required for every role but PATIENT, as is the password,
// which must meet the password policy. A facility admin's new staff belong to their facility unless
// the input names it.
//
// Errors: UNAUTHENTICATED when nobody is signed in; FORBIDDEN for a non-admin or another facility;
// BAD_USER_INPUT for a weak password, a missing or malformed e-mail, an empty name or an unknown
// facility; CONFLICT when the e-mail is taken.
func (s *Service) CreateUser(ctx context.Context, input ent.CreateUserInput, password string) (*ent.User, error) {
	v, ok := auth.FromContext(ctx)
	if !ok {
		return nil, cqerr.E(cqerr.Unauthenticated, "sign in to create users")
	}
	if err := s.checkNewUser(&input, password, v); err != nil {
		return nil, err
	}
	create := func(c *ent.UserCreate) *ent.UserCreate { return c.SetInput(input) }
	if password != "" {
		h, err := s.hasher.Hash(password)
		if err != nil {
			return nil, err
		}
		create = func(c *ent.UserCreate) *ent.UserCreate { return c.SetInput(input).SetPasswordHash(h) }
	}

	var u *ent.User
	err := s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		if u, err = create(tx.Client.User.Create()).Save(ctx); err != nil {
			return userWriteError(err, "create users")
		}
		return audit.Record(ctx, tx.Client, audit.Entry{
			Action: "user.create", EntityType: "User", EntityID: string(u.ID),
			FacilityID: string(u.FacilityID), After: u,
		})
	})
	if err != nil {
		return nil, fmt.Errorf("creating user: %w", err)
	}
	return u, nil
}

// checkNewUser validates and normalises input in place.
func (s *Service) checkNewUser(input *ent.CreateUserInput, password string, v auth.Viewer) error {
	input.Name = strings.TrimSpace(input.Name)
	if input.Name == "" {
		return cqerr.E(cqerr.BadUserInput, "name is required").WithField("name")
	}
	if err := user.RoleValidator(input.Role); err != nil {
		return cqerr.Wrap(cqerr.BadUserInput, err, "role is not one of ADMIN, RECEPTIONIST, CLINICIAN, PATIENT, INTEGRATION").WithField("role")
	}
	if input.Email != nil {
		email := normalizeEmail(*input.Email)
		input.Email = &email
		if email == "" {
			input.Email = nil
		}
	}
	patient := input.Role == user.RolePATIENT
	switch {
	case input.Email == nil && !patient:
		return cqerr.E(cqerr.BadUserInput, "email is required for staff and integration accounts").WithField("email")
	case input.Email != nil && !validEmail(*input.Email):
		return cqerr.E(cqerr.BadUserInput, "email is not a valid address, e.g. ana@example.org").WithField("email")
	}
	if password != "" || !patient {
		if err := auth.ValidatePassword(password); err != nil {
			return err
		}
	}
	// A facility admin's staff belong to the facility; left empty they would be global (and a global
	// admin could see every facility).
	if input.FacilityID == nil && !patient && v.FacilityID != "" {
		f := v.FacilityID
		input.FacilityID = &f
	}
	// Only an admin may be global: anyone else without a facility would see every facility's patients.
	if input.FacilityID == nil && !patient && input.Role != user.RoleADMIN {
		return cqerr.E(cqerr.BadUserInput, "staff and integration accounts belong to a facility: give facilityID").WithField("facilityID")
	}
	return nil
}

// validEmail accepts a bare address ("ana@example.org"), not a display form ("Ana <ana@...>").
func validEmail(email string) bool {
	a, err := mail.ParseAddress(email)
	return err == nil && a.Address == email && len(email) <= 254
}

// SetPassword replaces a user's password and revokes all their sessions, so whoever knew the old one
// is signed out; only admins may (the User privacy policy decides).
//
// Errors: UNAUTHENTICATED when nobody is signed in; FORBIDDEN for a non-admin; NOT_FOUND for a user the
// admin cannot see; BAD_USER_INPUT for a password against the policy.
func (s *Service) SetPassword(ctx context.Context, id pulid.ID, password string) (bool, error) {
	if _, ok := auth.FromContext(ctx); !ok {
		return false, cqerr.E(cqerr.Unauthenticated, "sign in to change passwords")
	}
	if err := auth.ValidatePassword(password); err != nil {
		return false, err
	}
	h, err := s.hasher.Hash(password)
	if err != nil {
		return false, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		// The privacy rule narrows the update to the admin's facility: a user elsewhere matches no row.
		n, err := tx.Client.User.Update().Where(user.ID(id)).SetPasswordHash(h).Save(ctx)
		if err != nil {
			return userWriteError(err, "change passwords")
		}
		if n == 0 {
			return cqerr.E(cqerr.NotFound, "user not found")
		}
		u, err := tx.Client.User.Get(ctx, id)
		if err != nil {
			return fmt.Errorf("reading user: %w", err)
		}
		// The admin's right to change this user was checked by the update above.
		revoked, err := s.revokeUserTokens(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx.Client, audit.Entry{
			Action: "user.setPassword", EntityType: "User", EntityID: string(id),
			FacilityID: string(u.FacilityID), After: map[string]any{"revokedTokens": revoked},
		})
	})
	if err != nil {
		return false, fmt.Errorf("setting password: %w", err)
	}
	return true, nil
}

// userWriteError translates ent's errors on a user write into coded ones; what names the action for
// the FORBIDDEN message ("create users").
func userWriteError(err error, what string) error {
	var ve *ent.ValidationError
	switch {
	case errors.Is(err, privacy.Deny):
		return cqerr.Wrap(cqerr.Forbidden, err, "you are not allowed to "+what+" here")
	case ent.IsNotFound(err):
		return cqerr.Wrap(cqerr.NotFound, err, "user not found")
	case sqlgraph.IsUniqueConstraintError(err):
		return cqerr.Wrap(cqerr.Conflict, err, "a user with this email already exists").WithField("email")
	case sqlgraph.IsForeignKeyConstraintError(err):
		return cqerr.Wrap(cqerr.BadUserInput, err, "facility does not exist").WithField("facilityID")
	case errors.As(err, &ve):
		return cqerr.Wrap(cqerr.BadUserInput, err, ve.Name+" is not valid").WithField(ve.Name)
	}
	return err
}
