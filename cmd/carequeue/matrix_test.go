package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/graph"
	"github.com/carequeue/carequeue/internal/store"
)

// recordMatrix (CAREQUEUE_MATRIX_RECORD=1, SQLite only) writes what the server does into the table
// instead of comparing: a start for a new row, to be read and corrected before it is committed.
var recordMatrix = os.Getenv("CAREQUEUE_MATRIX_RECORD") != ""

// TestAccessMatrix runs every row of the role-and-scope matrix against the real server: each root
// field, and node/nodes for each Node type, as each actor, on the actor's facility and on another. A
// refused mutation must change nothing, another facility's data must not appear in an answer the table
// does not allow it in, and every FORBIDDEN actor must be in the audit log's access.denied entries.
func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		if recordMatrix && d != store.SQLite {
			t.Skip("recording runs on SQLite")
		}
		s := startServerWith(t, d, codesInTheLog)
		w := newMatrixWorld(t, s)
		actors, ids := matrixSignIn(t, w)
		db, err := store.Open(t.Context(), s.env["DATABASE_URL"], s.env["SQLITE_PATH"])
		require.NoError(t, err)
		defer db.Close()
		w.fingerprint = func(t *testing.T) string { return fingerprint(t, db) }

		table := map[string]matrixRow{}
		if !recordMatrix {
			for _, r := range readMatrix(t) {
				table[r.Key] = r
			}
		}
		observed := map[string]map[string]matrixCell{}
		forbidden := map[string]bool{}
		for _, key := range schemaRows() {
			observed[key] = map[string]matrixCell{}
			t.Run(key, func(t *testing.T) {
				var wrong []string
				for _, a := range matrixActors {
					got, problems := w.exercise(t, key, actors[a], table[key].Cells[a])
					observed[key][a] = got
					if got.Own == "FORBIDDEN" || got.Other == "FORBIDDEN" {
						forbidden[a] = true
					}
					wrong = append(wrong, problems...)
					if want, ok := table[key].Cells[a]; ok && want != got {
						wrong = append(wrong, fmt.Sprintf("%s: the table says %s, the server did %s", a, want, got))
					}
				}
				if !recordMatrix {
					require.Contains(t, table, key, "%s has no row in %s", key, matrixFile)
				}
				require.Empty(t, wrong, "%s (%s line %d)", key, matrixFile, table[key].Line)
			})
		}
		if recordMatrix {
			writeMatrix(t, observed)
			return
		}
		rows := s.auditSQL(t, "SELECT DISTINCT actor_id FROM audit_entries WHERE action = 'access.denied' AND actor_id IS NOT NULL")
		audited := map[string]bool{}
		for _, r := range rows {
			audited[r[0]] = true
		}
		for a := range forbidden {
			if a != "anonymous" {
				require.True(t, audited[ids[a]], "%s was refused FORBIDDEN and nothing in the audit log says so", a)
			}
		}
	})
}

// matrixSignIn makes and signs in every actor of the own facility; ids are their actor ids in the log.
func matrixSignIn(t *testing.T, w *matrixWorld) (tokens, ids map[string]string) {
	t.Helper()
	s := w.s
	tokens = map[string]string{"global-admin": w.root, "PATIENT": w.own.patientToken, "anonymous": ""}
	ids = map[string]string{}
	for _, role := range []string{"ADMIN", "RECEPTIONIST", "CLINICIAN", "INTEGRATION", "KIOSK"} {
		var n node
		email := strings.ToLower(role) + "@test.org"
		s.ok(t, w.root, `mutation($e:String!,$r:Role!,$f:ID!){ createUser(input:{email:$e, name:$e, role:$r, facilityID:$f}, password:"a-long-password-1"){ id } }`,
			map[string]any{"e": email, "r": role, "f": w.own.vars["facility"]}, "createUser", &n)
		ids[role] = n.ID
		tokens[role], _ = s.login(t, email, "a-long-password-1")
	}
	for _, a := range []string{"global-admin", "PATIENT"} {
		var me node
		s.ok(t, tokens[a], `{ me { id } }`, nil, "me", &me)
		ids[a] = me.ID
	}
	for _, scope := range matrixActors[8:] {
		var c apiClientSecret
		s.ok(t, w.root, `mutation($f:ID!,$s:String!){ createAPIClient(input:{name:$s, facilityID:$f, scopes:[$s]}){ client{ id } clientSecret } }`,
			map[string]any{"f": w.own.vars["facility"], "s": scope}, "createAPIClient", &c)
		grant := s.token(t, formType, "grant_type=client_credentials", basic(c.Client.ID, c.ClientSecret))
		require.Equal(t, http.StatusOK, grant.Status)
		tokens[scope], ids[scope] = grant.AccessToken, c.Client.ID
	}
	return tokens, ids
}

