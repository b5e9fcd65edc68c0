package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/document"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/web"
)

// appDocument returns the hash of the apps' trusted document defining operation name.
func appDocument(t *testing.T, name string) string {
	t.Helper()
	def := regexp.MustCompile(`(query|mutation|subscription) ` + name + `\b`)
	for _, data := range web.PersistedDocuments() {
		m, err := document.ParseManifest(data)
		require.NoError(t, err)
		for h, text := range m {
			if def.MatchString(text) {
				return h
			}
		}
	}
	t.Fatalf("no app document defines %s", name)
	return ""
}

// persisted posts a trusted document by its hash alone.
func (s *testServer) persisted(t *testing.T, token, hash string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"variables": vars,
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}})
	req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := gqlResponse{Status: res.StatusCode, Raw: string(raw)}
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	return out
}

// TestTrustedDocumentsAllowList: with GRAPHQL_DOCUMENTS=allow-list the apps' own documents, named by
// hash, sign in, refresh and load a screen on the real schema, while free-form queries from the same
// callers are refused and an admin keeps GraphiQL's free-form queries.
func TestTrustedDocumentsAllowList(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, map[string]string{"GRAPHQL_DOCUMENTS": "allow-list"})
		s.cli(t, "user", "create", "--email", "root@test.org", "--password", "root-password-123", "--role", "ADMIN")
		login := appDocument(t, "Login")
		signIn := func(email, password string) (string, string) {
			r := s.persisted(t, "", login, map[string]any{"email": email, "password": password})
			require.Empty(t, r.Errors, r.Raw)
			var p struct{ AccessToken, RefreshToken string }
			require.NoError(t, json.Unmarshal(r.Data["login"], &p))
			return p.AccessToken, p.RefreshToken
		}

		r := s.gql(t, "", `mutation{ login(email:"root@test.org", password:"root-password-123"){ accessToken } }`, nil)
		require.Equal(t, "PERSISTED_QUERY_REQUIRED", r.code(), r.Raw)
		require.Nil(t, r.Data["login"])

		admin, _ := signIn("root@test.org", "root-password-123")
		var n node
		s.ok(t, admin, `mutation{ createFacility(input:{name:"General", timezone:"Europe/Paris"}){ id } }`, nil, "createFacility", &n)
		s.ok(t, admin, `mutation($f:ID!){ createUser(input:{email:"desk@test.org",name:"Desk",role:RECEPTIONIST,facilityID:$f}, password:"a-long-password-1"){ id } }`,
			map[string]any{"f": n.ID}, "createUser", nil)

		desk, refresh := signIn("desk@test.org", "a-long-password-1")
		r = s.persisted(t, desk, appDocument(t, "ReceptionPage"), nil)
		require.Empty(t, r.Errors, r.Raw)
		require.NotEmpty(t, r.Data["me"])
		r = s.gql(t, desk, `{ me { id } }`, nil)
		require.Equal(t, "PERSISTED_QUERY_REQUIRED", r.code(), r.Raw)

		r = s.persisted(t, "", appDocument(t, "RefreshSession"), map[string]any{"refreshToken": refresh})
		require.Empty(t, r.Errors, r.Raw)

		r = s.persisted(t, desk, document.Hash("query Mine { me { id } }"), nil)
		require.Equal(t, "PERSISTED_QUERY_NOT_FOUND", r.code(), r.Raw)
	})
}

// TestTrustedDocumentsFiles: an operator's manifest that is not what it claims, or that does not fit
// the schema, stops the start with one line naming the variable and the file.
func TestTrustedDocumentsFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stale := "query Old { removedField }"
	for name, body := range map[string]string{
		"stale.json":     `{"` + document.Hash(stale) + `": "` + stale + `"}`,
		"wronghash.json": `{"` + document.Hash("x") + `": "query Me { me { id } }"}`,
		"garbage.json":   `not json`,
	} {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		env := map[string]string{"APP_ENV": "test", "SQLITE_PATH": filepath.Join(dir, "never.db"), "TRUSTED_DOCUMENTS_FILES": path}
		var out bytes.Buffer
		err := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, &out, &out)
		require.ErrorContains(t, err, "TRUSTED_DOCUMENTS_FILES: "+path, name)
		require.NoFileExists(t, filepath.Join(dir, "never.db"), name)
	}
}
