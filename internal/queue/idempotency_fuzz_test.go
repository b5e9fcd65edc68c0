package queue

import (
	"errors"
	"strings"
	"testing"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// FuzzKey: idempotency keys are whatever a client sends. validate must not panic, and refuses exactly
// the blank and the over-long, with BAD_USER_INPUT on idempotencyKey.
func FuzzKey(f *testing.F) {
	for _, s := range []string{"", " ", "\t\n", "k", strings.Repeat("k", MaxKeyLen), strings.Repeat("k", MaxKeyLen+1),
		"550e8400-e29b-41d4-a716-446655440000", "\x00", "é", strings.Repeat("é", MaxKeyLen/2+1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := NewKey(s).validate()
		bad := strings.TrimSpace(s) == "" || len(s) > MaxKeyLen
		if (err != nil) != bad {
			t.Fatalf("key %q: validate() = %v", s, err)
		}
		var e *cqerr.Error
		if err != nil && (!errors.As(err, &e) || e.Code != cqerr.BadUserInput || e.Field != "idempotencyKey") {
			t.Fatalf("key %q: %v is not BAD_USER_INPUT on idempotencyKey", s, err)
		}
	})
}
