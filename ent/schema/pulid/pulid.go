// Package pulid implements CareQueue's public identifiers: a short type prefix followed by a ULID with
// fully random entropy ("TK01JD3...").  The prefix lets node(id:) find the table in one lookup; the 80
// random bits mean nobody can count records or guess a neighbour's id.
package pulid

import (
	"crypto/rand"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/oklog/ulid/v2"
)

// PrefixLen is the length of every type prefix.
const PrefixLen = 2

// ID is a prefixed ULID.
type ID string

// New returns a new ID with the given two-letter prefix.
func New(prefix string) ID {
	// crypto/rand, not ulid.Monotonic: monotonic entropy makes ids minted in the same millisecond
	// consecutive, which is exactly the guessability DESIGN.md rules out.
	return ID(prefix + ulid.MustNew(ulid.Timestamp(time.Now()), rand.Reader).String())
}

// Prefix returns the type prefix of id, or "" when id is too short to have one.
func (id ID) Prefix() string {
	if len(id) < PrefixLen {
		return ""
	}
	return string(id[:PrefixLen])
}

// Valid reports whether id has the shape of an ID: a prefix and a 26-character ULID.
func (id ID) Valid() bool {
	if len(id) != PrefixLen+ulid.EncodedSize {
		return false
	}
	_, err := ulid.ParseStrict(string(id[PrefixLen:]))
	return err == nil
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (id *ID) UnmarshalGQL(v any) error {
	switch s := v.(type) {
	case string:
		*id = ID(s)
	case ID: // entgql's node resolution passes IDs through again
		*id = s
	default:
		return fmt.Errorf("an ID must be a string")
	}
	return nil
}

// MarshalGQL implements graphql.Marshaler. It writes a JSON string: stored IDs are plain ASCII, but an
// ID a client sent can be echoed back, and Go's quoting (\x00, \U0001F600) is not JSON.
func (id ID) MarshalGQL(w io.Writer) {
	b, _ := json.Marshal(string(id)) // a string always marshals
	_, _ = w.Write(b)
}

// Scan implements sql.Scanner.
func (id *ID) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*id = ID(v)
	case []byte:
		*id = ID(v)
	case nil:
		// An optional reference (Ticket.appointment_id) is NULL when unset; "" is the Go zero value.
		*id = ""
	default:
		return fmt.Errorf("pulid: cannot scan %T", src)
	}
	return nil
}

// Value implements driver.Valuer.
func (id ID) Value() (driver.Value, error) { return string(id), nil }
