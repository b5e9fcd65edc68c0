package auth

import (
	"slices"
	"strings"
)

// Scope is one permission an API client may hold (OAuth 2.0 scope). The list is closed: a scope the
// server does not know is refused wherever it is named. Each scope maps to part of the INTEGRATION
// role's rights (graph.ClientScopes gives the GraphQL fields); a client never gets more than that
// role on its own facility.
type Scope string

// The scopes of DESIGN.md's integration surface.
const (
	// ScopeQueuesRead reads the facility's reference data, queues, boards and tickets (no patient
	// record beyond what a ticket shows), and follows them live.
	ScopeQueuesRead Scope = "queues:read"
	// ScopeTicketsCheckIn checks patients in (registering them inline when new).
	ScopeTicketsCheckIn Scope = "tickets:checkin"
	// ScopeTicketsWrite changes tickets the INTEGRATION role may change (cancel).
	ScopeTicketsWrite Scope = "tickets:write"
	// ScopeAppointmentsWrite reads, books and updates appointments.
	ScopeAppointmentsWrite Scope = "appointments:write"
	// ScopePatientsRead reads patient records.
	ScopePatientsRead Scope = "patients:read"
	// ScopePatientsWrite registers and updates patient records.
	ScopePatientsWrite Scope = "patients:write"
)

// Scopes lists every scope, in the order documentation and forms show them.
var Scopes = []Scope{ScopeQueuesRead, ScopeTicketsCheckIn, ScopeTicketsWrite, ScopeAppointmentsWrite, ScopePatientsRead, ScopePatientsWrite}

// Known reports whether s is one of Scopes.
func (s Scope) Known() bool { return slices.Contains(Scopes, s) }

// ParseScopes reads scopes (as a form's space-separated "scope" or a list) into a sorted set without
// duplicates. It returns the first unknown scope, if any, and then no set.
func ParseScopes(names []string) (set []Scope, unknown string) {
	for _, n := range names {
		s := Scope(strings.TrimSpace(n))
		if s == "" {
			continue
		}
		if !s.Known() {
			return nil, string(s)
		}
		if !slices.Contains(set, s) {
			set = append(set, s)
		}
	}
	slices.Sort(set)
	return set, ""
}

// HasScope reports whether the viewer may use scope s: a person (no client) is governed by the role
// alone, so it always may; a client needs the scope.
func (v Viewer) HasScope(s Scope) bool {
	if v.ClientID == "" {
		return true
	}
	return slices.Contains(v.Scopes, s)
}

// JoinScopes is the space-separated form of scopes (OAuth 2.0's "scope" parameter and claim).
func JoinScopes(scopes []Scope) string {
	names := make([]string, len(scopes))
	for i, s := range scopes {
		names[i] = string(s)
	}
	return strings.Join(names, " ")
}
