package notify_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/notify"
)

func TestLogSender(t *testing.T) {
	t.Parallel()
	t.Run("NamesTheLogAndSaysNothingWasSent", func(t *testing.T) {
		t.Parallel()
		var ls notify.LogSender
		id, err := ls.SMS().Send(t.Context(), "+14155550100", "CareQueue: L-001")
		require.ErrorIs(t, err, notify.ErrNoProvider)
		require.Equal(t, "log-1", id)
		id, err = ls.Push().Send(t.Context(), "token", "Called", "L-001", nil)
		require.ErrorIs(t, err, notify.ErrNoProvider)
		require.Equal(t, "log-2", id)
	})
}
