package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// ListSize is how many items a plain list field (one without first/last or ids) can hold, given the
// field's arguments (values as gqlparser reads them; a variable the caller left out is absent).
type ListSize func(args map[string]any) int

// Items is a ListSize that does not depend on the arguments.
func Items(n int) ListSize { return func(map[string]any) int { return n } }

// Bounds refuses, before a resolver runs, an operation that could produce more than the server is
// willing to: a connection without first/last or with a page over MaxPageSize, nodes(ids) with more
// than MaxIDs ids, or a computed complexity over MaxComplexity. Complexity is one point per field, and a
// list multiplies what it selects by its size: a connection by its first/last, nodes by its ids, a
// plain list by its entry in Lists. So `tickets(first: 100) { edges { node { queue { tickets(first:
// 100) { edges { node { id } } } } } } }` costs about 100 × 100 points, not 10.
//
// It runs as an operation-context mutator, so it holds for every transport (GET, POST, WebSocket)
// and every operation type alike.
type Bounds struct {
	MaxComplexity int
	MaxPageSize   int
	MaxIDs        int
	// Lists sizes every plain list field of the schema, keyed "Type.field". Validate refuses a schema
	// with a list field that has no bound, so a new list cannot slip in unpriced.
	Lists map[string]ListSize
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Bounds{}

func (Bounds) ExtensionName() string { return "CareQueueBounds" }

func (b Bounds) Validate(es graphql.ExecutableSchema) error {
	if b.MaxComplexity <= 0 || b.MaxPageSize <= 0 || b.MaxIDs <= 0 {
		return errors.New("complexity, page size and ids limits must be positive")
	}
	return CheckListBounds(es.Schema(), b.Lists)
}

func (b Bounds) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	cost, err := b.OperationCost(rc.Doc, rc.Operation, rc.Variables)
	if err == nil && cost > b.MaxComplexity {
		err = gqlerror.Errorf("query complexity is %d, over the limit of %d: ask for smaller pages or fewer nested lists", cost, b.MaxComplexity)
	}
	if err != nil {
		errcode.Set(err, string(cqerr.BadUserInput))
	}
	return err
}

// OperationCost is op's complexity under b (see Bounds), or the first argument that breaks a limit.
// vars must hold the operation's variables (gqlgen has coerced them by the time mutators run).
func (b Bounds) OperationCost(doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any) (int, *gqlerror.Error) {
	w := costWalker{b: b, doc: doc, vars: vars, fragments: map[fragmentKey]int{}}
	cost := w.selectionSet(op.SelectionSet, notAPage)
	return cost, w.err
}

// costCeiling keeps the arithmetic from overflowing: anything near it is refused anyway.
const costCeiling = math.MaxInt32

func mulCost(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > costCeiling/b {
		return costCeiling
	}
	return a * b
}

func addCost(a, b int) int { return min(a+b, costCeiling) }

type fragmentKey struct {
	name string
	page int
}

type costWalker struct {
	b    Bounds
	doc  *ast.QueryDocument
	vars map[string]any
	// fragments memoises each fragment's cost per page size, so fragments spreading fragments twice
	// over cannot make the walk exponential.
	fragments map[fragmentKey]int
	err       *gqlerror.Error
}

// notAPage marks a selection set that is not a connection's.
const notAPage = -1

// selectionSet costs set; page is the enclosing connection's page size when set is a connection's
// selection (its edges and nodes lists hold that many), else notAPage.
func (w *costWalker) selectionSet(set ast.SelectionSet, page int) int {
	total := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			total = addCost(total, w.field(s, page))
		case *ast.InlineFragment:
			total = addCost(total, w.selectionSet(s.SelectionSet, page))
		case *ast.FragmentSpread:
			total = addCost(total, w.fragment(s, page))
		}
	}
	return total
}

func (w *costWalker) fragment(s *ast.FragmentSpread, page int) int {
	key := fragmentKey{s.Name, page}
	if c, seen := w.fragments[key]; seen {
		return c
	}
	def := s.Definition
	if def == nil && w.doc != nil {
		def = w.doc.Fragments.ForName(s.Name)
	}
	if def == nil {
		return 0
	}
	w.fragments[key] = 0 // validation forbids cycles; this only stops a malformed one
	c := w.selectionSet(def.SelectionSet, page)
	w.fragments[key] = c
	return c
}

func (w *costWalker) field(f *ast.Field, page int) int {
	// Introspection is gated (IntrospectionGate) and gqlparser bounds its depth.
	if strings.HasPrefix(f.Name, "__") || f.Definition == nil {
		return 0
	}
	def := f.Definition
	if isConnectionField(def) {
		n := w.pageSize(f)
		return addCost(1, w.selectionSet(f.SelectionSet, n))
	}
	if def.Type.Elem == nil {
		return addCost(1, w.selectionSet(f.SelectionSet, notAPage))
	}
	// Each item costs at least a point, so a list of scalars is priced by its length too.
	return addCost(1, mulCost(w.listSize(f, page), max(1, w.selectionSet(f.SelectionSet, notAPage))))
}

