package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/carequeue/carequeue/internal/server"
)

func parse(t *testing.T, query string) *ast.QueryDocument {
	t.Helper()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: stubSDL})
	doc, errs := gqlparser.LoadQueryWithRules(schema, query, nil)
	require.Empty(t, errs)
	return doc
}

func TestOperationDepth(t *testing.T) {
	t.Parallel()
	// Fragments that each spread the next one twice: a naive walk visits 2^n paths.
	var doubling strings.Builder
	doubling.WriteString("{ node { ...F0 } }\n")
	const n = 40
	for i := range n {
		fmt.Fprintf(&doubling, "fragment F%d on Node { child { ...F%d } ... on Node { ...F%d } }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&doubling, "fragment F%d on Node { name }\n", n)

	for _, tc := range []struct {
		name  string
		query string
		want  int
	}{
		{"CountsOneForFlatQueries", "{ whoami requestId }", 1},
		{"CountsNestedFields", "{ node { child { child { name } } } }", 4},
		{"TakesTheDeepestBranch", "{ whoami node { name child { name } } }", 3},
		{"FollowsFragmentSpreads", "{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { name }", 3},
		{"FollowsInlineFragments", "{ node { ... on Node { child { name } } } }", 3},
		{"IgnoresIntrospection", "{ __schema { types { fields { type { ofType { ofType { name } } } } } } }", 0},
		{"IgnoresTypename", "{ node { __typename } }", 1},
		{"MemoisesFragments", doubling.String(), n + 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := parse(t, tc.query)
			require.Equal(t, tc.want, server.OperationDepth(doc, doc.Operations[0]))
		})
	}
}

func TestDepthLimit(t *testing.T) {
	t.Parallel()
	limit := server.DepthLimit{Max: 2}
	mutate := func(query string) *graphql.OperationContext {
		doc := parse(t, query)
		return &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0]}
	}

	t.Run("AllowsUpToMax", func(t *testing.T) {
		t.Parallel()
		require.Nil(t, limit.MutateOperationContext(context.Background(), mutate("{ node { name } }")))
	})
	t.Run("RefusesBeyondMaxAsBadUserInput", func(t *testing.T) {
		t.Parallel()
		err := limit.MutateOperationContext(context.Background(), mutate("{ node { child { name } } }"))
		require.NotNil(t, err)
		require.Equal(t, "query is nested too deeply (max 2)", err.Message)
		require.Equal(t, "BAD_USER_INPUT", err.Extensions["code"])
	})
	t.Run("RejectsNonPositiveMaxAtStartup", func(t *testing.T) {
		t.Parallel()
		require.Error(t, server.DepthLimit{}.Validate(nil))
	})
}
