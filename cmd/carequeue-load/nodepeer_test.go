package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestNodePeer starts the Node peer (npm-installed into nodepeer/ on first use) with a handful of
// subscribers and checks every change reaches every watcher once, as the load tool measures it.
func TestNodePeer(t *testing.T) {
	t.Parallel()
	if !nodeOnPath(t) {
		t.Skip("node or npm is not on PATH")
	}
	cfg, err := parseFlags([]string{"-queues", "2", "-per-queue", "4", "-subscribers", "10", "-calls", "2",
		"-board-calls", "3", "-node-dir", "nodepeer", "-dial-concurrency", "5"}, &bytes.Buffer{})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute) // npm ci on first use
	defer cancel()
	var log bytes.Buffer
	rep := &report{}
	require.NoError(t, runNode(ctx, cfg, rep, &printer{w: &log}), log.String())
	n := rep.Node
	require.NotNil(t, n)
	require.Empty(t, rep.NodeSkipped)

	t.Run("EveryWatcherGetsEveryCallOnce", func(t *testing.T) {
		require.Equal(t, 10, n.Connected, n.FirstError)
		require.Equal(t, 4, n.Rounds)
		require.Equal(t, 20, n.Expected) // 5 watchers per queue, 2 calls each
		require.Zero(t, n.Missed)
		require.Zero(t, n.Duplicates+n.Unexpected+n.Dropped)
		require.Equal(t, 20, n.Latency.Count)
	})
	t.Run("CalledTicketsWatchersSeeCalled", func(t *testing.T) {
		// 10 watchers over 8 tickets: the first tickets of each queue, called first, are watched.
		require.Equal(t, 4, n.CalledChecked)
		require.Zero(t, n.CalledWrong)
	})
	t.Run("EveryBoardWatcherGetsEveryChange", func(t *testing.T) {
		b := n.Board
		require.NotNil(t, b)
		require.Equal(t, 10, b.Connected, b.FirstError)
		require.Equal(t, 3, b.Rounds)
		require.Equal(t, 30, b.Expected)
		require.Zero(t, b.Missed)
		require.Zero(t, b.Duplicates+b.Unexpected+b.Dropped)
		require.Greater(t, b.PayloadBytes, n.PayloadBytes)
	})
	t.Run("ReadsThePeersProcess", func(t *testing.T) {
		require.Empty(t, n.ServerError)
		require.Empty(t, n.Board.ServerError)
		require.NotZero(t, n.RSSPerSubKiB)
	})
	t.Run("SameShapeAsCareQueue", func(t *testing.T) {
		// ticketChanged { position estimatedWaitMinutes version ticket { code status } } with short ids.
		require.Greater(t, n.PayloadBytes, 120)
		require.Less(t, n.PayloadBytes, 250)
	})
}
