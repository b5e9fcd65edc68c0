package main

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

type tokenAnswer struct {
	Status      int
	Header      http.Header
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
	Error       string `json:"error"`
}

// token posts to /oauth/token with a raw body, content type and optional Authorization header.
func (s *testServer) token(t *testing.T, contentType, body, authorization string) tokenAnswer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.url+"/oauth/token", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := tokenAnswer{Status: res.StatusCode, Header: res.Header}
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	require.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	require.NotContains(t, string(raw), "cqs_", "a secret never comes back")
	return out
}

const formType = "application/x-www-form-urlencoded"

func basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

type apiClientSecret struct {
	Client struct {
		ID           string   `json:"id"`
		Scopes       []string `json:"scopes"`
		SecretPrefix string   `json:"secretPrefix"`
	} `json:"client"`
	ClientSecret string `json:"clientSecret"`
}

// TestAPIClients: an admin's API client gets tokens by the client credentials grant, uses them over
// HTTP and WebSocket within its scopes and facility, and stops at once when rotated or revoked; every
// refusal has its code and the client is the actor in the audit log.
func TestAPIClients(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)

		var c apiClientSecret
		s.ok(t, h.admin, `mutation($f:ID!){ createAPIClient(input:{name:"St Mary's EHR", facilityID:$f, scopes:["tickets:checkin","queues:read","queues:read"]}){ client{ id scopes secretPrefix } clientSecret } }`,
			map[string]any{"f": h.facility}, "createAPIClient", &c)
		require.True(t, strings.HasPrefix(c.ClientSecret, "cqs_"))
		require.True(t, strings.HasPrefix(c.ClientSecret, c.Client.SecretPrefix))
		require.Equal(t, []string{"queues:read", "tickets:checkin"}, c.Client.Scopes)

		t.Run("OnlyAdminsManageClients", func(t *testing.T) {
			r := s.gql(t, h.reception, `mutation($f:ID!){ createAPIClient(input:{name:"x", facilityID:$f, scopes:["queues:read"]}){ clientSecret } }`, map[string]any{"f": h.facility})
			require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
			r = s.gql(t, h.reception, `{ apiClients(first:5){ totalCount } }`, nil)
			require.NotEmpty(t, r.Errors, r.Raw)
			for _, bad := range []struct{ input, field string }{
				{`{name:"", scopes:["queues:read"]}`, "name"},
				{`{name:"x", scopes:[]}`, "scopes"},
				{`{name:"x", scopes:["admin:all"]}`, "scopes"},
			} {
				r = s.gql(t, h.admin, `mutation($f:ID!){ createAPIClient(input:`+strings.Replace(bad.input, "{", "{facilityID:$f, ", 1)+`){ clientSecret } }`, map[string]any{"f": h.facility})
				require.Equal(t, "BAD_USER_INPUT", r.code(), r.Raw)
				require.Equal(t, bad.field, r.Errors[0].Extensions["field"], r.Raw)
			}
			var list struct {
				TotalCount int `json:"totalCount"`
			}
			s.ok(t, h.admin, `{ apiClients(first:5){ totalCount edges{ node{ name lastUsedAt } } } }`, nil, "apiClients", &list)
			require.Equal(t, 1, list.TotalCount)
		})

		t.Run("TokenRequestErrors", func(t *testing.T) {
			for _, tc := range []struct {
				name, contentType, body, authorization string
				status                                 int
				code                                   string
			}{
				{"WrongSecret", formType, "grant_type=client_credentials", basic(c.Client.ID, c.ClientSecret+"x"), 401, "invalid_client"},
				{"UnknownClient", formType, "grant_type=client_credentials&client_id=AKnobody&client_secret=cqs_x", "", 401, "invalid_client"},
				{"NoCredentials", formType, "grant_type=client_credentials", "", 401, "invalid_client"},
				{"BasicGarbage", formType, "grant_type=client_credentials", "Basic !!!not-base64", 401, "invalid_client"},
				{"BearerInsteadOfBasic", formType, "grant_type=client_credentials", "Bearer abc", 401, "invalid_client"},
				{"BothMethods", formType, "grant_type=client_credentials&client_id=" + c.Client.ID, basic(c.Client.ID, c.ClientSecret), 400, "invalid_request"},
				{"UnknownGrant", formType, "grant_type=password&username=a&password=b", basic(c.Client.ID, c.ClientSecret), 400, "unsupported_grant_type"},
				{"MissingGrant", formType, "scope=queues:read", basic(c.Client.ID, c.ClientSecret), 400, "invalid_request"},
				{"JSONBody", "application/json", `{"grant_type":"client_credentials"}`, basic(c.Client.ID, c.ClientSecret), 400, "invalid_request"},
				{"MalformedForm", formType, "grant_type=client_credentials&%zz", basic(c.Client.ID, c.ClientSecret), 400, "invalid_request"},
				{"RepeatedParameter", formType, "grant_type=client_credentials&grant_type=client_credentials", basic(c.Client.ID, c.ClientSecret), 400, "invalid_request"},
				{"ScopeNotGranted", formType, "grant_type=client_credentials&scope=patients:read", basic(c.Client.ID, c.ClientSecret), 400, "invalid_scope"},
				{"UnknownScope", formType, "grant_type=client_credentials&scope=everything", basic(c.Client.ID, c.ClientSecret), 400, "invalid_scope"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					a := s.token(t, tc.contentType, tc.body, tc.authorization)
					require.Equal(t, tc.status, a.Status)
					require.Equal(t, tc.code, a.Error)
					require.Empty(t, a.AccessToken)
					if tc.status == http.StatusUnauthorized {
						require.Contains(t, a.Header.Get("WWW-Authenticate"), "Basic")
					}
				})
			}
			rows := s.auditSQL(t, "SELECT entity_id FROM audit_entries WHERE action = 'oauth.tokenFailed'")
			require.NotEmpty(t, rows, "failed client sign-ins are audited")
		})

		grant := s.token(t, formType, "grant_type=client_credentials", basic(c.Client.ID, c.ClientSecret))
		require.Equal(t, http.StatusOK, grant.Status)
		require.Equal(t, "Bearer", grant.TokenType)
		require.Equal(t, "queues:read tickets:checkin", grant.Scope)
		require.InDelta(t, 900, grant.ExpiresIn, 5)
		tok := grant.AccessToken

		t.Run("TokenWorksWithinScopesAndFacility", func(t *testing.T) {
			var queues struct {
				TotalCount int `json:"totalCount"`
			}
			s.ok(t, tok, `{ queues(first:10){ totalCount } }`, nil, "queues", &queues)
			require.Equal(t, 3, queues.TotalCount)
			var ticket node
			s.ok(t, tok, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, triageLevel:STANDARD, patient:{givenName:"Ehr", familyName:"Patient", facilityID:$f, phone:"+33612345670"}}){ id code status } }`,
				map[string]any{"q": h.triage, "f": h.facility}, "checkIn", &ticket)
			require.Equal(t, "WAITING", ticket.Status)
			rows := s.auditSQL(t, "SELECT actor_role FROM audit_entries WHERE actor_id = '"+c.Client.ID+"' AND action LIKE 'ticket.%'")
			require.NotEmpty(t, rows, "the check-in is audited with the client as actor")
			require.Equal(t, "API_CLIENT", rows[0][0])

			// Same token over WebSocket.
			ws := s.subscribe(t, tok, `subscription($q:ID!){ queueChanged(queueID:$q){ version } }`, map[string]any{"q": h.triage})
			require.Equal(t, "next", s.read(t, ws).Type)
		})

		t.Run("ScopeItLacksIsForbiddenAuditedAndChangesNothing", func(t *testing.T) {
			countPatients := func() int {
				var p struct {
					TotalCount int `json:"totalCount"`
				}
				s.ok(t, h.admin, `{ patients(first:1){ totalCount } }`, nil, "patients", &p)
				return p.TotalCount
			}
			before := countPatients()
			r := s.gql(t, tok, `mutation($f:ID!){ createPatient(input:{givenName:"No", familyName:"Scope", facilityID:$f}){ id } }`, map[string]any{"f": h.facility})
			require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
			require.Equal(t, before, countPatients())
			for _, q := range []string{`{ users(first:1){ totalCount } }`, `{ patients(first:1){ totalCount } }`, `{ auditEntries(first:1){ totalCount } }`, `{ apiClients(first:1){ totalCount } }`, `{ me { id } }`} {
				r = s.gql(t, tok, q, nil)
				require.Equal(t, "FORBIDDEN", r.code(), q+": "+r.Raw)
			}
			// A patient reached through a ticket is still a patient record.
			r = s.gql(t, tok, `{ tickets(first:1){ edges{ node{ code patient{ givenName } } } } }`, nil)
			require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
			rows := s.auditSQL(t, "SELECT actor_role FROM audit_entries WHERE action = 'access.denied' AND actor_id = '"+c.Client.ID+"'")
			require.NotEmpty(t, rows, "the refusals are audited with the client as actor")
			require.Equal(t, "API_CLIENT", rows[0][0])

			narrow := s.token(t, formType, "grant_type=client_credentials&scope=queues:read&client_id="+c.Client.ID+"&client_secret="+url.QueryEscape(c.ClientSecret), "")
			require.Equal(t, "queues:read", narrow.Scope)
			r = s.gql(t, narrow.AccessToken, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, triageLevel:STANDARD, patient:{givenName:"Nar", familyName:"Row", facilityID:$f}}){ id } }`,
				map[string]any{"q": h.triage, "f": h.facility})
			require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
		})

		t.Run("AnotherFacilitysDataIsOutOfReach", func(t *testing.T) {
			var f, dep, q node
			s.ok(t, h.admin, `mutation{ createFacility(input:{name:"Other", timezone:"Europe/Paris"}){ id } }`, nil, "createFacility", &f)
			s.ok(t, h.admin, `mutation($f:ID!){ createDepartment(input:{name:"ED", facilityID:$f}){ id } }`, map[string]any{"f": f.ID}, "createDepartment", &dep)
			s.ok(t, h.admin, `mutation($d:ID!){ createQueue(input:{name:"Other Q", prefix:"O", ordering:FIFO, active:true, departmentID:$d}){ id } }`, map[string]any{"d": dep.ID}, "createQueue", &q)
			r := s.gql(t, tok, `query($id:ID!){ node(id:$id){ id } }`, map[string]any{"id": q.ID})
			require.Equal(t, "null", string(r.Data["node"]), r.Raw)
			r = s.gql(t, tok, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, triageLevel:STANDARD, patient:{givenName:"Far", familyName:"Away", facilityID:$f}}){ id } }`,
				map[string]any{"q": q.ID, "f": f.ID})
			require.NotEmpty(t, r.Errors, r.Raw)
			require.Contains(t, []string{"NOT_FOUND", "FORBIDDEN"}, r.code(), r.Raw)
			var queues struct {
				TotalCount int `json:"totalCount"`
			}
			s.ok(t, tok, `{ queues(first:10){ totalCount } }`, nil, "queues", &queues)
			require.Equal(t, 3, queues.TotalCount, "the other facility's queue is not listed")
		})

		t.Run("RotationAndRevocationStopTokensAtOnce", func(t *testing.T) {
			var rotated apiClientSecret
			s.ok(t, h.admin, `mutation($id:ID!){ rotateAPIClientSecret(id:$id){ client{ id } clientSecret } }`, map[string]any{"id": c.Client.ID}, "rotateAPIClientSecret", &rotated)
			require.NotEqual(t, c.ClientSecret, rotated.ClientSecret)
			require.Equal(t, "invalid_client", s.token(t, formType, "grant_type=client_credentials", basic(c.Client.ID, c.ClientSecret)).Error)
			r := s.gql(t, tok, `{ queues(first:1){ totalCount } }`, nil)
			require.Equal(t, http.StatusUnauthorized, r.Status, r.Raw)

			fresh := s.token(t, formType, "grant_type=client_credentials", basic(c.Client.ID, rotated.ClientSecret))
			require.Equal(t, http.StatusOK, fresh.Status)
			s.ok(t, fresh.AccessToken, `{ queues(first:1){ totalCount } }`, nil, "", nil)

			s.ok(t, h.admin, `mutation($id:ID!){ revokeAPIClient(id:$id){ revokedAt } }`, map[string]any{"id": c.Client.ID}, "", nil)
			deadline := time.Now().Add(6 * time.Second) // at most the revocation cache's TTL on this replica
			for {
				r = s.gql(t, fresh.AccessToken, `{ queues(first:1){ totalCount } }`, nil)
				if r.Status == http.StatusUnauthorized || time.Now().After(deadline) {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			require.Equal(t, http.StatusUnauthorized, r.Status, r.Raw)
			require.Equal(t, "invalid_client", s.token(t, formType, "grant_type=client_credentials", basic(c.Client.ID, rotated.ClientSecret)).Error)
			r = s.gql(t, h.admin, `mutation($id:ID!){ rotateAPIClientSecret(id:$id){ clientSecret } }`, map[string]any{"id": c.Client.ID})
			require.Equal(t, "CONFLICT", r.code(), r.Raw)
			rows := s.auditSQL(t, "SELECT action FROM audit_entries WHERE entity_id = '"+c.Client.ID+"' AND action IN ('apiClient.create','apiClient.rotateSecret','apiClient.revoke','oauth.token') ORDER BY at")
			require.GreaterOrEqual(t, len(rows), 5, "create, tokens, rotation and revocation are audited")
		})
	})
}
