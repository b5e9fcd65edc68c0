package input_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/input"
)

// requireBad asserts err is BAD_USER_INPUT naming field, with a message containing says.
func requireBad(t *testing.T, err error, field, says string) {
	t.Helper()
	var e *cqerr.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, cqerr.BadUserInput, e.Code)
	require.Equal(t, field, e.Field)
	require.Contains(t, e.Message, says)
}

func TestName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"Trimmed", "  Ada  ", "Ada"},
		{"Accents", "Chloé", "Chloé"},
		{"Hyphen", "Jean-Luc", "Jean-Luc"},
		{"Apostrophe", "O'Brien", "O'Brien"},
		{"ZeroWidthNonJoinerInPersian", "می\u200cخواهم", "می\u200cخواهم"},
		{"ExactlyMax", strings.Repeat("é", input.NameMax), strings.Repeat("é", input.NameMax)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := input.Name("givenName", "given name", tc.in, input.NameMax)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	for _, tc := range []struct{ name, in, says string }{
		{"Empty", "", "must not be empty"},
		{"Blank", " \t ", "must not be empty"},
		{"TooLong", strings.Repeat("a", input.NameMax+1), "at most 100"},
		{"Nul", "Ad\x00a", "cannot be shown"},
		{"Escape", "Ada\x1b[31m", "cannot be shown"},
		{"RightToLeftOverride", "Ada\u202eevil", "cannot be shown"},
		{"InvalidUTF8", "Ad\xffa", "cannot be shown"},
		{"Newline", "Ada\nLovelace", "one line"},
	} {
		t.Run("Refuses"+tc.name, func(t *testing.T) {
			_, err := input.Name("givenName", "given name", tc.in, input.NameMax)
			requireBad(t, err, "givenName", tc.says)
		})
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	got, err := input.Text("note", "the note", " line one\nline two\t ", input.NoteMax)
	require.NoError(t, err)
	require.Equal(t, "line one\nline two", got)
	got, err = input.Text("note", "the note", "", input.NoteMax)
	require.NoError(t, err)
	require.Empty(t, got)
	_, err = input.Text("note", "the note", strings.Repeat("x", input.NoteMax+1), input.NoteMax)
	requireBad(t, err, "note", "at most 2000")
	_, err = input.Text("reason", "the reason", "bell\x07", input.ReasonMax)
	requireBad(t, err, "reason", "cannot be shown")
}

func TestReference(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"MRN-1", " 123456 ", "AB/2026/17", "apt_9.3"} {
		_, err := input.Reference("mrn", "the MRN", ok)
		require.NoError(t, err, ok)
	}
	for _, tc := range []struct{ name, in, says string }{
		{"Empty", "  ", "must not be empty"},
		{"Space", "MRN 1", "letters, digits"},
		{"Quote", "1' OR '1'='1", "letters, digits"},
		{"NonASCII", "MRN-١", "letters, digits"},
		{"TooLong", strings.Repeat("9", input.ReferenceMax+1), "at most 64"},
	} {
		t.Run("Refuses"+tc.name, func(t *testing.T) {
			_, err := input.Reference("mrn", "the MRN", tc.in)
			requireBad(t, err, "mrn", tc.says)
		})
	}
}

func TestDateOfBirth(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 4, 3, 23, 30, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name string
		dob  time.Time
		says string
	}{
		{"Today", day(2026, 4, 3), ""},
		{"TodayInAZoneAhead", time.Date(2026, 4, 3, 0, 0, 0, 0, time.FixedZone("+14", 14*3600)), ""},
		{"Adult", day(1990, 4, 3), ""},
		{"ExactlyOldest", day(1896, 4, 3), ""},
		{"Tomorrow", day(2026, 4, 4), "in the future"},
		{"NextYear", day(2027, 1, 1), "in the future"},
		{"TooOld", day(1896, 4, 2), "more than 130 years"},
		{"YearZero", day(1, 1, 1), "more than 130 years"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := input.DateOfBirth("dateOfBirth", tc.dob, now)
			if tc.says == "" {
				require.NoError(t, err)
				return
			}
			requireBad(t, err, "dateOfBirth", tc.says)
		})
	}
}

func TestLanguage(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"en": "en", "ES": "es", " fr ": "fr", "es-MX": "es", "en_GB": "en"} {
		got, err := input.Language("language", in)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	for _, bad := range []string{"", "de", "english", "de-DE", "-en", "xx", "<script>"} {
		_, err := input.Language("language", bad)
		requireBad(t, err, "language", "one of en, es, fr")
	}
}
