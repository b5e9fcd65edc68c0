package queue_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/queue"
)

func TestAttentionFor(t *testing.T) {
	t.Parallel()
	arrived := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	escalated := arrived.Add(6 * time.Hour)
	target := arrived.Add(2 * time.Hour)
	breach := &queue.BreachForecast{TargetAt: target, Risk: 0.7}
	tk := func(status ticket.Status, esc *time.Time) *ent.Ticket {
		return &ent.Ticket{ID: "TK1", Status: status, CheckedInAt: arrived.Add(time.Hour), ArrivedAt: arrived, TargetAt: target, EscalatedAt: esc}
	}
	untriaged := func(esc *time.Time) *ent.Ticket {
		t := tk(ticket.StatusWAITING, esc)
		t.AwaitingTriage = true
		return t
	}
	for _, tc := range []struct {
		name   string
		t      *ent.Ticket
		breach *queue.BreachForecast
		reason queue.AttentionReason
		since  time.Time
	}{
		{"NothingToSee", tk(ticket.StatusWAITING, nil), nil, "", time.Time{}},
		{"EscalatedSinceArrivalNotCheckIn", tk(ticket.StatusWAITING, &escalated), nil, queue.AttentionPastMaxWait, arrived},
		{"EscalationBeatsBreach", tk(ticket.StatusWAITING, &escalated), breach, queue.AttentionPastMaxWait, arrived},
		{"AwaitingTriageSinceArrival", untriaged(nil), nil, queue.AttentionAwaitingTriage, arrived},
		{"AwaitingTriageBeatsBreach", untriaged(nil), breach, queue.AttentionAwaitingTriage, arrived},
		{"EscalationBeatsAwaitingTriage", untriaged(&escalated), breach, queue.AttentionPastMaxWait, arrived},
		{"BreachSinceItsTarget", tk(ticket.StatusWAITING, nil), breach, queue.AttentionBreachPredicted, target},
		{"CalledTicketsNeedNoAttention", tk(ticket.StatusCALLED, &escalated), breach, "", time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			it, ok := queue.AttentionFor(tc.t, tc.breach)
			if tc.reason == "" {
				require.False(t, ok)
				return
			}
			require.True(t, ok)
			require.Equal(t, tc.reason, it.Reason)
			require.Equal(t, tc.since, it.Since)
			require.Same(t, tc.t, it.Ticket)
		})
	}
}

func TestSortAttention(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	item := func(id string, r queue.AttentionReason, minutes int) *queue.AttentionItem {
		return &queue.AttentionItem{Ticket: &ent.Ticket{ID: pulid.ID(id)}, Reason: r, Since: base.Add(time.Duration(minutes) * time.Minute)}
	}
	items := []*queue.AttentionItem{
		item("B1", queue.AttentionBreachPredicted, 30),
		item("T1", queue.AttentionAwaitingTriage, 50),
		item("M1", queue.AttentionPastMaxWait, 10),
		item("B2", queue.AttentionBreachPredicted, 5),
		item("M2", queue.AttentionPastMaxWait, 0), // waited longest
		item("T2", queue.AttentionAwaitingTriage, 20),
		item("B4", queue.AttentionBreachPredicted, 30), // same instant as B1: by id
		item("B3", queue.AttentionBreachPredicted, 30),
	}
	queue.SortAttention(items)
	var got []string
	for _, it := range items {
		got = append(got, string(it.Ticket.ID))
	}
	require.Equal(t, []string{"M2", "M1", "T2", "T1", "B2", "B1", "B3", "B4"}, got)
}
