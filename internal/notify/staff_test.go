package notify_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/notify"
)

func TestDuration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0 min"},
		{-time.Minute, "0 min"},
		{59 * time.Second, "0 min"},
		{45*time.Minute + 59*time.Second, "45 min"},
		{4 * time.Hour, "4 h"},
		{4*time.Hour + 12*time.Minute + 59*time.Second, "4 h 12 min"},
		{26*time.Hour + time.Minute, "26 h 1 min"},
	} {
		require.Equal(t, tc.want, notify.Duration(tc.d), "%s", tc.d)
	}
}

func TestEscalationText(t *testing.T) {
	t.Parallel()
	h4 := 4 * time.Hour
	at := func(code string, h, m int, limit time.Duration) notify.Overdue {
		return notify.Overdue{Code: code, Waited: time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, MaxWait: limit}
	}
	for _, tc := range []struct {
		name, dept string
		items      []notify.Overdue
		want       string
	}{
		{"None", "Emergency", nil, ""},
		{"One", "Emergency", []notify.Overdue{at("E-014", 4, 12, h4)},
			"CareQueue Emergency: 1 patient waited past the 4 h maximum: E-014 (4 h 12 min). Open the Needs attention list."},
		{"TheBriefsExample", "Emergency", []notify.Overdue{at("E-014", 4, 12, h4), at("E-019", 4, 2, h4)},
			"CareQueue Emergency: 2 patients waited past the 4 h maximum: E-014 (4 h 12 min), E-019 (4 h 2 min). Open the Needs attention list."},
		{"QueuesWithOtherMaxima", "Emergency", []notify.Overdue{at("M-001", 6, 1, 6*time.Hour), at("E-019", 4, 2, h4)},
			"CareQueue Emergency: 2 patients waited past their queue's maximum wait: M-001 (6 h 1 min), E-019 (4 h 2 min). Open the Needs attention list."},
		{"HalfHourMaximum", "Lab", []notify.Overdue{at("L-001", 0, 31, 30*time.Minute)},
			"CareQueue Lab: 1 patient waited past the 30 min maximum: L-001 (31 min). Open the Needs attention list."},
		{"NoDepartmentName", "  ", []notify.Overdue{at("E-014", 4, 12, h4)},
			"CareQueue: 1 patient waited past the 4 h maximum: E-014 (4 h 12 min). Open the Needs attention list."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, notify.EscalationText(tc.dept, tc.items))
		})
	}

	t.Run("ManyAreCounted", func(t *testing.T) {
		t.Parallel()
		var items []notify.Overdue
		for i := range notify.MaxListed + 3 {
			items = append(items, at(fmt.Sprintf("E-%03d", i+1), 5, i, h4))
		}
		got := notify.EscalationText("Emergency", items)
		require.True(t, strings.HasPrefix(got, "CareQueue Emergency: 11 patients waited past the 4 h maximum: E-001 (5 h), "), got)
		require.Contains(t, got, "E-008 (5 h 7 min) and 3 more. Open")
		require.NotContains(t, got, "E-009")
	})
}

func TestUrgentShareText(t *testing.T) {
	t.Parallel()
	require.Equal(t,
		"CareQueue Emergency: in Majors, urgent patients took 72% of the last hour's service time (limit 60%). Others may be waiting long: check the queue.",
		notify.UrgentShareText("Emergency", "Majors", 72, 60))
}

// TestStaffTextsAreGSM7 keeps the staff messages in the SMS alphabet (an en dash or a curly quote would
// switch the whole message to UCS-2 and double its segments).
func TestStaffTextsAreGSM7(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		notify.EscalationText("Emergency", []notify.Overdue{{Code: "E-014", Waited: 5 * time.Hour, MaxWait: 4 * time.Hour}}),
		notify.UrgentShareText("Emergency", "Majors", 72, 60),
	} {
		enc, _ := notify.Segments(s)
		require.Equal(t, notify.GSM7, enc, s)
	}
}
