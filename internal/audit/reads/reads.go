// Package reads collects which patients one GraphQL operation read, so that the audit log can record
// "who looked at which patient, through which operation" with one entry per operation rather than a
// write per field. It has no dependency on the generated ent code: the schema's Patient interceptor
// (ent/schema) adds to the set in the context, and graph's ReadTrail extension writes it out.
package reads

import (
	"context"
	"reflect"
	"slices"
	"sync"

	"entgo.io/ent"
)

// Set is the patients read so far; safe for the concurrent resolvers of one operation.
type Set struct {
	mu  sync.Mutex
	ids map[string]struct{}
}

type key struct{}

// With returns ctx collecting reads into a new set, and the set.
func With(ctx context.Context) (context.Context, *Set) {
	s := &Set{ids: map[string]struct{}{}}
	return context.WithValue(ctx, key{}, s), s
}

// From returns ctx's set, or nil when nothing collects (CLI, jobs, internal work).
func From(ctx context.Context) *Set {
	s, _ := ctx.Value(key{}).(*Set)
	return s
}

// Add records ids as read.
func (s *Set) Add(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if id != "" {
			s.ids[id] = struct{}{}
		}
	}
}

// Take returns the ids read since the last Take, sorted, and empties the set (a subscription reads
// again for every event it delivers).
func (s *Set) Take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.ids))
	for id := range s.ids {
		out = append(out, id)
	}
	clear(s.ids)
	slices.Sort(out)
	return out
}

// Interceptor adds the ids of the entities every query returns to the context's set. It sees the
// generated entity types only as values: a slice of (pointers to) structs with an ID field, or one such
// pointer. Counts, existence checks and bare id lists reveal no patient data and are not reads.
func Interceptor() ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			v, err := next.Query(ctx, q)
			if s := From(ctx); s != nil && err == nil {
				s.Add(idsOf(reflect.ValueOf(v))...)
			}
			return v, err
		})
	})
}

func idsOf(v reflect.Value) []string {
	switch v.Kind() {
	case reflect.Slice:
		var out []string
		for i := range v.Len() {
			out = append(out, idsOf(v.Index(i))...)
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return idsOf(v.Elem())
	case reflect.Struct:
		if f := v.FieldByName("ID"); f.IsValid() && f.Kind() == reflect.String {
			return []string{f.String()}
		}
	default:
	}
	return nil
}
