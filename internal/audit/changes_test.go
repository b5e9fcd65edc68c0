package audit_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/audit"
)

func TestChanges(t *testing.T) {
	t.Parallel()
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		name          string
		before, after map[string]any
		want          []*audit.Change
	}{
		{"Creation", nil, map[string]any{"name": "Lab", "active": true},
			[]*audit.Change{{Field: "active", After: s("true")}, {Field: "name", After: s(`"Lab"`)}}},
		{"Deletion", map[string]any{"name": "Lab"}, nil, []*audit.Change{{Field: "name", Before: s(`"Lab"`)}}},
		{"UpdateKeepsOnlyWhatChanged", map[string]any{"name": "Lab", "prefix": "L", "tags": []any{"a"}},
			map[string]any{"name": "Laboratory", "prefix": "L", "tags": []any{"a"}},
			[]*audit.Change{{Field: "name", Before: s(`"Lab"`), After: s(`"Laboratory"`)}}},
		{"FieldAppearsAndDisappears", map[string]any{"old": 1.0}, map[string]any{"new": 2.0},
			[]*audit.Change{{Field: "new", After: s("2")}, {Field: "old", Before: s("1")}}},
		{"NothingChanged", map[string]any{"a": "x"}, map[string]any{"a": "x"}, []*audit.Change{}},
		{"Nothing", nil, nil, []*audit.Change{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, audit.Changes(tc.before, tc.after))
		})
	}
}
