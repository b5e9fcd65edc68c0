package queue_test

import (
	"testing"

	"entgo.io/ent"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

func TestParse(t *testing.T) {
	t.Parallel()

	type parser func(string) (string, error)
	status := func(s string) (string, error) { v, err := queue.ParseStatus(s); return string(v), err }
	level := func(s string) (string, error) { v, err := queue.ParseLevel(s); return string(v), err }
	policy := func(s string) (string, error) { v, err := queue.ParsePolicy(s); return string(v), err }

	t.Run("AcceptsEnumNamesAndFriendlySpellings", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			parse parser
			in    string
			want  string
		}{
			{status, "WAITING", "WAITING"},
			{status, "in service", "IN_SERVICE"},
			{status, " no-show ", "NO_SHOW"},
			{level, "IMMEDIATE", "IMMEDIATE"},
			{level, "very urgent", "VERY_URGENT"},
			{level, "Non-Urgent", "NON_URGENT"},
			{policy, "fifo", "FIFO"},
			{policy, "TRIAGE", "TRIAGE"},
		} {
			got, err := tc.parse(tc.in)
			require.NoError(t, err, tc.in)
			require.Equal(t, tc.want, got, tc.in)
		}
	})

	t.Run("ErrUnknownListsAllowedValues", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			parse parser
			in    string
			msg   string
		}{
			{status, "DONE", `unknown ticket status "DONE": use one of WAITING, CALLED, IN_SERVICE, COMPLETED, NO_SHOW, CANCELLED, TRANSFERRED`},
			{status, "", `unknown ticket status "": use one of WAITING, CALLED, IN_SERVICE, COMPLETED, NO_SHOW, CANCELLED, TRANSFERRED`},
			{level, "SEVERE", `unknown triage level "SEVERE": use one of IMMEDIATE, VERY_URGENT, URGENT, STANDARD, NON_URGENT`},
			{policy, "LIFO", `unknown queue policy "LIFO": use one of TRIAGE, FIFO, TRIAGE_DEADLINE_AWARE`},
		} {
			got, err := tc.parse(tc.in)
			require.Empty(t, got)
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), tc.in)
			require.Equal(t, tc.msg, cqerr.MessageOf(err))
		}
	})
}

func TestLevel(t *testing.T) {
	t.Parallel()

	for _, tc := range []struct {
		level  queue.Level
		rank   int
		urgent bool
		valid  bool
	}{
		{queue.LevelImmediate, 0, true, true},
		{queue.LevelVeryUrgent, 1, true, true},
		{queue.LevelUrgent, 2, false, true},
		{queue.LevelStandard, 3, false, true},
		{queue.LevelNonUrgent, 4, false, true},
		{"SEVERE", 3, false, false}, // unknown ranks as STANDARD
		{"", 3, false, false},
	} {
		t.Run(string(tc.level), func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.rank, tc.level.Rank())
			require.Equal(t, tc.urgent, tc.level.Urgent())
			require.Equal(t, tc.valid, tc.level.Valid())
		})
	}
}

func TestStatusClasses(t *testing.T) {
	t.Parallel()

	t.Run("EveryStatusIsOpenOrFinal", func(t *testing.T) {
		t.Parallel()
		open := map[queue.Status]bool{queue.StatusWaiting: true, queue.StatusCalled: true, queue.StatusInService: true}
		for _, s := range queue.Statuses() {
			require.True(t, s.Valid())
			require.Equal(t, open[s], queue.IsOpen(s), s)
			require.Equal(t, !open[s], queue.IsFinal(s), s)
		}
	})

	t.Run("UnknownStatusIsNeither", func(t *testing.T) {
		t.Parallel()
		for _, s := range []queue.Status{"", "DONE", "waiting"} {
			require.False(t, s.Valid(), s)
			require.False(t, queue.IsOpen(s), s)
			require.False(t, queue.IsFinal(s), s)
		}
	})

	t.Run("EnumerationsAreCopies", func(t *testing.T) {
		t.Parallel()
		queue.Statuses()[0] = "X"
		queue.Levels()[0] = "X"
		queue.Policies()[0] = "X"
		require.Equal(t, queue.StatusWaiting, queue.Statuses()[0])
		require.Equal(t, queue.LevelImmediate, queue.Levels()[0])
		require.Equal(t, queue.PolicyTriage, queue.Policies()[0])
		require.Len(t, queue.Levels(), 5)
		require.Len(t, queue.Statuses(), 7)
		require.True(t, queue.PolicyFIFO.Valid())
		require.False(t, queue.Policy("LIFO").Valid())
	})
}

// The rules' lists hold exactly the values the ent schema stores: a value added to the schema without a
// place in the life order, the urgency order or the policies fails here.
func TestEnumsMatchTheSchema(t *testing.T) {
	values := func(fields []ent.Field, name string) []string {
		for _, f := range fields {
			if d := f.Descriptor(); d.Name == name {
				var out []string
				for _, e := range d.Enums {
					out = append(out, e.V)
				}
				return out
			}
		}
		t.Fatalf("no field %s", name)
		return nil
	}
	asStrings := func(n int, at func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = at(i)
		}
		return out
	}
	st, lv, po := queue.Statuses(), queue.Levels(), queue.Policies()
	require.ElementsMatch(t, values(schema.Ticket{}.Fields(), "status"), asStrings(len(st), func(i int) string { return string(st[i]) }))
	require.ElementsMatch(t, values(schema.Ticket{}.Fields(), "triage_level"), asStrings(len(lv), func(i int) string { return string(lv[i]) }))
	// The queue's self check-in level shares the ticket's type (enum.TriageLevel), so the lists agree.
	require.Equal(t, values(schema.Ticket{}.Fields(), "triage_level"), values(schema.Queue{}.Fields(), "self_check_in_level"))
	require.Equal(t, values(schema.Ticket{}.Fields(), "triage_level"), values(schema.TicketEvent{}.Fields(), "from_triage_level"))
	require.ElementsMatch(t, values(schema.Queue{}.Fields(), "ordering"), asStrings(len(po), func(i int) string { return string(po[i]) }))
}
