package audit

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
)

// Change is one field an audited change touched, its values as JSON; nil where the field was absent.
type Change struct {
	Field         string
	Before, After *string
}

// Changes lists the fields whose values differ between before and after (either may be nil: a creation,
// a deletion), sorted by name.
func Changes(before, after map[string]any) []*Change {
	fields := slices.Sorted(maps.Keys(before))
	for k := range after {
		if _, ok := before[k]; !ok {
			fields = append(fields, k)
		}
	}
	slices.Sort(fields)
	out := []*Change{}
	for _, f := range fields {
		b, inB := before[f]
		a, inA := after[f]
		if inB && inA && reflect.DeepEqual(b, a) {
			continue
		}
		c := &Change{Field: f}
		if inB {
			c.Before = jsonText(b)
		}
		if inA {
			c.After = jsonText(a)
		}
		out = append(out, c)
	}
	return out
}

func jsonText(v any) *string {
	b, err := json.Marshal(v)
	if err != nil {
		s := `"?"`
		return &s
	}
	s := string(b)
	return &s
}
