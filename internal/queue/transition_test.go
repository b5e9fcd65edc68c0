package queue_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

var allActions = []queue.Action{queue.ActionCheckIn, queue.ActionCall, queue.ActionRecall, queue.ActionStart,
	queue.ActionComplete, queue.ActionNoShow, queue.ActionCancel, queue.ActionTransfer, queue.ActionRetriage}

func TestNext(t *testing.T) {
	t.Parallel()

	type key struct {
		from queue.Status
		a    queue.Action
	}
	// The legal graph of the brief, written out independently of the implementation's table.
	legal := map[key]queue.Status{
		{"", queue.ActionCheckIn}:                     queue.StatusWaiting,
		{queue.StatusWaiting, queue.ActionCall}:       queue.StatusCalled,
		{queue.StatusCalled, queue.ActionRecall}:      queue.StatusCalled,
		{queue.StatusCalled, queue.ActionStart}:       queue.StatusInService,
		{queue.StatusInService, queue.ActionComplete}: queue.StatusCompleted,
		{queue.StatusCalled, queue.ActionNoShow}:      queue.StatusNoShow,
		{queue.StatusWaiting, queue.ActionCancel}:     queue.StatusCancelled,
		{queue.StatusCalled, queue.ActionCancel}:      queue.StatusCancelled,
		{queue.StatusWaiting, queue.ActionTransfer}:   queue.StatusTransferred,
		{queue.StatusCalled, queue.ActionTransfer}:    queue.StatusTransferred,
		{queue.StatusInService, queue.ActionTransfer}: queue.StatusTransferred,
		{queue.StatusWaiting, queue.ActionRetriage}:   queue.StatusWaiting,
		{queue.StatusCalled, queue.ActionRetriage}:    queue.StatusCalled,
	}

	t.Run("FollowsTheGraphAndNothingElse", func(t *testing.T) {
		t.Parallel()
		for _, from := range queue.Statuses() {
			for _, a := range allActions {
				got, err := queue.Next("C-012", from, a)
				if want, ok := legal[key{from, a}]; ok {
					require.NoError(t, err, "%s --%s-->", from, a)
					require.Equal(t, want, got, "%s --%s-->", from, a)
					continue
				}
				require.Equal(t, cqerr.Conflict, cqerr.CodeOf(err), "%s --%s--> should conflict", from, a)
				require.Empty(t, got)
				require.True(t, strings.HasPrefix(cqerr.MessageOf(err), "C-012 "), cqerr.MessageOf(err))
			}
		}
		got, err := queue.Next("", "", queue.ActionCheckIn)
		require.NoError(t, err)
		require.Equal(t, queue.StatusWaiting, got)
	})

	for _, tc := range []struct {
		name string
		code string
		from queue.Status
		a    queue.Action
		msg  string
	}{
		{"ErrCompletingWaitingTicket", "C-012", queue.StatusWaiting, queue.ActionComplete,
			"C-012 is still waiting and has not been called yet; call it and start the visit first"},
		{"ErrCallingCalledTicketSuggestsRecall", "C-012", queue.StatusCalled, queue.ActionCall,
			"C-012 was already called; recall it to call it again"},
		{"ErrCompletingTwice", "LAB-1000", queue.StatusCompleted, queue.ActionComplete,
			"LAB-1000 has already been completed"},
		{"ErrCancellingInService", "C-001", queue.StatusInService, queue.ActionCancel,
			"C-001 is already being seen; complete the visit instead"},
		{"ErrNoShowBeforeCall", "C-001", queue.StatusWaiting, queue.ActionNoShow,
			"C-001 is still waiting and has not been called yet; call it first"},
		{"ErrCheckingInTwice", "C-001", queue.StatusWaiting, queue.ActionCheckIn,
			"C-001 is still waiting and has not been called yet; a ticket is checked in only once"},
		{"ErrTransferringTransferred", "C-001", queue.StatusTransferred, queue.ActionTransfer,
			"C-001 has already been transferred to another queue"},
		{"ErrWithoutCodeSaysTheTicket", "", queue.StatusNoShow, queue.ActionRetriage,
			"This ticket was already marked as not attending"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := queue.Next(tc.code, tc.from, tc.a)
			require.Equal(t, cqerr.Conflict, cqerr.CodeOf(err))
			require.Equal(t, tc.msg, cqerr.MessageOf(err))
		})
	}

	t.Run("ErrUnknownActionOrStatusIsInternal", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			from queue.Status
			a    queue.Action
		}{
			{queue.StatusWaiting, "PAUSE"},
			{"DONE", queue.ActionCall},
			{"", queue.ActionCall}, // only check-in creates a ticket
		} {
			_, err := queue.Next("C-001", tc.from, tc.a)
			require.Error(t, err)
			require.Equal(t, cqerr.Internal, cqerr.CodeOf(err), "%q --%s-->", tc.from, tc.a)
		}
	})
}

func TestActions(t *testing.T) {
	t.Parallel()

	for _, tc := range []struct {
		from queue.Status
		want []queue.Action
	}{
		{"", []queue.Action{queue.ActionCheckIn}},
		{queue.StatusWaiting, []queue.Action{queue.ActionCall, queue.ActionCancel, queue.ActionTransfer, queue.ActionRetriage}},
		{queue.StatusCalled, []queue.Action{queue.ActionRecall, queue.ActionStart, queue.ActionNoShow, queue.ActionCancel,
			queue.ActionTransfer, queue.ActionRetriage}},
		{queue.StatusInService, []queue.Action{queue.ActionComplete, queue.ActionTransfer}},
		{queue.StatusCompleted, nil},
		{queue.StatusNoShow, nil},
		{queue.StatusCancelled, nil},
		{queue.StatusTransferred, nil},
		{"DONE", nil},
	} {
		t.Run("From"+string(tc.from), func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, queue.Actions(tc.from))
		})
	}
}
