package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// auditSQL runs statements on the server's database as its owner (the tests' superuser on PostgreSQL)
// and returns the rows of the last one, if it is a query, as strings.
func (s *testServer) auditSQL(t *testing.T, stmts ...string) [][]string {
	t.Helper()
	db, err := store.Open(t.Context(), s.env["DATABASE_URL"], s.env["SQLITE_PATH"])
	require.NoError(t, err)
	defer db.Close()
	for _, q := range stmts[:len(stmts)-1] {
		_, err := db.SQL.ExecContext(t.Context(), q)
		require.NoError(t, err, q)
	}
	rows, err := db.SQL.QueryContext(t.Context(), stmts[len(stmts)-1])
	require.NoError(t, err)
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		row := make([]string, len(cols))
		for i, v := range vals {
			switch v := v.(type) {
			case []byte:
				row[i] = string(v)
			case string:
				row[i] = v
			case nil:
			default:
				row[i] = jsonString(v)
			}
		}
		out = append(out, row)
	}
	require.NoError(t, rows.Err())
	return out
}

// TestAuditVerifyCommand: `carequeue audit verify` passes on the log the server wrote, and after an
// owner edits one entry below the application it fails naming that entry.
func TestAuditVerifyCommand(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		var p node
		s.ok(t, h.reception, `mutation($f:ID!){ createPatient(input:{givenName:"Annabel", familyName:"Quist", facilityID:$f, phone:"+33612345678", mrn:"MRN-778"}){ id } }`,
			map[string]any{"f": h.facility}, "createPatient", &p)
		s.ok(t, h.reception, `mutation($id:ID!){ updatePatient(id:$id, input:{familyName:"Quist-Moreau"}){ id } }`,
			map[string]any{"id": p.ID}, "updatePatient", nil)
		require.Contains(t, s.cli(t, "audit", "verify"), "audit log OK: ")

		rows := s.auditSQL(t, "SELECT id, before, after FROM audit_entries WHERE entity_type = 'Patient' AND action <> 'patient.read'")
		require.NotEmpty(t, rows, "registering a patient is audited")
		require.Len(t, rows, 2)
		for _, r := range rows {
			require.NotContains(t, r[1]+r[2], "Annabel", "no patient name in clear")
			require.NotContains(t, r[1]+r[2], "Quist", "no patient name in clear")
			require.NotContains(t, r[1]+r[2], "MRN-778", "no medical record number in clear")
			require.NotContains(t, r[1]+r[2], "+33612345678", "no phone in clear")
			require.Contains(t, r[2], "given_name", "the field names stay")
		}

		off, on := "ALTER TABLE audit_entries DISABLE TRIGGER USER", "ALTER TABLE audit_entries ENABLE TRIGGER USER"
		if d == store.SQLite {
			off, on = "DROP TRIGGER audit_entries_no_update", "SELECT 1"
		}
		victim := rows[0][0]
		s.auditSQL(t, off, "UPDATE audit_entries SET actor_id = 'someone-else' WHERE id = '"+victim+"'", on)
		var out bytes.Buffer
		err := run(context.Background(), []string{"audit", "verify"}, s.getenv, &out, io.Discard)
		require.Error(t, err)
		require.Contains(t, err.Error(), "first broken entry "+victim)
		require.NotContains(t, out.String(), "OK")

		require.ErrorContains(t, run(context.Background(), []string{"audit"}, s.getenv, io.Discard, io.Discard), "usage: carequeue audit verify")
		require.ErrorContains(t, run(context.Background(), []string{"audit", "verify", "--fix"}, s.getenv, io.Discard, io.Discard), "usage")
	})
}

// TestRefusalsReachTheAuditLog: through the real server, a failed sign-in and a forged access token
// each leave one entry, without the password or the token.
func TestRefusalsReachTheAuditLog(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		r := s.gql(t, "", `mutation{ login(email:"desk@test.org", password:"wrong-password-99"){ accessToken } }`, nil)
		require.Equal(t, "UNAUTHENTICATED", r.code())
		forged := h.reception[:len(h.reception)-6] + "AAAAAA"
		r = s.gql(t, forged, `{ me { id } }`, nil)
		require.Equal(t, http.StatusUnauthorized, r.Status)

		rows := s.auditSQL(t, "SELECT action, after, address FROM audit_entries WHERE action IN ('session.signInFailed', 'session.tokenRejected') ORDER BY seq")
		require.Len(t, rows, 2, "%v", rows)
		require.Equal(t, "session.signInFailed", rows[0][0])
		require.Equal(t, "session.tokenRejected", rows[1][0])
		require.Equal(t, "127.0.0.1", rows[1][2])
		for _, r := range rows {
			for _, secret := range []string{"wrong-password-99", "desk@test.org", forged[:30]} {
				require.NotContains(t, r[1], secret)
			}
		}
		require.Contains(t, s.cli(t, "audit", "verify"), "audit log OK")
	})
}