// exercise runs one row as one actor and says what happened, with any rule broken on the way (a
// refused mutation that changed something, another facility's data in an answer). want, the table's
// cell (empty when recording), spares the data's fingerprints around a mutation expected to succeed.
func (w *matrixWorld) exercise(t *testing.T, key, token string, want matrixCell) (got matrixCell, problems []string) {
	t.Helper()
	if typ, ok := strings.CutPrefix(key, "node."); ok {
		fixture := nodeFixture[typ]
		const one, many = `query($id:ID!){ node(id:$id){ id } }`, `query($id:ID!){ nodes(ids:[$id]){ id } }`
		got.Own = classify(w.s.gql(t, token, one, map[string]any{"id": w.own.vars[fixture]}), "node")
		r := w.s.gql(t, token, one, map[string]any{"id": w.other.vars[fixture]})
		got.Other = classify(r, "node")
		problems = append(problems, w.leaks(r, got.Other, "node")...)
		r = w.s.gql(t, token, many, map[string]any{"id": w.other.vars[fixture]})
		if o := classify(r, "nodes"); o != got.Other {
			problems = append(problems, fmt.Sprintf("node says %s, nodes says %s", got.Other, o))
		}
		return got, problems
	}
	kind, field, _ := strings.Cut(key, ".")
	call := matrixCalls[key]
	run := func(f *matrixFacility, expect string) (string, bool, gqlResponse) {
		vars, per, used := w.prepare(t, call.doc, f)
		if kind == "Subscription" {
			return w.subscribeOnce(t, token, call.doc, vars, field), per, gqlResponse{}
		}
		check := kind == "Mutation" && expect != outcomeOK
		var before string
		if check {
			before = w.print(t, false)
		}
		r := w.s.gql(t, token, call.doc, vars)
		if slices.Contains(graph.Namespaces, kind) {
			r = w.underNamespace(t, r)
		}
		outcome := classify(r, field)
		if outcome == outcomeOK {
			w.dirty = true
			for _, k := range used {
				delete(w.fresh, k)
			}
		}
		if check && outcome != outcomeOK {
			if after := w.print(t, true); after != before {
				problems = append(problems, fmt.Sprintf("refused (%s) on %s, yet the data changed: %s", outcome, f.name, changedTables(before, after)))
			}
		}
		return outcome, per, r
	}
	var per bool
	var r gqlResponse
	got.Own, per, r = run(w.own, want.Own)
	if !per {
		// One answer: whatever of the other facility it holds is the second half.
		if leaked := w.leaks(r, outcomeHidden, field); len(leaked) > 0 {
			got.Other = outcomeOK
		} else if strings.Contains(call.doc, "edges") || strings.Contains(call.doc, "List(") {
			// A connection or a FHIR search without the other facility's rows.
			got.Other = outcomeHidden
		}
		return got, problems
	}
	got.Other, _, r = run(w.other, want.Other)
	problems = append(problems, w.leaks(r, got.Other, field)...)
	return got, problems
}

// underNamespace returns the answer of a namespace field call (fhir{ Patient(...) }) with the
// namespace's object as its data, so the field's answer is read like a root field's.
func (w *matrixWorld) underNamespace(t *testing.T, r gqlResponse) gqlResponse {
	t.Helper()
	var root string
	for k := range r.Data {
		root = k
	}
	inner := map[string]json.RawMessage{}
	if raw := r.Data[root]; len(raw) > 0 && string(raw) != "null" {
		require.NoError(t, json.Unmarshal(raw, &inner), string(raw))
	}
	r.Data = inner
	return r
}

// print returns the data's fingerprint: the last one taken while nothing could have changed since
// (no fixture made, no call succeeded), unless fresh.
func (w *matrixWorld) print(t *testing.T, fresh bool) string {
	t.Helper()
	if fresh || w.dirty || w.lastPrint == "" {
		w.lastPrint, w.dirty = w.fingerprint(t), false
	}
	return w.lastPrint
}

// classify reads an answer as ok, hidden (null, false, an empty connection) or the first error's code.
func classify(r gqlResponse, field string) string {
	if len(r.Errors) > 0 {
		if c := r.code(); c != "" {
			return c
		}
		return "NO_CODE"
	}
	switch strings.TrimSpace(string(r.Data[field])) {
	case "", "null", "false", "[null]", `{"edges":[]}`:
		return outcomeHidden
	}
	return outcomeOK
}

