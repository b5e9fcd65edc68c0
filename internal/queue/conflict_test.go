package queue_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

// codeWords are the status and action codes: a refused action is explained in words, never in these.
func codeWords() []string {
	var out []string
	for _, s := range queue.Statuses() {
		out = append(out, string(s))
	}
	for _, a := range enum.Actions() {
		out = append(out, string(a))
	}
	return out
}

// TestConflictMessageSpeaksThePersonsTerms: every refused transition (every action x every status it
// cannot leave) says what happened to the ticket in words, with the ticket's code first, and never a
// status or action code, with or without the details the workflow adds.
func TestConflictMessageSpeaksThePersonsTerms(t *testing.T) {
	t.Parallel()
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	at := time.Date(2026, 7, 1, 9, 42, 0, 0, time.UTC) // 10:42 in London (BST)
	codeRE := regexp.MustCompile(`\b(` + strings.Join(codeWords(), "|") + `)\b`)
	refused := 0
	for _, from := range queue.Statuses() {
		for _, a := range allActions {
			_, err := queue.Next("E-014", from, a)
			if err == nil {
				continue
			}
			refused++
			require.Equal(t, cqerr.Conflict, cqerr.CodeOf(err), "%s --%s-->", from, a)
			plain := cqerr.MessageOf(err)
			full := queue.ConflictMessage(a, queue.Happened{Code: "E-014", Status: from, Point: "Room 3", At: at,
				Locale: "en-GB", Zone: london, By: "Dr Lee"})
			for _, msg := range []string{plain, full} {
				require.True(t, strings.HasPrefix(msg, "E-014 "), "%s --%s-->: %q names the ticket first", from, a, msg)
				require.NotRegexp(t, codeRE, msg, "%s --%s-->: %q has no codes as words", from, a)
				require.NotContains(t, msg, "_", "%s --%s-->: %q", from, a)
			}
			if from != queue.StatusWaiting { // nobody has acted on a waiting ticket yet
				require.Contains(t, full, "10:42", "%s --%s-->: the time, in the facility's zone", from, a)
				require.Contains(t, full, "by Dr Lee", "%s --%s-->", from, a)
			}
		}
	}
	require.Equal(t, 7*len(allActions)-12, refused, "every status x action but the 12 legal moves from a status (check-in starts from none) was checked")

	for _, tc := range []struct {
		name string
		a    queue.Action
		h    queue.Happened
		want string
	}{
		{"CalledByAColleague", queue.ActionCall,
			queue.Happened{Code: "E-014", Status: queue.StatusCalled, Point: "Room 3", At: at, Locale: "en-GB", Zone: london, By: "Dr Lee"},
			"E-014 was already called to Room 3 at 10:42 by Dr Lee; recall it to call it again"},
		{"CompletedTwice", queue.ActionComplete,
			queue.Happened{Code: "E-014", Status: queue.StatusCompleted},
			"E-014 has already been completed"},
		{"InServiceCancelled", queue.ActionCancel,
			queue.Happened{Code: "E-014", Status: queue.StatusInService, Point: "Room 3", At: at, Locale: "en-GB", Zone: london, By: "Dr Lee"},
			"E-014 is already being seen in Room 3 by Dr Lee since 10:42; complete the visit instead"},
		{"TimeInTheFacilitysLocale", queue.ActionStart,
			queue.Happened{Code: "E-014", Status: queue.StatusNoShow, At: at, Locale: "en-US", Zone: london},
			"E-014 was already marked as not attending at 10:42 AM"},
		{"TimeInTheFacilitysZone", queue.ActionCancel,
			queue.Happened{Code: "E-014", Status: queue.StatusCancelled, At: at, Locale: "fr-FR", Zone: time.FixedZone("X", -5*3600), By: "Sam"},
			"E-014 has already been cancelled at 04:42 by Sam"},
		{"NoPatientForAWaitingTicket", queue.ActionStart,
			queue.Happened{Code: "E-014", Status: queue.StatusWaiting, Point: "Room 3", At: at, By: "Dr Lee"},
			"E-014 is still waiting and has not been called yet; call it first"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, queue.ConflictMessage(tc.a, tc.h))
		})
	}
}