// TestReadsAndDenialsAreAudited: an operation that reads patients leaves one entry naming the reader,
// the operation and the patients (by id, never by name); a refused one leaves an access.denied entry.
func TestReadsAndDenialsAreAudited(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		ann := h.checkIn(t, s, h.triage, "Annabel", "STANDARD")
		h.checkIn(t, s, h.triage, "Bertrand", "STANDARD")
		var list struct {
			Edges []struct{ Node struct{ ID string } }
		}
		s.ok(t, h.clinician, `query WardList{ patients(first:10){ edges{ node{ id givenName } } } }`, nil, "patients", &list)
		require.Len(t, list.Edges, 2)
		s.ok(t, h.clinician, `query OneTicket($id:ID!){ node(id:$id){ ... on Ticket { code patient { familyName } } } }`,
			map[string]any{"id": ann.ID}, "node", nil)
		r := s.gql(t, h.clinician, `mutation Sneaky($d:ID!){ createQueue(input:{name:"X", prefix:"X", ordering:FIFO, active:true, departmentID:$d}){ id } }`,
			map[string]any{"d": h.dept})
		require.Equal(t, "FORBIDDEN", r.code(), r.Raw)

		rows := s.auditSQL(t, "SELECT actor_id, entity_id, after FROM audit_entries WHERE action = 'patient.read' ORDER BY seq")
		byOp := map[string][]string{}
		for _, r := range rows {
			var after struct {
				Operation string
				Patients  []string
			}
			require.NoError(t, json.Unmarshal([]byte(r[2]), &after))
			byOp[after.Operation] = after.Patients
			require.NotContains(t, r[2], "Annabel")
			require.NotContains(t, r[2], "Bertrand")
		}
		require.ElementsMatch(t, []string{list.Edges[0].Node.ID, list.Edges[1].Node.ID}, byOp["WardList"])
		require.Len(t, byOp["OneTicket"], 1, "the ticket's patient")

		rows = s.auditSQL(t, "SELECT actor_role, after FROM audit_entries WHERE action = 'access.denied'")
		require.Len(t, rows, 1)
		require.Equal(t, "CLINICIAN", rows[0][0])
		require.Contains(t, rows[0][1], "Sneaky")
		require.Contains(t, rows[0][1], "createQueue")
		require.Contains(t, s.cli(t, "audit", "verify"), "audit log OK")
	})
}

// TestAnonymousAndHTTPRefusalsAreAudited: a signed-out caller refused by GraphQL (UNAUTHENTICATED) and
// a request refused at the HTTP level (401, before any GraphQL ran) each leave an access.denied entry,
// without the token that was sent.
func TestAnonymousAndHTTPRefusalsAreAudited(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		r := s.gql(t, "", `mutation Anon($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`,
			map[string]any{"q": h.triage, "sp": h.room1})
		require.Equal(t, "UNAUTHENTICATED", r.code(), r.Raw)
		const garbage = "not-a-token-but-a-secret-0123456789"
		r = s.gql(t, garbage, `{ me { id } }`, nil)
		require.Equal(t, http.StatusUnauthorized, r.Status)

		rows := s.auditSQL(t, "SELECT actor_id, after, address FROM audit_entries WHERE action = 'access.denied' ORDER BY seq")
		require.Len(t, rows, 2, "%v", rows)
		require.Empty(t, rows[0][0], "anonymous")
		require.Contains(t, rows[0][1], "Anon")
		require.Contains(t, rows[0][1], "callNext")
		var req struct {
			Method, Path string
			Status       int
		}
		require.NoError(t, json.Unmarshal([]byte(rows[1][1]), &req))
		require.Equal(t, "POST", req.Method)
		require.Equal(t, "/graphql", req.Path)
		require.Equal(t, http.StatusUnauthorized, req.Status)
		for _, r := range rows {
			require.Equal(t, "127.0.0.1", r[2])
			require.NotContains(t, r[1], garbage[:20])
		}
		require.Contains(t, s.cli(t, "audit", "verify"), "audit log OK")
	})
}

// TestSignedInDenialsAreCapped: a signed-in client hammering what it may not do leaves at most
// LOGIN_RATE_LIMIT access.denied entries a minute for its account, so it cannot flood the audit chain;
// another account's refusal is still recorded.
func TestSignedInDenialsAreCapped(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, map[string]string{"LOGIN_RATE_LIMIT": "10"})
		h := setupHospital(t, s)
		const sneaky = `mutation Sneaky($d:ID!){ createQueue(input:{name:"X", prefix:"X", ordering:FIFO, active:true, departmentID:$d}){ id } }`
		for range 15 {
			r := s.gql(t, h.clinician, sneaky, map[string]any{"d": h.dept})
			require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
		}
		r := s.gql(t, h.reception, sneaky, map[string]any{"d": h.dept})
		require.Equal(t, "FORBIDDEN", r.code(), r.Raw)

		rows := s.auditSQL(t, "SELECT actor_role, count(*) FROM audit_entries WHERE action = 'access.denied' GROUP BY actor_role ORDER BY actor_role")
		require.Equal(t, [][]string{{"CLINICIAN", "10"}, {"RECEPTIONIST", "1"}}, rows)
		require.Contains(t, s.cli(t, "audit", "verify"), "audit log OK")
	})
}

// TestAuditKeysStayWithTheirServer: a command run in the same process with a made-up secret (as the
// test suite's in-process servers and commands do) leaves the running server's audit keys alone, so
// what the server writes next still verifies under its own secret.
func TestAuditKeysStayWithTheirServer(t *testing.T) {
	t.Parallel()
	s := startServer(t, store.SQLite)
	h := setupHospital(t, s)
	var p node
	s.ok(t, h.reception, `mutation($f:ID!){ createPatient(input:{givenName:"Ines", familyName:"Vaart", facilityID:$f}){ id } }`,
		map[string]any{"f": h.facility}, "createPatient", &p)

	other := baseEnv(t.TempDir()) // no JWT_SECRET: a secret made up for this run
	require.NotContains(t, other, "JWT_SECRET")
	require.NoError(t, run(context.Background(), []string{"migrate"}, func(k string) string { return other[k] }, io.Discard, io.Discard))

	s.ok(t, h.reception, `mutation($id:ID!){ updatePatient(id:$id, input:{familyName:"Vaart-Oss"}){ id } }`,
		map[string]any{"id": p.ID}, "updatePatient", nil)
	require.Contains(t, s.cli(t, "audit", "verify"), "audit log OK: ")
}
