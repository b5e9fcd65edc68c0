// Package phone owns the one phone number format CareQueue stores: E.164 ("+447700900123"), the form
// SMS providers accept. People type numbers with spaces, dashes and brackets; Normalize removes those
// but never guesses a country code.
package phone

import (
	"strings"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// Normalize returns s in E.164, or a BAD_USER_INPUT error a person understands.
func Normalize(s string) (string, error) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return "", invalid()
		}
	}
	out := b.String()
	if err := Validate(out); err != nil {
		return "", err
	}
	return out, nil
}

// Validate accepts exactly E.164: a plus, a country code not starting with 0, 8 to 15 digits in all.
func Validate(s string) error {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return invalid()
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return invalid()
		}
	}
	return nil
}

func invalid() error {
	return cqerr.E(cqerr.BadUserInput, "phone must be in international format with country code, e.g. +447700900123").WithField("phone")
}
