package document_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/document"
)

func TestParseManifest(t *testing.T) {
	t.Parallel()
	const doc = "query Me { me { id } }"
	h := document.Hash(doc)

	t.Run("KeepsDocumentsUnderTheirHash", func(t *testing.T) {
		t.Parallel()
		m, err := document.ParseManifest([]byte(`{"` + h + `": "query Me { me { id } }"}`))
		require.NoError(t, err)
		s := document.NewStore(m)
		got, ok := s.Lookup(h)
		require.True(t, ok)
		require.Equal(t, doc, got)
		require.Equal(t, 1, s.Len())
	})
	for name, body := range map[string]string{
		"ErrNotJSON":        `not json`,
		"ErrNotAnObject":    `["query Me { me { id } }"]`,
		"ErrWrongHash":      `{"` + document.Hash("query Other { me { id } }") + `": "query Me { me { id } }"}`,
		"ErrUppercaseHash":  `{"` + upper(h) + `": "query Me { me { id } }"}`,
		"ErrShortHash":      `{"abc": "query Me { me { id } }"}`,
		"ErrDocumentNotStr": `{"` + h + `": 12}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := document.ParseManifest([]byte(body))
			require.Error(t, err)
		})
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func TestValidHash(t *testing.T) {
	t.Parallel()
	require.True(t, document.ValidHash(document.Hash("x")))
	require.False(t, document.ValidHash(""))
	require.False(t, document.ValidHash(upper(document.Hash("x"))))
	require.False(t, document.ValidHash(document.Hash("x")+"0"))
	require.False(t, document.ValidHash("g"+document.Hash("x")[1:]))
}

func TestPolicy(t *testing.T) {
	t.Parallel()
	client := auth.Viewer{UserID: "AK1", ClientID: "AK1", Role: auth.RoleIntegration}
	other := auth.Viewer{UserID: "AK2", ClientID: "AK2", Role: auth.RoleIntegration}
	for _, tc := range []struct {
		name     string
		clients  []string
		v        auth.Viewer
		signedIn bool
		held     bool
	}{
		{"HoldsAnonymous", nil, auth.Viewer{}, false, true},
		{"HoldsReceptionist", nil, auth.Viewer{Role: auth.RoleReceptionist}, true, true},
		{"HoldsClinician", nil, auth.Viewer{Role: auth.RoleClinician}, true, true},
		{"HoldsPatient", nil, auth.Viewer{Role: auth.RolePatient}, true, true},
		{"HoldsKiosk", nil, auth.Viewer{Role: auth.RoleKiosk}, true, true},
		{"LeavesAdmin", nil, auth.Viewer{Role: auth.RoleAdmin}, true, false},
		{"LeavesUnlistedClient", []string{"AK2"}, client, true, false},
		{"HoldsListedClient", []string{"AK9", "AK1"}, client, true, true},
		{"HoldsEveryClientWithStar", []string{document.AllClients}, other, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.held, document.Policy{Clients: tc.clients}.Holds(tc.v, tc.signedIn))
		})
	}

	for _, tc := range []struct {
		mode      document.Mode
		held      bool
		verdict   document.Verdict
		registers bool
	}{
		{document.Open, true, document.Run, true},
		{document.Open, false, document.Run, true},
		{document.PersistedPreferred, true, document.RunCounted, false},
		{document.PersistedPreferred, false, document.Run, false},
		{document.AllowList, true, document.Refuse, false},
		{document.AllowList, false, document.Run, false},
	} {
		p := document.Policy{Mode: tc.mode}
		require.Equal(t, tc.verdict, p.Decide(tc.held), "%s held=%v", tc.mode, tc.held)
		require.Equal(t, tc.registers, p.Registers(), tc.mode)
	}
}

func TestParseMode(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"open", "persisted-preferred", "allow-list"} {
		m, err := document.ParseMode(s)
		require.NoError(t, err)
		require.Equal(t, document.Mode(s), m)
	}
	_, err := document.ParseMode("allowlist")
	require.Error(t, err)
}
