package pulid_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/carequeue/carequeue/ent/schema/pulid"
)

// FuzzID: IDs arrive from clients in every node, nodes and workflow argument. Whatever the string,
// reading it must not panic, only a prefix and a strict ULID is Valid, and the ID goes back out as the
// same JSON string (an echoed ID must never break the response).
func FuzzID(f *testing.F) {
	for _, s := range []string{"", "TK", string(pulid.New("TK")), "TK01J00000000000000000000000", "TK7ZZZZZZZZZZZZZZZZZZZZZZZZZ",
		"TK8ZZZZZZZZZZZZZZZZZZZZZZZZZ", "tk01j00000000000000000000000", "a\x00\"\\\u2028\U0001F600", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var id pulid.ID
		if err := id.UnmarshalGQL(s); err != nil {
			t.Fatalf("a string must be accepted as an ID value: %v", err)
		}
		if id.Valid() && (len(s) != pulid.PrefixLen+26 || id.Prefix() != s[:pulid.PrefixLen]) {
			t.Fatalf("%q is Valid but not a prefix and a ULID", s)
		}
		var buf bytes.Buffer
		id.MarshalGQL(&buf)
		var back string
		if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
			t.Fatalf("MarshalGQL(%q) wrote invalid JSON %s: %v", s, buf.String(), err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("MarshalGQL(%q) came back as %q", s, back)
		}
	})
}
