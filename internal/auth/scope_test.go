package auth_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
)

func TestParseScopes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		in      []string
		want    []auth.Scope
		unknown string
	}{
		{"SortedWithoutDuplicates", []string{"tickets:checkin", "queues:read", "queues:read"}, []auth.Scope{auth.ScopeQueuesRead, auth.ScopeTicketsCheckIn}, ""},
		{"BlanksIgnored", []string{" ", "", " patients:read "}, []auth.Scope{auth.ScopePatientsRead}, ""},
		{"Empty", nil, nil, ""},
		{"Unknown", []string{"queues:read", "admin"}, nil, "admin"},
		{"CaseMatters", []string{"QUEUES:READ"}, nil, "QUEUES:READ"},
		{"NoPrefixMatch", []string{"queues:read:all"}, nil, "queues:read:all"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, unknown := auth.ParseScopes(tc.in)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.unknown, unknown)
		})
	}
}

func TestViewerHasScope(t *testing.T) {
	t.Parallel()
	person := auth.Viewer{UserID: "US1", Role: auth.RoleIntegration}
	client := auth.Viewer{UserID: "AK1", ClientID: "AK1", Role: auth.RoleIntegration, Scopes: []auth.Scope{auth.ScopeQueuesRead}}
	require.True(t, person.HasScope(auth.ScopePatientsRead), "people are governed by their role alone")
	require.True(t, client.HasScope(auth.ScopeQueuesRead))
	require.False(t, client.HasScope(auth.ScopePatientsRead))
	require.Equal(t, "queues:read tickets:write", auth.JoinScopes([]auth.Scope{auth.ScopeQueuesRead, auth.ScopeTicketsWrite}))
}

func TestClientTokenClaims(t *testing.T) {
	t.Parallel()
	tokens, err := auth.NewTokens(auth.TokenConfig{Secret: []byte("0123456789abcdef0123456789abcdef"), Issuer: "i", Audience: "a"})
	require.NoError(t, err)
	tok, _, err := tokens.IssueAccess(auth.AccessClaims{UserID: "AK1", Role: auth.RoleIntegration, FacilityID: "FC1",
		SessionID: "CS1", Client: true, Scopes: []auth.Scope{auth.ScopeQueuesRead, auth.ScopeTicketsCheckIn}})
	require.NoError(t, err)
	c, err := tokens.ParseAccess(tok)
	require.NoError(t, err)
	require.True(t, c.Client)
	require.Equal(t, []auth.Scope{auth.ScopeQueuesRead, auth.ScopeTicketsCheckIn}, c.Scopes)

	// Scopes on a person's token, or a client that is not INTEGRATION, are refused when parsed.
	for _, bad := range []auth.AccessClaims{
		{UserID: "US1", Role: auth.RoleAdmin, SessionID: "SE1", Scopes: []auth.Scope{auth.ScopeQueuesRead}},
		{UserID: "AK1", Role: auth.RoleAdmin, SessionID: "CS1", Client: true},
	} {
		tok, _, err := tokens.IssueAccess(bad)
		require.NoError(t, err)
		_, err = tokens.ParseAccess(tok)
		require.Error(t, err)
	}
}
