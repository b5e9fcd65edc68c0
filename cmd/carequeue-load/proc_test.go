package main

import (
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseStat(t *testing.T) {
	t.Parallel()
	// A command name with a space and a ')' of its own; utime 250, stime 50 ticks, rss 3000 pages.
	const stat = "4242 (node (peer) x) S 1 4242 4242 0 -1 4194560 9000 0 12 0 250 50 0 0 20 0 11 0 777 1234567 3000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0"
	s, err := parseStat(stat, 4096)
	require.NoError(t, err)
	require.Equal(t, 3*time.Second, s.CPU)
	require.Equal(t, int64(3000*4096), s.RSS)

	_, err = parseStat("4242 (short) S 1 2 3", 4096)
	require.ErrorContains(t, err, "fields")
	_, err = parseStat("garbage", 4096)
	require.Error(t, err)
}

func TestPerSubscriberAndPerMessage(t *testing.T) {
	t.Parallel()
	before := procSample{CPU: 2 * time.Second, RSS: 100 << 20}
	after := procSample{CPU: 3 * time.Second, RSS: 100<<20 + 10000*22*1024}
	require.InDelta(t, 22.0, perSubKiB(before, after, 10000), 0.001)
	require.InDelta(t, 20.0, perMessageMicros(before, after, 50000), 0.001)
	require.Zero(t, perSubKiB(before, after, 0))
	require.Zero(t, perMessageMicros(before, after, 0))
}

func TestListeningInodes(t *testing.T) {
	t.Parallel()
	// Port 0x46AA = 18090 listening (0A) twice, once established (01), and port 8080 listening.
	const table = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:46AA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5551 1 0000000000000000 100 0 0 10 0
   1: 0100007F:46AA 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 5552 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5553 1 0000000000000000 100 0 0 10 0
   3: 00000000000000000000000001000000:46AA 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5554 1 0000000000000000 100 0 0 10 0`
	got, err := listeningInodes(strings.NewReader(table), 18090)
	require.NoError(t, err)
	require.Equal(t, []string{"5551", "5554"}, got)
}

func TestServerProcs(t *testing.T) {
	t.Parallel()
	t.Run("FindsTheListenerByPort", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer ln.Close()
		w := serverProcs("", []string{"http://" + ln.Addr().String()})
		require.NoError(t, w.err)
		require.Equal(t, []int{os.Getpid()}, w.pids)
		s, err := w.read()
		require.NoError(t, err)
		require.Positive(t, s.RSS)
	})
	t.Run("TakesPIDsAsGiven", func(t *testing.T) {
		t.Parallel()
		w := serverProcs("12, 34", []string{"http://127.0.0.1:1", "http://127.0.0.1:2"})
		require.NoError(t, w.err)
		require.Equal(t, []int{12, 34}, w.pids)
	})
	t.Run("SaysWhyNot", func(t *testing.T) {
		t.Parallel()
		require.ErrorContains(t, serverProcs("x", nil).err, "not a list of process ids")
		require.ErrorContains(t, serverProcs("", []string{"http://example.org:80"}).err, "not on this machine's loopback")
		_, err := (&procWatch{err: serverProcs("", []string{"http://example.org"}).err}).read()
		require.ErrorContains(t, err, "pass -pid")
	})
}