// leaks lists the other facility's ids and names in an answer that should hold none of them.
func (w *matrixWorld) leaks(r gqlResponse, outcome, field string) []string {
	if outcome == outcomeOK {
		return nil
	}
	var out []string
	data := string(r.Data[field])
	for _, s := range w.other.secrets {
		if strings.Contains(data, s) {
			out = append(out, fmt.Sprintf("%s of %s leaked: %s", s, w.other.name, data))
		}
	}
	return out
}

// subscribeOnce subscribes over a real socket and reads the first answer: the current state (ok) or an
// error (its code).
func (w *matrixWorld) subscribeOnce(t *testing.T, token, doc string, vars map[string]any, field string) string {
	t.Helper()
	c := w.s.subscribe(t, token, doc, vars)
	defer c.Close()
	m := w.s.read(t, c)
	switch m.Type {
	case "next":
		var p struct {
			Data   map[string]json.RawMessage `json:"data"`
			Errors []gqlError                 `json:"errors"`
		}
		require.NoError(t, json.Unmarshal(m.Payload, &p))
		return classify(gqlResponse{Data: p.Data, Errors: p.Errors}, field)
	case "error":
		var errs []gqlError
		require.NoError(t, json.Unmarshal(m.Payload, &errs))
		return classify(gqlResponse{Errors: errs}, field)
	}
	return "UNEXPECTED_" + m.Type
}

// fingerprintTables are the records a refused mutation must leave as they were. Left out: what a
// refusal writes on purpose (the audit log), and what jobs change in the background whenever they run
// (notifications, webhook deliveries, the daily reports the analytics job rewrites, River's tables),
// sessions and sign-in codes.
var fingerprintTables = []string{
	"api_clients", "appointments", "departments", "devices", "facilities", "idempotency_keys",
	"patients", "queues", "service_points", "service_point_queues", "tickets", "ticket_events", "users", "webhook_endpoints",
}

func fingerprint(t *testing.T, db *store.DB) string {
	t.Helper()
	out := make([]string, len(fingerprintTables))
	for i, table := range fingerprintTables {
		out[i] = table + ":" + tableDigest(t, db, table)
	}
	return strings.Join(out, " ")
}

func tableDigest(t *testing.T, db *store.DB, table string) string {
	t.Helper()
	h := sha256.New()
	rows, err := db.SQL.QueryContext(t.Context(), "SELECT * FROM "+table+" ORDER BY 1, 2")
	require.NoError(t, err)
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		require.NoError(t, rows.Scan(ptrs...))
		for i, c := range cols {
			if !jobColumns[table+"."+c] {
				fmt.Fprintf(h, "%v|", vals[i])
			}
		}
		h.Write([]byte("\n"))
	}
	require.NoError(t, rows.Err())
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// jobColumns are written by jobs after a fixture's check-in (the message telling the wait), whenever
// they run: not a refused mutation's doing.
var jobColumns = map[string]bool{
	"tickets.updated_at": true, "tickets.notified_ahead": true, "tickets.wait_told_at": true,
	"tickets.wait_told_low": true, "tickets.wait_told_high": true, "tickets.escalated_at": true,
}

// changedTables names the tables whose digests differ between two fingerprints.
func changedTables(before, after string) []string {
	a := strings.Fields(after)
	var out []string
	for i, b := range strings.Fields(before) {
		if i < len(a) && a[i] != b {
			out = append(out, strings.SplitN(b, ":", 2)[0])
		}
	}
	return out
}

// writeMatrix writes observed cells as the table (record mode).
func writeMatrix(t *testing.T, observed map[string]map[string]matrixCell) {
	t.Helper()
	head, err := os.ReadFile(matrixFile)
	var comments []string
	if err == nil {
		for _, l := range strings.Split(string(head), "\n") {
			if strings.HasPrefix(l, "#") {
				comments = append(comments, l)
			}
		}
	}
	var b strings.Builder
	for _, c := range comments {
		b.WriteString(c + "\n")
	}
	b.WriteString("field\t" + strings.Join(matrixActors, "\t") + "\n")
	keys := make([]string, 0, len(observed))
	for k := range observed {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(k)
		for _, a := range matrixActors {
			b.WriteString("\t" + observed[k][a].String())
		}
		b.WriteString("\n")
	}
	require.NoError(t, os.WriteFile(matrixFile, []byte(b.String()), 0o644))
}
