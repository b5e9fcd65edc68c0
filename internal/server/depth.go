package server

import (
	"context"
	"errors"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// DepthLimit refuses operations whose fields nest deeper than Max. Complexity alone does not stop a
// cheap-per-field query from following ticket → queue → tickets → queue ... until the database gives.
type DepthLimit struct {
	Max int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = DepthLimit{}

func (DepthLimit) ExtensionName() string { return "CareQueueDepthLimit" }

func (d DepthLimit) Validate(graphql.ExecutableSchema) error {
	if d.Max <= 0 {
		return errors.New("depth limit must be positive")
	}
	return nil
}

func (d DepthLimit) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	if OperationDepth(rc.Doc, rc.Operation) <= d.Max {
		return nil
	}
	err := gqlerror.Errorf("query is nested too deeply (max %d)", d.Max)
	errcode.Set(err, string(cqerr.BadUserInput))
	return err
}

// OperationDepth is how many fields deep op nests, following fragments: `{ a { b } }` is 2.
// Introspection fields (__schema, __type, __typename) do not count: gqlparser bounds introspection
// depth itself, and GraphiQL's standard introspection query is deeper than any real query needs.
func OperationDepth(doc *ast.QueryDocument, op *ast.OperationDefinition) int {
	w := depthWalker{doc: doc, fragments: map[string]int{}}
	return w.selectionSet(op.SelectionSet)
}

type depthWalker struct {
	doc *ast.QueryDocument
	// fragments memoises each fragment's depth, so fragments spreading fragments twice over cannot
	// make the walk exponential; -1 marks one being walked (validation forbids cycles anyway).
	fragments map[string]int
}

func (w depthWalker) selectionSet(set ast.SelectionSet) int {
	deepest := 0
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = 1 + w.selectionSet(s.SelectionSet)
		case *ast.InlineFragment:
			d = w.selectionSet(s.SelectionSet)
		case *ast.FragmentSpread:
			d = w.fragment(s)
		}
		deepest = max(deepest, d)
	}
	return deepest
}

func (w depthWalker) fragment(s *ast.FragmentSpread) int {
	if d, seen := w.fragments[s.Name]; seen {
		return max(d, 0)
	}
	def := s.Definition
	if def == nil && w.doc != nil {
		def = w.doc.Fragments.ForName(s.Name)
	}
	if def == nil {
		return 0
	}
	w.fragments[s.Name] = -1
	d := w.selectionSet(def.SelectionSet)
	w.fragments[s.Name] = d
	return d
}
