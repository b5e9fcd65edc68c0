package auth

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzParseAccess: every request's Authorization header and every WebSocket's connection_init reach
// ParseAccess. No input may panic it, and only a token this service signed is accepted: a mutation of a
// real token that still parses must carry the very claims it was issued with.
func FuzzParseAccess(f *testing.F) {
	tok := testTokens(f, testNow)
	issued := testClaims()
	valid, expires, err := tok.IssueAccess(issued)
	if err != nil {
		f.Fatal(err)
	}
	issued.ExpiresAt = expires
	head, rest, _ := strings.Cut(valid, ".")
	body, sig, _ := strings.Cut(rest, ".")
	for _, s := range []string{valid, "", ".", "..", "a.b.c", head + "." + body + ".", head + ".." + sig,
		`eyJhbGciOiJub25lIn0.` + body + ".", valid + "x", strings.ToUpper(valid), "Bearer " + valid} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := tok.ParseAccess(s)
		if err != nil {
			return
		}
		if !reflect.DeepEqual(c, issued) {
			t.Fatalf("accepted %q with claims %+v, not the ones issued", s, c)
		}
	})
}
