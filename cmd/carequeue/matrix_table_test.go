package main

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/carequeue/carequeue/graph"
	"github.com/carequeue/carequeue/graph/generated"
)

// matrixFile is the role-and-scope matrix (issue 14): who may use which root field and node type, on
// their own facility and on another. docs/integration.md points integrators to it.
const matrixFile = "testdata/access-matrix.tsv"

// matrixActors are the table's columns after the field, in order: every staff role (an ADMIN with a
// facility and a global one), the INTEGRATION, KIOSK and PATIENT accounts, an anonymous caller, and an
// API client holding exactly one scope for each scope.
var matrixActors = []string{
	"global-admin", "ADMIN", "RECEPTIONIST", "CLINICIAN", "INTEGRATION", "KIOSK", "PATIENT", "anonymous",
	"queues:read", "tickets:checkin", "tickets:write", "appointments:write", "patients:read", "patients:write",
}

// Outcomes a cell may expect besides an extensions.code: the field answered (ok), or answered with
// nothing of the facility asked about and without an error (hidden: null, false, or a list without the
// other facility's rows).
const (
	outcomeOK     = "ok"
	outcomeHidden = "hidden"
)

var matrixCodes = []string{"FORBIDDEN", "UNAUTHENTICATED", "NOT_FOUND", "BAD_USER_INPUT"}

// matrixCell is one actor's expectation for one row: on the actor's own facility and on another. For a
// field without facility arguments (a list, me, login) Other is what the one answer may hold of the other
// facility (ok: it may list it, hidden: none of it); empty means none of it either.
type matrixCell struct{ Own, Other string }

func (c matrixCell) String() string {
	if c.Other == "" {
		return c.Own
	}
	return c.Own + "/" + c.Other
}

type matrixRow struct {
	Key   string // Query.me, Mutation.checkIn, Subscription.queueChanged, node.Ticket
	Line  int
	Cells map[string]matrixCell
}

func validOutcome(s string) bool {
	return s == outcomeOK || s == outcomeHidden || slices.Contains(matrixCodes, s)
}

// readMatrix parses the table: '#' lines are comments, the first other line names the columns.
func readMatrix(t *testing.T) []matrixRow {
	t.Helper()
	f, err := os.Open(matrixFile)
	require.NoError(t, err)
	defer f.Close()
	var rows []matrixRow
	var header []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if header == nil {
			require.Equal(t, append([]string{"field"}, matrixActors...), cols, "%s:%d: the header names the field and every actor", matrixFile, n)
			header = cols
			continue
		}
		require.Len(t, cols, len(header), "%s:%d: %s needs a cell per actor", matrixFile, n, cols[0])
		row := matrixRow{Key: cols[0], Line: n, Cells: map[string]matrixCell{}}
		for i, a := range matrixActors {
			own, other, _ := strings.Cut(cols[i+1], "/")
			require.True(t, validOutcome(own), "%s:%d: %s, %s: %q is not ok, hidden or one of %v", matrixFile, n, row.Key, a, own, matrixCodes)
			require.True(t, other == "" || validOutcome(other), "%s:%d: %s, %s: %q is not ok, hidden or one of %v", matrixFile, n, row.Key, a, other, matrixCodes)
			row.Cells[a] = matrixCell{own, other}
		}
		rows = append(rows, row)
	}
	require.NoError(t, sc.Err())
	return rows
}

// schemaRows lists what the live schema says the matrix must cover: every field of Query, Mutation and
// Subscription, every field of a namespace (graph.Namespaces: FhirQuery.Patient, ...), and node.<Type>
// for every type implementing Node.
func schemaRows() []string {
	s := generated.NewExecutableSchema(generated.Config{}).Schema()
	var keys []string
	for _, root := range []*ast.Definition{s.Query, s.Mutation, s.Subscription} {
		for _, f := range root.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				keys = append(keys, root.Name+"."+f.Name)
			}
		}
	}
	// A namespace's fields (FhirQuery.Patient, ...) are operations of their own, each with its row.
	for _, ns := range graph.Namespaces {
		for _, f := range s.Types[ns].Fields {
			if !strings.HasPrefix(f.Name, "__") {
				keys = append(keys, ns+"."+f.Name)
			}
		}
	}
	for _, def := range s.PossibleTypes["Node"] {
		keys = append(keys, "node."+def.Name)
	}
	sort.Strings(keys)
	return keys
}

// TestAccessMatrixCoversTheSchema: a new field or Node type without a row, or a row (or call) for one
// that no longer exists, fails here, naming what to add or remove.
func TestAccessMatrixCoversTheSchema(t *testing.T) {
	t.Parallel()
	rows := readMatrix(t)
	inTable := map[string]bool{}
	for _, r := range rows {
		require.False(t, inTable[r.Key], "%s:%d: %s has two rows", matrixFile, r.Line, r.Key)
		inTable[r.Key] = true
	}
	live := schemaRows()
	var missing, stale, noCall []string
	for _, k := range live {
		if !inTable[k] {
			missing = append(missing, k)
		}
		if _, ok := matrixCalls[k]; !ok && !strings.HasPrefix(k, "node.") {
			noCall = append(noCall, k)
		}
		if typ, ok := strings.CutPrefix(k, "node."); ok && nodeFixture[typ] == "" {
			noCall = append(noCall, k)
		}
	}
	for _, r := range rows {
		if !slices.Contains(live, r.Key) {
			stale = append(stale, fmt.Sprintf("%s (line %d)", r.Key, r.Line))
		}
	}
	for k := range matrixCalls {
		if !slices.Contains(live, k) {
			stale = append(stale, k+" (matrixCalls)")
		}
	}
	require.Empty(t, missing, "fields with no row in cmd/carequeue/%s: add a row saying who may use each (columns: %s)", matrixFile, strings.Join(matrixActors, " "))
	require.Empty(t, noCall, "fields with no call: add one to matrixCalls (cmd/carequeue/matrix_calls_test.go), or the type's fixture to nodeFixture")
	require.Empty(t, stale, "rows for fields that no longer exist: remove them")
}
