package notify_test

import (
	"fmt"
	"slices"
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
	en, es, fr := notify.English, notify.Spanish, notify.French
	for _, tc := range []struct {
		name, dept string
		lang       notify.Lang
		items      []notify.Overdue
		want       string
	}{
		{"None", "Emergency", en, nil, ""},
		{"One", "Emergency", en, []notify.Overdue{at("E-014", 4, 12, h4)},
			"CareQueue Emergency: 1 patient waited past the 4 h maximum: E-014 (4 h 12 min). Open the Needs attention list."},
		{"TheBriefsExample", "Emergency", en, []notify.Overdue{at("E-014", 4, 12, h4), at("E-019", 4, 2, h4)},
			"CareQueue Emergency: 2 patients waited past the 4 h maximum: E-014 (4 h 12 min), E-019 (4 h 2 min). Open the Needs attention list."},
		{"QueuesWithOtherMaxima", "Emergency", en, []notify.Overdue{at("M-001", 6, 1, 6*time.Hour), at("E-019", 4, 2, h4)},
			"CareQueue Emergency: 2 patients waited past their queue's maximum wait: M-001 (6 h 1 min), E-019 (4 h 2 min). Open the Needs attention list."},
		{"HalfHourMaximum", "Lab", en, []notify.Overdue{at("L-001", 0, 31, 30*time.Minute)},
			"CareQueue Lab: 1 patient waited past the 30 min maximum: L-001 (31 min). Open the Needs attention list."},
		{"NoDepartmentName", "  ", en, []notify.Overdue{at("E-014", 4, 12, h4)},
			"CareQueue: 1 patient waited past the 4 h maximum: E-014 (4 h 12 min). Open the Needs attention list."},
		{"UnknownLanguageIsEnglish", "Emergency", notify.Lang("de"), []notify.Overdue{at("E-014", 4, 12, h4)},
			"CareQueue Emergency: 1 patient waited past the 4 h maximum: E-014 (4 h 12 min). Open the Needs attention list."},
		{"SpanishOne", "Urgencias", es, []notify.Overdue{at("E-014", 4, 12, h4)},
			"CareQueue Urgencias: 1 paciente ha superado el tope de espera de 4 h: E-014 (4 h 12 min). Revise el panel de avisos."},
		{"SpanishMany", "Urgencias", es, []notify.Overdue{at("M-001", 6, 1, 6*time.Hour), at("E-019", 4, 2, h4)},
			"CareQueue Urgencias: 2 pacientes han superado el tope de espera de su cola: M-001 (6 h 1 min), E-019 (4 h 2 min). Revise el panel de avisos."},
		{"FrenchOne", "Urgences", fr, []notify.Overdue{at("E-014", 4, 12, h4)},
			"CareQueue Urgences : 1 patient a dépassé l'attente maximale de 4 h : E-014 (4 h 12 min). Consultez la liste des patients à surveiller."},
		{"FrenchMany", "Urgences", fr, []notify.Overdue{at("E-014", 4, 12, h4), at("E-019", 4, 2, h4)},
			"CareQueue Urgences : 2 patients ont dépassé l'attente maximale de 4 h : E-014 (4 h 12 min), E-019 (4 h 2 min). Consultez la liste des patients à surveiller."},
		{"FrenchNoDepartmentName", "", fr, []notify.Overdue{at("M-001", 6, 1, 6*time.Hour), at("E-019", 4, 2, h4)},
			"CareQueue : 2 patients ont dépassé l'attente maximale de leur file : M-001 (6 h 1 min), E-019 (4 h 2 min). Consultez la liste des patients à surveiller."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, notify.EscalationText(tc.lang, tc.dept, tc.items))
		})
	}

	for _, tc := range []struct {
		lang         notify.Lang
		prefix, more string
	}{
		{en, "CareQueue Emergency: 11 patients waited past the 4 h maximum: E-001 (5 h), ", "E-008 (5 h 7 min) and 3 more. Open"},
		{es, "CareQueue Emergency: 11 pacientes han superado el tope de espera de 4 h: E-001 (5 h), ", "E-008 (5 h 7 min) y otros 3. Revise"},
		{fr, "CareQueue Emergency : 11 patients ont dépassé l'attente maximale de 4 h : E-001 (5 h), ", "E-008 (5 h 7 min) et 3 autres. Consultez"},
	} {
		t.Run("ManyAreCounted/"+string(tc.lang), func(t *testing.T) {
			t.Parallel()
			var items []notify.Overdue
			for i := range notify.MaxListed + 3 {
				items = append(items, at(fmt.Sprintf("E-%03d", i+1), 5, i, h4))
			}
			got := notify.EscalationText(tc.lang, "Emergency", items)
			require.True(t, strings.HasPrefix(got, tc.prefix), got)
			require.Contains(t, got, tc.more)
			require.NotContains(t, got, "E-009")
		})
	}
}

func TestUrgentShareText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang notify.Lang
		want string
	}{
		{notify.English, "CareQueue Emergency: in Majors, urgent patients took 72% of the last hour's service time (limit 60%). Others may be waiting long: check the queue."},
		{notify.Spanish, "CareQueue Emergency: en Majors, los urgentes ocuparon el 72% del tiempo de la hora pasada (tope 60%). Otros pueden esperar mucho: revise la cola."},
		{notify.French, "CareQueue Emergency : dans Majors, les urgents ont pris 72 % du temps de la dernière heure (limite 60 %). Les autres patientent : vérifiez la file."},
	} {
		require.Equal(t, tc.want, notify.UrgentShareText(tc.lang, "Emergency", "Majors", 72, 60), "%s", tc.lang)
	}
}

// TestStaffTextsAreGSM7 keeps the staff messages in the SMS alphabet in every language (an en dash, a
// curly quote, Spanish á or French ê would switch the whole message to UCS-2 and double its segments),
// and the usual ones in one segment: one patient escalated, or a warning, with department and queue
// names of ordinary length.
func TestStaffTextsAreGSM7(t *testing.T) {
	t.Parallel()
	one := []notify.Overdue{{Code: "E-014", Waited: 5*time.Hour + 59*time.Minute, MaxWait: 4 * time.Hour}}
	two := append(slices.Clone(one), notify.Overdue{Code: "M-019", Waited: 6 * time.Hour, MaxWait: 6 * time.Hour})
	many := make([]notify.Overdue, notify.MaxListed+3)
	for i := range many {
		many[i] = notify.Overdue{Code: fmt.Sprintf("E-%03d", i), Waited: 10 * time.Hour, MaxWait: 4 * time.Hour}
	}
	for _, lang := range notify.Langs {
		for _, tc := range []struct {
			name       string
			text       string
			oneSegment bool
		}{
			{"EscalationOfOne", notify.EscalationText(lang, "Emergency Department", one), true},
			{"EscalationOfTwo", notify.EscalationText(lang, "Emergency Department", two), false},
			{"EscalationOfMany", notify.EscalationText(lang, "Emergency Department", many), false},
			{"UrgentShare", notify.UrgentShareText(lang, "Emergency", "Majors B", 100, 60), true},
		} {
			t.Run(string(lang)+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				enc, segments := notify.Segments(tc.text)
				require.Equal(t, notify.GSM7, enc, tc.text)
				if tc.oneSegment {
					require.Equal(t, 1, segments, "%d characters: %s", len([]rune(tc.text)), tc.text)
				}
			})
		}
	}
}
