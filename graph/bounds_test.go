package graph_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/carequeue/carequeue/graph"
	"github.com/carequeue/carequeue/graph/generated"
	"github.com/carequeue/carequeue/internal/server"
)

func schema() *ast.Schema {
	return generated.NewExecutableSchema(generated.Config{}).Schema()
}

// The server refuses to start with an unpriced list (Bounds.Validate); this says which one in CI.
func TestEveryListIsBounded(t *testing.T) {
	t.Parallel()
	require.NoError(t, server.CheckListBounds(schema(), graph.ListSizes))
}

// clientVariables are the widest values the shipped clients send where the server's widest would not
// fit (an Int variable is otherwise priced at the maximum page size), read from the clients' own
// constants so that raising one fails here: the audit list's page size, and the analytics page's
// widest on-screen range.
func clientVariables(t *testing.T) map[string]map[string]any {
	t.Helper()
	auditPage := clientConstant(t, "../web/src/routes/admin/logs/AuditList.tsx", "PAGE_SIZE")
	screenDays := clientConstant(t, "../web/src/routes/admin/analytics/days.ts", "MAX_SCREEN_DAYS")
	// The offline queue sends its batches at most this long; the server prices a batch by its length.
	syncBatch := clientConstant(t, "../web/graphql/src/offline/workflow.ts", "SYNC_BATCH_SIZE")
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return map[string]map[string]any{
		"AdminAuditEntries": {"first": auditPage},
		"SyncPush":          {"operations": make([]any, syncBatch)},
		"AdminDepartmentFigures": {
			"from": from.Format(time.DateOnly),
			"to":   from.AddDate(0, 0, screenDays-1).Format(time.DateOnly),
		},
	}
}

func clientConstant(t *testing.T, path, name string) int {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	m := regexp.MustCompile(`const ` + name + ` = (\d+);`).FindSubmatch(src)
	require.NotNil(t, m, "%s: no const %s", path, name)
	n, err := strconv.Atoi(string(m[1]))
	require.NoError(t, err)
	return n
}

// TestShippedDocumentsStayWithinBounds prices every operation the web app and the patient app ship
// (every .graphql file under web/ and mobile/, and any inline gql`…` document) as the server will:
// a page or a computed complexity over the default limits fails here before it fails in a ward.
func TestShippedDocumentsStayWithinBounds(t *testing.T) {
	t.Parallel()
	s := schema()
	doc := shippedDocuments(t)
	require.NotEmpty(t, doc.Operations)
	// Every fragment is used somewhere in the apps, but not necessarily by a document in this merge.
	r := rules.NewDefaultRules()
	r.RemoveRule(rules.NoUnusedFragmentsRule.Name)
	require.Empty(t, validator.ValidateWithRules(s, doc, r), "the shipped documents do not match the schema")

	b := server.Bounds{
		MaxComplexity: server.DefaultMaxComplexity, MaxPageSize: server.DefaultMaxPageSize,
		MaxIDs: server.DefaultMaxNodeIDs, Lists: graph.ListSizes,
	}
	clients := clientVariables(t)
	costs := map[string]int{}
	for _, op := range doc.Operations {
		vars := map[string]any{}
		for _, v := range op.VariableDefinitions {
			if v.DefaultValue == nil && v.Type.Name() == "Int" {
				vars[v.Variable] = server.DefaultMaxPageSize
			}
		}
		for k, v := range clients[op.Name] {
			vars[k] = v
		}
		cost, err := b.OperationCost(doc, op, vars)
		if err != nil {
			t.Errorf("%s: %v", op.Name, err)
		}
		if cost > server.DefaultMaxComplexity {
			t.Errorf("%s costs %d, over the complexity limit of %d", op.Name, cost, server.DefaultMaxComplexity)
		}
		costs[op.Name] = cost
	}
	names := make([]string, 0, len(costs))
	for n := range costs {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return costs[names[i]] > costs[names[j]] })
	for _, n := range names[:min(5, len(names))] {
		t.Logf("%-32s %5d of %d", n, costs[n], server.DefaultMaxComplexity)
	}
}

// inlineDocument finds gql`…` and graphql(`…`) documents in TypeScript.
var inlineDocument = regexp.MustCompile("(?:gql|graphql\\()\\s*`([^`]*)`")

func shippedDocuments(t *testing.T) *ast.QueryDocument {
	t.Helper()
	doc := &ast.QueryDocument{}
	add := func(name, text string) {
		d, err := parser.ParseQuery(&ast.Source{Name: name, Input: text})
		if err != nil { // a *gqlerror.Error: a nil one is not a nil error
			t.Fatalf("%s: %v", name, err)
		}
		doc.Operations = append(doc.Operations, d.Operations...)
		doc.Fragments = append(doc.Fragments, d.Fragments...)
	}
	for _, root := range []string{"../web", "../mobile"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				switch d.Name() {
				case "node_modules", "dist", "generated", ".bin":
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case strings.HasSuffix(path, ".graphql"):
				b, err := os.ReadFile(path)
				require.NoError(t, err)
				add(path, string(b))
			case strings.HasSuffix(path, ".ts") || strings.HasSuffix(path, ".tsx"):
				b, err := os.ReadFile(path)
				require.NoError(t, err)
				for _, m := range inlineDocument.FindAllStringSubmatch(string(b), -1) {
					require.NotContains(t, m[1], "${", "%s: an inline document with interpolation cannot be checked", path)
					add(path, m[1])
				}
			}
			return nil
		})
		require.NoError(t, err)
	}
	return doc
}
