package phone_test

import (
	"regexp"
	"testing"

	"github.com/carequeue/carequeue/internal/phone"
)

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// FuzzNormalize: phone numbers are typed by patients at the kiosk and in the app, and by staff. No input
// may panic Normalize; what it accepts is E.164, which it leaves as it is.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "+", "+447700900123", " +44 (7700) 900-123 ", "07700 900123", "+0447700900123",
		"+4477009001234567", "+44\u0660\u0661", "＋447700900123", "+44 7700 900123\x00", "++447700900123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := phone.Normalize(s)
		if err != nil {
			if out != "" {
				t.Fatalf("Normalize(%q) returned %q with an error", s, out)
			}
			return
		}
		if !e164.MatchString(out) {
			t.Fatalf("Normalize(%q) = %q, not E.164", s, out)
		}
		if again, err := phone.Normalize(out); err != nil || again != out {
			t.Fatalf("Normalize(%q) = %q, %v: not stable", out, again, err)
		}
	})
}
