package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/carequeue/carequeue/internal/server"
)

var stubBounds = server.Bounds{MaxComplexity: 1000, MaxPageSize: 100, MaxIDs: 10, Lists: stubLists}

func ids(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("%q", fmt.Sprint(i))
	}
	return "[" + strings.Join(s, ",") + "]"
}

func TestOperationCost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		query   string
		vars    map[string]any
		want    int
		wantErr string
	}{
		{"Scalar", "{ whoami }", nil, 1, ""},
		{"PageMultipliesEdges", "{ items(first: 10) { totalCount edges { node { name } } } }", nil, 1 + 1 + (1 + 10*2), ""},
		{"LastCountsLikeFirst", "{ items(last: 10) { edges { node { name } } } }", nil, 1 + (1 + 10*2), ""},
		{"NestedConnectionsMultiply", "{ items(first: 10) { edges { node { items(first: 10) { edges { node { name } } } } } } }", nil, 232, ""},
		{"AliasesAdd", "{ a: items(first: 10) { edges { cursor } } b: items(first: 10) { edges { cursor } } }", nil, 2 * (1 + 1 + 10), ""},
		{"FragmentsCount", "{ items(first: 10) { ...C } } fragment C on ItemConnection { edges { node { name } } }", nil, 1 + (1 + 10*2), ""},
		{"PageFromVariable", "query($n: Int) { items(first: $n) { edges { cursor } } }", map[string]any{"n": int64(50)}, 1 + 1 + 50, ""},
		{"NodesCountTheirIDs", "{ nodes(ids: " + ids(3) + ") { name } }", nil, 1 + 3, ""},
		{"ScalarListPricedByLength", "{ tags }", nil, 1 + 5, ""},
		{"ZeroPageStillPricesTheField", "{ items(first: 0) { edges { cursor } } }", nil, 2, ""},
		{"IntrospectionIsFree", "{ __typename whoami }", nil, 1, ""},

		{"ConnectionWithoutPage", "{ items { edges { cursor } } }", nil, 0, "items needs `first` or `last` (at most 100)"},
		{"NestedConnectionWithoutPage", "{ items(first: 1) { edges { node { items { totalCount } } } } }", nil, 0, "items needs `first` or `last`"},
		{"NullPageIsNoPage", "query($n: Int) { items(first: $n) { totalCount } }", nil, 0, "needs `first` or `last`"},
		{"FirstOverMax", "{ items(first: 101) { totalCount } }", nil, 0, "`first` on items is 101, over the page size limit of 100"},
		{"LastOverMax", "{ x: items(last: 1000000) { totalCount } }", nil, 0, "`last` on x (items) is 1000000, over the page size limit of 100"},
		{"HugeFirstFromVariable", "query($n: Int) { items(first: $n) { totalCount } }", map[string]any{"n": int64(1) << 40}, 0, "over the page size limit"},
		{"NegativeFirst", "{ items(first: -1) { totalCount } }", nil, 0, "cannot be negative"},
		{"TooManyIDs", "{ nodes(ids: " + ids(11) + ") { name } }", nil, 0, "`ids` on nodes has 11 ids, over the limit of 10"},
		{"TooManyIDsFromVariable", "query($ids: [ID!]!) { nodes(ids: $ids) { name } }", map[string]any{"ids": make([]any, 11)}, 0, "over the limit of 10"},
		{"OverMaxInsideFragment", "{ node { ...N } } fragment N on Node { items(first: 500) { totalCount } }", nil, 0, "is 500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := parse(t, tc.query)
			cost, err := stubBounds.OperationCost(doc, doc.Operations[0], tc.vars)
			if tc.wantErr != "" {
				require.NotNil(t, err)
				require.Contains(t, err.Message, tc.wantErr)
				return
			}
			require.Nil(t, err)
			require.Equal(t, tc.want, cost)
		})
	}
}

// A query built to fan out: fragments that each spread the next twice, at every level a full page.
// The walk must answer at once, and the price must saturate rather than overflow into an allowed one.
func TestOperationCostOfAFanOutIsRefusedFast(t *testing.T) {
	t.Parallel()
	var q strings.Builder
	q.WriteString("{ items(first: 100) { ...F0 } }\n")
	const n = 40
	for i := range n {
		fmt.Fprintf(&q, "fragment F%d on ItemConnection { edges { node { items(first: 100) { ...F%d } } } a%d: edges { node { items(first: 100) { ...F%d } } } }\n", i, i+1, i, i+1)
	}
	fmt.Fprintf(&q, "fragment F%d on ItemConnection { totalCount }\n", n)
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: stubSDL})
	doc, errs := gqlparser.LoadQueryWithRules(schema, q.String(), nil)
	require.Empty(t, errs)
	start := time.Now()
	err := stubBounds.MutateOperationContext(context.Background(), &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0]})
	require.Less(t, time.Since(start), time.Second)
	require.NotNil(t, err)
	require.Equal(t, "BAD_USER_INPUT", err.Extensions["code"])
	require.Contains(t, err.Message, "complexity")
}

func TestCheckListBounds(t *testing.T) {
	t.Parallel()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: stubSDL})
	require.NoError(t, server.CheckListBounds(schema, stubLists))

	err := server.CheckListBounds(schema, nil)
	require.ErrorContains(t, err, "Query.tags returns a list with no bound")

	err = server.CheckListBounds(schema, map[string]server.ListSize{"Query.tags": server.Items(1), "Query.gone": server.Items(1)})
	require.ErrorContains(t, err, "Query.gone has a size but is not a plain list field")

	unpaged := gqlparser.MustLoadSchema(&ast.Source{Input: stubSDL + "extend type Query { all: ItemConnection! }"})
	require.ErrorContains(t, server.CheckListBounds(unpaged, stubLists), "Query.all returns a connection without first and last")
}

func TestNewRefusesAnUnboundedSchema(t *testing.T) {
	t.Parallel()
	require.Panics(t, func() {
		newFixture(t, server.Config{}, func(d *server.Deps) { d.Lists = nil })
	})
}
