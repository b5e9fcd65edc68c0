package phone_test

import (
	"regexp"
	"testing"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/phone"
)

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// FuzzForSMS: phone numbers are typed by patients at the kiosk and in the app, and by staff. No input
// may panic ForSMS, in any region; what it accepts is E.164, passes Validate, and reads back to itself
// whatever region it is then read in; what it refuses is BAD_USER_INPUT naming the field.
func FuzzForSMS(f *testing.F) {
	for _, s := range []string{"", "+", "+447700900123", " +44 (7700) 900-123 ", "07700 900123", "(020) 7946 0018", "+0447700900123",
		"+4477009001234567", "+44\u0660\u0661", "＋447700900123", "+44 7700 900123\x00", "++447700900123", "06 12 34 56 78", "1-800-FLOWERS"} {
		f.Add(s, "GB")
		f.Add(s, "FR")
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, s, region string) {
		if phone.ValidRegion(region) != nil {
			region = ""
		}
		out, err := phone.ForSMS(s, region, "phone")
		if err != nil {
			if out != "" || cqerr.CodeOf(err) != cqerr.BadUserInput {
				t.Fatalf("ForSMS(%q, %q) = %q, %v", s, region, out, err)
			}
			return
		}
		if !e164.MatchString(out) || phone.Validate(out) != nil {
			t.Fatalf("ForSMS(%q, %q) = %q, not valid E.164", s, region, out)
		}
		for _, r := range []string{"", "GB", "US"} {
			if again, err := phone.ForSMS(out, r, "phone"); err != nil || again != out {
				t.Fatalf("ForSMS(%q, %q) = %q, %v: not stable", out, r, again, err)
			}
		}
	})
}
