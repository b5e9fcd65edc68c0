package auth

import (
	"unicode/utf8"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// Password policy, after NIST SP 800-63B: length is what matters, so there are no composition
// rules. The upper bound keeps argon2's input (and a login request) small.
const (
	MinPasswordChars = 10
	MaxPasswordBytes = 256
)

func errPasswordTooLong() error {
	return cqerr.Ef(cqerr.BadUserInput,
		"password is too long: use at most %d bytes", MaxPasswordBytes).WithField("password")
}

// ValidatePassword checks a new password against the policy: at least MinPasswordChars
// characters, at most MaxPasswordBytes bytes, valid UTF-8. Violations are BAD_USER_INPUT on field
// "password". Only new passwords are checked; login never tells a user why a password is wrong.
func ValidatePassword(pw string) error {
	switch {
	case !utf8.ValidString(pw):
		return cqerr.E(cqerr.BadUserInput, "password contains characters that are not valid text").WithField("password")
	case len(pw) > MaxPasswordBytes:
		return errPasswordTooLong()
	case utf8.RuneCountInString(pw) < MinPasswordChars:
		return cqerr.Ef(cqerr.BadUserInput,
			"password is too short: use at least %d characters", MinPasswordChars).WithField("password")
	}
	return nil
}