// listSize is how many items list field f can hold.
func (w *costWalker) listSize(f *ast.Field, page int) int {
	switch {
	case page >= 0:
		return page // a connection's edges or nodes
	case isIDsField(f.Definition):
		return w.idCount(f)
	}
	key := listKey(f.ObjectDefinition, f.Definition)
	size, ok := w.b.Lists[key]
	if !ok {
		// Validate refuses such a schema; price an unknown list like a full page rather than free.
		return w.b.MaxPageSize
	}
	return max(size(f.ArgumentMap(w.vars)), 0)
}

// pageSize checks a connection's first/last and returns the page it asks for.
func (w *costWalker) pageSize(f *ast.Field) int {
	first, hasFirst := w.intArg(f, "first")
	last, hasLast := w.intArg(f, "last")
	name := fieldName(f)
	switch {
	case !hasFirst && !hasLast:
		w.fail(f, "%s needs `first` or `last` (at most %d)", name, w.b.MaxPageSize)
	case hasFirst && first < 0, hasLast && last < 0:
		w.fail(f, "`first` and `last` on %s cannot be negative", name)
	case first > w.b.MaxPageSize:
		w.fail(f, "`first` on %s is %d, over the page size limit of %d", name, first, w.b.MaxPageSize)
	case last > w.b.MaxPageSize:
		w.fail(f, "`last` on %s is %d, over the page size limit of %d", name, last, w.b.MaxPageSize)
	default:
		return max(first, last)
	}
	return w.b.MaxPageSize
}

func (w *costWalker) idCount(f *ast.Field) int {
	ids, _ := f.ArgumentMap(w.vars)["ids"].([]any)
	if len(ids) > w.b.MaxIDs {
		w.fail(f, "`ids` on %s has %d ids, over the limit of %d", fieldName(f), len(ids), w.b.MaxIDs)
	}
	return len(ids)
}

// intArg reads an Int argument given in the query or through a variable; absent (or null) is false.
func (w *costWalker) intArg(f *ast.Field, name string) (int, bool) {
	arg := f.Arguments.ForName(name)
	if arg == nil {
		return 0, false
	}
	v, err := arg.Value.Value(w.vars)
	if err != nil || v == nil {
		return 0, false
	}
	n, ok := toInt(v)
	return n, ok
}

func (w *costWalker) fail(f *ast.Field, format string, args ...any) {
	if w.err == nil {
		w.err = gqlerror.ErrorPosf(f.Position, format, args...)
	}
}

func fieldName(f *ast.Field) string {
	if f.Alias != "" && f.Alias != f.Name {
		return fmt.Sprintf("%s (%s)", f.Alias, f.Name)
	}
	return f.Name
}

// toInt reads the integer forms gqlparser and gqlgen hand over (literal, JSON variable, coerced).
func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int32:
		return int(n), true
	case int64:
		return int(max(min(n, costCeiling), -costCeiling)), true
	case float64:
		return int(max(min(n, costCeiling), -costCeiling)), true
	case interface{ Int64() (int64, error) }: // json.Number
		i, err := n.Int64()
		if err != nil {
			return costCeiling, true
		}
		return toInt(i)
	}
	return 0, false
}

// isConnectionField reports a Relay connection: a field that takes first and last.
func isConnectionField(def *ast.FieldDefinition) bool {
	return def.Arguments.ForName("first") != nil && def.Arguments.ForName("last") != nil
}

// isIDsField reports a list looked up by a list of ids (nodes(ids:)): one item per id at most.
func isIDsField(def *ast.FieldDefinition) bool {
	a := def.Arguments.ForName("ids")
	return a != nil && a.Type.Elem != nil
}

func listKey(parent *ast.Definition, def *ast.FieldDefinition) string {
	if parent == nil {
		return "." + def.Name
	}
	return parent.Name + "." + def.Name
}

// CheckListBounds reports every list field of schema that nothing bounds: not a connection's edges or
// nodes, not looked up by ids, and without an entry in lists; every field returning a connection
// without first/last; and every entry of lists that names no list field (a stale bound hides nothing,
// but it misleads the next reader).
func CheckListBounds(schema *ast.Schema, lists map[string]ListSize) error {
	// A connection type's edges and nodes hold one page of whichever field returns it.
	connections := map[string]bool{}
	for _, d := range schema.Types {
		for _, f := range d.Fields {
			if isConnectionField(f) {
				connections[f.Type.Name()] = true
			}
		}
		if d.Fields.ForName("pageInfo") != nil {
			connections[d.Name] = true
		}
	}
	var problems []string
	used := map[string]bool{}
	for _, d := range schema.Types {
		if d.BuiltIn || strings.HasPrefix(d.Name, "__") || (d.Kind != ast.Object && d.Kind != ast.Interface) {
			continue
		}
		for _, f := range d.Fields {
			key := listKey(d, f)
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if strings.HasSuffix(f.Type.Name(), "Connection") && !isConnectionField(f) {
				problems = append(problems, key+" returns a connection without first and last")
			}
			if f.Type.Elem == nil || connections[d.Name] || isIDsField(f) {
				continue
			}
			if _, ok := lists[key]; ok {
				used[key] = true
				continue
			}
			problems = append(problems, key+" returns a list with no bound (make it a connection, or give it a size)")
		}
	}
	for key := range lists {
		if !used[key] {
			problems = append(problems, key+" has a size but is not a plain list field of the schema")
		}
	}
	if len(problems) == 0 {
		return nil
	}
	sort.Strings(problems)
	return errors.New("unbounded lists: " + strings.Join(problems, "; "))
}
