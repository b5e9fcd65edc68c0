package document

import (
	"fmt"
	"slices"

	"github.com/carequeue/carequeue/internal/auth"
)

// Mode is how strictly the server holds callers to trusted documents (GRAPHQL_DOCUMENTS).
type Mode string

// The modes.
const (
	// Open runs any document from anyone; a hash resolves to a trusted document or to one a client
	// registered earlier by sending it with its hash (Apollo's automatic persisted queries).
	Open Mode = "open"
	// PersistedPreferred runs free-form documents from anyone, but a hash resolves only to a trusted
	// document, and free-form documents from callers allow-list mode would hold are counted, so an
	// operator sees what switching would refuse.
	PersistedPreferred Mode = "persisted-preferred"
	// AllowList refuses free-form documents from held callers (see Policy.Holds).
	AllowList Mode = "allow-list"
)

// ParseMode reads a mode name.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Open, PersistedPreferred, AllowList:
		return m, nil
	}
	return "", fmt.Errorf("%q is not one of open, persisted-preferred, allow-list", s)
}

// AllClients in Policy.Clients holds every API client.
const AllClients = "*"

// Policy decides who must send trusted documents.
type Policy struct {
	Mode Mode
	// Clients are the API client ids (AK...) held to trusted documents, or AllClients.
	Clients []string
}

// Holds reports whether v (signedIn false: anonymous) is one of the callers allow-list mode holds to
// trusted documents, whatever the current mode: every anonymous caller (sign-in, the public status
// page, display boards) and every person's session — the first-party apps send only trusted
// documents — except ADMIN's, who use GraphiQL; and the API clients listed in Clients.
func (p Policy) Holds(v auth.Viewer, signedIn bool) bool {
	switch {
	case !signedIn:
		return true
	case v.ClientID != "":
		return slices.Contains(p.Clients, AllClients) || slices.Contains(p.Clients, string(v.ClientID))
	default:
		return v.Role != auth.RoleAdmin
	}
}

// Verdict is what happens to one operation.
type Verdict int

// The verdicts.
const (
	// Run the document.
	Run Verdict = iota
	// RunCounted runs a free-form document that allow-list mode would refuse.
	RunCounted
	// Refuse a free-form document: the caller must send a trusted document's hash.
	Refuse
)

// Decide is the verdict on a free-form document (one not among the trusted) from a caller that
// Holds (held) or not.
func (p Policy) Decide(held bool) Verdict {
	switch {
	case !held || p.Mode == Open:
		return Run
	case p.Mode == AllowList:
		return Refuse
	default:
		return RunCounted
	}
}

// Registers reports whether a hash sent with its document may be remembered for later hash-only
// requests (automatic persisted queries): only in open mode, where it trusts nothing new.
func (p Policy) Registers() bool { return p.Mode == Open }
