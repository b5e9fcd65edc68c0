package queue_test

import (
	"regexp"
	"testing"

	"github.com/carequeue/carequeue/internal/queue"
)

var code = regexp.MustCompile(`^[A-Z]{1,3}-[0-9]{3,}$`)

// FuzzTicketCode: queue prefixes come from admins (and the API), codes are read out loud and printed.
// ValidatePrefix must not panic, and every prefix it accepts gives codes of one readable shape.
func FuzzTicketCode(f *testing.F) {
	for _, s := range []string{"", "C", "LAB", "LABS", "c", "C1", "É", "C-", " C", "Ｃ", "\x00"} {
		f.Add(s, 12)
	}
	f.Fuzz(func(t *testing.T, prefix string, seq int) {
		if queue.ValidatePrefix(prefix) != nil || seq < 1 {
			return
		}
		if c := queue.FormatCode(prefix, seq); !code.MatchString(c) {
			t.Fatalf("prefix %q, sequence %d gave code %q", prefix, seq, c)
		}
	})
}
