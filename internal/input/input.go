// Package input owns the rules for what people type into CareQueue: names, dates of birth, language
// codes, record references and free-text notes. Each rule is pure (no I/O, the clock passed in) and
// returns the value as stored, or BAD_USER_INPUT naming the field with a message for the person who
// typed it. The ent schema hooks apply them, so reception, the kiosk, admin screens, the patient app,
// the API and the command line all meet the same rule in the same place. Phone numbers have their own
// package (internal/phone).
package input

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// Limits of the free-text fields, in characters.
const (
	NameMax      = 100
	LongNameMax  = 200
	ReferenceMax = 64
	NoteMax      = 2000
	ReasonMax    = 500
	// OldestAge is the age past which a date of birth is taken for a typing mistake.
	OldestAge = 130
)

// Languages are the languages CareQueue speaks to patients and on boards and kiosks (BCP 47 primary
// tags, lower-case). internal/notify has a template for each.
var Languages = []string{"en", "es", "fr"}

func bad(field, msg string) error {
	return cqerr.E(cqerr.BadUserInput, msg).WithField(field)
}

// Name returns s trimmed, when it is a name a person can read: not empty, at most limit characters, no
// control or invisible formatting characters (a right-to-left override would make a list lie).
// Joiners, which some scripts need inside words, are kept.
func Name(field, what string, s string, limit int) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", bad(field, what+" must not be empty")
	case strings.ContainsAny(s, "\n\r\t"):
		return "", bad(field, what+" must be on one line")
	case !utf8.ValidString(s) || strings.ContainsFunc(s, hidden):
		return "", bad(field, what+" contains characters that cannot be shown, such as control characters")
	case utf8.RuneCountInString(s) > limit:
		return "", bad(field, what+" is too long: at most "+strconv.Itoa(limit)+" characters")
	}
	return s, nil
}

// Text returns a free-text note trimmed: at most limit characters, line breaks and tabs allowed, no
// other control characters. An empty note is allowed (callers that need one say so).
func Text(field, what string, s string, limit int) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && r != '\t' && r != '\r' && hidden(r) }):
		return "", bad(field, what+" contains characters that cannot be shown, such as control characters")
	case utf8.RuneCountInString(s) > limit:
		return "", bad(field, what+" is too long: at most "+strconv.Itoa(limit)+" characters")
	}
	return s, nil
}

// Reference returns a record reference (an MRN, an appointment's EHR reference) trimmed: 1 to
// ReferenceMax characters of letters, digits and - / . _ : # (what EHRs print on letters and wristbands).
func Reference(field, what string, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", bad(field, what+" must not be empty")
	}
	if utf8.RuneCountInString(s) > ReferenceMax {
		return "", bad(field, what+" is too long: at most "+strconv.Itoa(ReferenceMax)+" characters")
	}
	for _, r := range s {
		allowed := r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || strings.ContainsRune("-/._:#", r)
		if !allowed {
			return "", bad(field, what+" may only contain letters, digits and - / . _ : #")
		}
	}
	return s, nil
}

// DateOfBirth accepts a date of birth that is not after today and not more than OldestAge years ago
// (both on the calendar of now's location: a baby born today is valid everywhere).
func DateOfBirth(field string, dob, now time.Time) error {
	day := time.Date(dob.Year(), dob.Month(), dob.Day(), 0, 0, 0, 0, time.UTC)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case day.After(today):
		return bad(field, "the date of birth is in the future: check the year")
	case day.Before(today.AddDate(-OldestAge, 0, 0)):
		return bad(field, "the date of birth is more than "+strconv.Itoa(OldestAge)+" years ago: check the year")
	}
	return nil
}

// Language returns a supported language code: its primary subtag, lower-cased ("ES" and "es-MX" give
// "es"); anything else is refused with the list of supported ones.
func Language(field string, s string) (string, error) {
	l, _, _ := strings.Cut(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-"), "-")
	for _, ok := range Languages {
		if l == ok {
			return l, nil
		}
	}
	return "", bad(field, "the language must be one of "+strings.Join(Languages, ", "))
}

// hidden reports characters a screen cannot show honestly: control characters, and format characters
// other than the zero-width joiners.
func hidden(r rune) bool {
	return unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d') || r == utf8.RuneError
}
