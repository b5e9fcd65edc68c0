package queue_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

// renderState writes out what a state's watchers can be shown of each of its tickets.
func renderState(st *queue.State) string {
	ts := st.Tickets()
	slices.SortFunc(ts, func(a, b *ent.Ticket) int { return strings.Compare(string(a.ID), string(b.ID)) })
	var b strings.Builder
	fmt.Fprintf(&b, "version %d, waiting %d, called %d\n", st.Version(), len(st.Snapshot.Waiting), len(st.Snapshot.Called))
	for _, t := range ts {
		name, point := "<no patient>", "<no point>"
		if p := t.Edges.Patient; p != nil {
			name = p.GivenName + " " + p.FamilyName
		}
		if sp := t.Edges.ServicePoint; sp != nil {
			point = sp.Name
		}
		place := st.Snapshot.Place(t.ID)
		pos, wait := 0, "no estimate"
		if place.Position != nil {
			pos = *place.Position
		}
		if place.EstimatedWaitMinutes != nil {
			wait = fmt.Sprint(*place.EstimatedWaitMinutes, " min")
		}
		fmt.Fprintf(&b, "%s %s %s pos %d %s, %s, %s, queue v%d\n", t.ID, t.Code, t.Status, pos, wait, name, point, t.Edges.Queue.Version)
	}
	return b.String()
}

// A queue's state read from its previous state shows what a whole read shows — the called ticket's new
// status and room, a patient renamed and a room renamed without any change to the queue — and leaves
// the previous state as its watchers were shown it, while the tickets nothing changed keep their rows.
func TestStateReadFromThePreviousOne(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		ctx := context.Background()
		sys := auth.SystemContext(ctx)
		var line []*ent.Ticket
		for range 5 {
			line = append(line, f.checkIn(t, f.triage, "STANDARD"))
		}
		early, err := f.svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID) // at Room 1 from before
		require.NoError(t, err)
		first, err := f.svc.ReadState(ctx, f.triage.ID, nil, nil, nil)
		require.NoError(t, err)
		shown := renderState(first)

		called, err := f.svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID)
		require.NoError(t, err)
		f.client.Patient.UpdateOneID(line[3].PatientID).SetGivenName("Renamed").ExecX(sys)
		f.client.ServicePoint.UpdateOneID(f.room1.ID).SetName("Room One").ExecX(sys)

		touched := []pulid.ID{called.ID}
		next, err := f.svc.ReadState(ctx, f.triage.ID, touched, nil, first)
		require.NoError(t, err)
		whole, err := f.svc.ReadState(ctx, f.triage.ID, touched, nil, nil)
		require.NoError(t, err)
		require.Equal(t, renderState(whole), renderState(next))
		require.Regexp(t, `E-004 WAITING pos 2 [^,]*, Renamed Test \d+, <no point>`, renderState(next))
		require.Regexp(t, `E-002 CALLED pos 0 no estimate, P Test \d+, Room One, queue v`, renderState(next))
		require.Regexp(t, `E-001 CALLED pos 0 no estimate, P Test \d+, Room One, queue v`, renderState(next), "unchanged, in the renamed room")
		require.Equal(t, shown, renderState(first), "the previous state is left as its watchers saw it")

		// Unchanged rows are the previous state's; the changed ones were read again.
		patientOf := func(st *queue.State, id pulid.ID) *ent.Patient {
			ts := st.Tickets()
			i := slices.IndexFunc(ts, func(t *ent.Ticket) bool { return t.ID == id })
			require.GreaterOrEqual(t, i, 0, "ticket %s", id)
			return ts[i].Edges.Patient
		}
		require.Same(t, patientOf(first, line[4].ID), patientOf(next, line[4].ID))
		require.Same(t, patientOf(first, early.ID), patientOf(next, early.ID))
		require.NotSame(t, patientOf(first, line[3].ID), patientOf(next, line[3].ID))

		// A write that did not go through ent leaves updated_at alone: it shows once the rows are read
		// whole again, 30 s after the last whole read at the latest.
		placeholder := "$1"
		if d == store.SQLite {
			placeholder = "?"
		}
		_, err = f.db.SQL.ExecContext(ctx, "UPDATE patients SET given_name = 'ByHand' WHERE id = "+placeholder, string(line[4].PatientID))
		require.NoError(t, err)
		still, err := f.svc.ReadState(ctx, f.triage.ID, nil, nil, next)
		require.NoError(t, err)
		require.NotContains(t, renderState(still), "ByHand", "within 30 s the unchanged rows are taken from the previous state")
		f.clock.advance(30 * time.Second)
		later, err := f.svc.ReadState(ctx, f.triage.ID, nil, nil, still)
		require.NoError(t, err)
		require.Contains(t, renderState(later), "ByHand Test")
		require.NotSame(t, patientOf(next, line[4].ID), patientOf(later, line[4].ID))

		// A state of another queue is not taken for this one's.
		other, err := f.svc.ReadState(ctx, f.fifo.ID, nil, nil, next)
		require.NoError(t, err)
		require.Empty(t, other.Tickets())
	})
}
