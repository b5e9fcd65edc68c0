package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// nodeClientDir holds the pinned graphql-ws client and the script that drives it.
var nodeClientDir = filepath.Join("..", "..", "internal", "realtime", "testdata", "node")

// installNodeClient runs npm ci once per test binary, when node_modules is missing or older than the
// lock file (a pull that bumps a version must not test the old one).
var installNodeClient = sync.OnceValues(func() (string, error) {
	marker, err := os.Stat(filepath.Join(nodeClientDir, "node_modules", ".package-lock.json"))
	lock, lerr := os.Stat(filepath.Join(nodeClientDir, "package-lock.json"))
	if lerr != nil {
		return "", lerr
	}
	if err == nil && !marker.ModTime().Before(lock.ModTime()) {
		return "", nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
	cmd.Dir = nodeClientDir
	out, err := cmd.CombinedOutput()
	return string(out), err
})

// requireNode skips without Node, except on CI, where a skipped protocol check would pass silently.
func requireNode(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not on PATH and CI=true forbids skipping the graphql-ws client test", tool)
			}
			t.Skipf("%s is not on PATH: skipping the graphql-ws client test", tool)
		}
	}
	// graphql-ws 6 declares node >= 20; an older one (Debian 12's apt nodejs is 18) would fail obscurely.
	v, err := exec.Command("node", "-p", "process.versions.node").Output()
	require.NoError(t, err)
	major, _ := strconv.Atoi(strings.SplitN(strings.TrimSpace(string(v)), ".", 2)[0])
	require.GreaterOrEqual(t, major, 20, "graphql-ws 6 needs Node 20 or later, found %s", v)
	out, err := installNodeClient()
	require.NoError(t, err, "npm ci in %s:\n%s", nodeClientDir, out)
}

// nodeSubscriber is one run of a Node client script: its stdout lines arrive as they are printed.
type nodeSubscriber struct {
	lines  chan string
	exited chan struct{}
	err    error         // set before exited closes
	stderr *bytes.Buffer // read only after exited closes
}

// subscribeWithNode starts the graphql-ws client (subscribe.mjs) on one subscription expecting expect
// results.
func (s *testServer) subscribeWithNode(t *testing.T, origin, token, query string, vars map[string]any, expect int) *nodeSubscriber {
	t.Helper()
	return s.runNodeClient(t, "subscribe.mjs", origin, token, query, vars, expect)
}

// runNodeClient runs one of the Node client scripts (same arguments for all). The process is killed and
// reaped when the test ends, whatever state it is in.
func (s *testServer) runNodeClient(t *testing.T, script, origin, token, query string, vars map[string]any, expect int) *nodeSubscriber {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	wsURL := "ws" + strings.TrimPrefix(s.url, "http") + "/graphql"
	cmd := exec.CommandContext(ctx, "node", script, wsURL, token, jsonString(query), jsonString(vars),
		strconv.Itoa(expect), "20000")
	cmd.Dir = nodeClientDir
	cmd.Env = append(os.Environ(), "CAREQUEUE_ORIGIN="+origin)
	cmd.WaitDelay = 5 * time.Second
	n := &nodeSubscriber{lines: make(chan string, 16), exited: make(chan struct{}), stderr: &bytes.Buffer{}}
	cmd.Stderr = n.stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	go func() {
		// Wait only after stdout is drained: os/exec closes the pipe in Wait.
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			n.lines <- sc.Text()
		}
		close(n.lines)
		n.err = cmd.Wait()
		close(n.exited)
	}()
	t.Cleanup(func() {
		cancel()
		for range n.lines { // drain, so the reader goroutine reaches Wait
		}
		<-n.exited
	})
	return n
}

// next decodes the client's next result into dst.
func (n *nodeSubscriber) next(t *testing.T, dst any) {
	t.Helper()
	select {
	case line, ok := <-n.lines:
		if !ok {
			<-n.exited
			t.Fatalf("graphql-ws client exited early (%v): %s", n.err, n.stderr)
		}
		require.NoError(t, json.Unmarshal([]byte(line), dst), line)
	case <-time.After(30 * time.Second):
		t.Fatal("no result from the graphql-ws client in 30 s")
	}
}

// wait returns how the client process ended.
func (n *nodeSubscriber) wait(t *testing.T) (stderr string, err error) {
	t.Helper()
	select {
	case <-n.exited:
		return n.stderr.String(), n.err
	case <-time.After(30 * time.Second):
		t.Fatal("the graphql-ws client did not exit in 30 s")
		return "", nil
	}
}

func (h *hospital) callTriageNext(t *testing.T, s *testServer) node {
	t.Helper()
	var called node
	s.ok(t, h.clinician, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id code } }`,
		map[string]any{"q": h.triage, "sp": h.room1}, "callNext", &called)
	return called
}

// TestGraphQLWSReferenceClient subscribes with the graphql-ws npm package, the protocol's reference
// client (the one Apollo Client uses), to prove interoperability beyond our own Go client.
func TestGraphQLWSReferenceClient(t *testing.T) {
	t.Parallel()
	requireNode(t)
	s := startServer(t, store.SQLite)
	h := setupHospital(t, s)
	first := h.checkIn(t, s, h.triage, "First", "STANDARD")
	second := h.checkIn(t, s, h.triage, "Second", "STANDARD")

	// The subtests share one queue and each calls a ticket from it, so they run in order.
	t.Run("TicketWatcherMovesUpAfterCallNext", func(t *testing.T) {
		var v struct {
			Data struct {
				TicketChanged struct {
					Position *int
					Version  int
					Ticket   struct{ Code, Status string }
				}
			}
		}
		c := s.subscribeWithNode(t, "http://127.0.0.1", h.reception,
			`subscription($t:ID!){ ticketChanged(ticketID:$t){ position version ticket{ code status } } }`,
			map[string]any{"t": second.ID}, 2)
		c.next(t, &v)
		before := v.Data.TicketChanged
		require.NotNil(t, before.Position)
		require.Equal(t, 2, *before.Position, "the current state comes first")
		require.Equal(t, "WAITING", before.Ticket.Status)

		require.Equal(t, first.ID, h.callTriageNext(t, s).ID)

		c.next(t, &v)
		after := v.Data.TicketChanged
		require.NotNil(t, after.Position)
		require.Equal(t, 1, *after.Position, "the watcher moved up")
		require.Equal(t, before.Version+1, after.Version)
		stderr, err := c.wait(t)
		require.NoError(t, err, stderr)
	})

	t.Run("QueueWatcherSeesCalledTicketLeave", func(t *testing.T) {
		h.checkIn(t, s, h.triage, "Third", "STANDARD")
		var v struct {
			Data struct {
				QueueChanged struct {
					Version int
					Waiting []struct {
						Code     string
						Position int
					}
				}
			}
		}
		c := s.subscribeWithNode(t, "http://127.0.0.1", h.clinician,
			`subscription($q:ID!){ queueChanged(queueID:$q){ version waiting{ code position } } }`,
			map[string]any{"q": h.triage}, 2)
		c.next(t, &v)
		before := v.Data.QueueChanged
		require.Len(t, before.Waiting, 2)
		require.Equal(t, second.Code, before.Waiting[0].Code)

		require.Equal(t, second.ID, h.callTriageNext(t, s).ID)

		c.next(t, &v)
		after := v.Data.QueueChanged
		require.Equal(t, before.Version+1, after.Version)
		require.Len(t, after.Waiting, 1)
		require.Equal(t, before.Waiting[1].Code, after.Waiting[0].Code)
		require.Equal(t, 1, after.Waiting[0].Position)
		stderr, err := c.wait(t)
		require.NoError(t, err, stderr)
	})

	// Proves the script's Origin header reaches the server, so the cases above passed the check.
	t.Run("ForeignOriginIsRefused", func(t *testing.T) {
		c := s.subscribeWithNode(t, "https://evil.example", h.clinician,
			`subscription($q:ID!){ queueChanged(queueID:$q){ version } }`, map[string]any{"q": h.triage}, 1)
		stderr, err := c.wait(t)
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "the client must fail, got %v: %s", err, stderr)
		require.Equal(t, 1, exit.ExitCode(), stderr)
		require.Contains(t, stderr, "403")
	})
}

// TestLegacyGraphQLWSSubprotocol checks the subscriptions-transport-ws protocol (subprotocol
// "graphql-ws"), which older Apollo clients still speak.
func TestLegacyGraphQLWSSubprotocol(t *testing.T) {
	t.Parallel()
	s := startServer(t, store.SQLite)
	h := setupHospital(t, s)
	h.checkIn(t, s, h.triage, "First", "STANDARD")
	second := h.checkIn(t, s, h.triage, "Second", "STANDARD")

	dialer := websocket.Dialer{Subprotocols: []string{"graphql-ws"}, HandshakeTimeout: 5 * time.Second}
	c, res, err := dialer.Dial("ws"+strings.TrimPrefix(s.url, "http")+"/graphql", http.Header{"Origin": {"http://127.0.0.1"}})
	require.NoError(t, err)
	res.Body.Close()
	defer c.Close()
	require.Equal(t, "graphql-ws", c.Subprotocol())

	// read skips the legacy keep-alive ("ka").
	read := func() wsMessage {
		t.Helper()
		for {
			m := s.read(t, c)
			if m.Type != "ka" {
				return m
			}
		}
	}
	init, _ := json.Marshal(map[string]any{"authorization": "Bearer " + h.reception})
	require.NoError(t, c.WriteJSON(wsMessage{Type: "connection_init", Payload: init}))
	require.Equal(t, "connection_ack", read().Type)

	payload, _ := json.Marshal(map[string]any{
		"query":     `subscription($t:ID!){ ticketChanged(ticketID:$t){ position version } }`,
		"variables": map[string]any{"t": second.ID},
	})
	require.NoError(t, c.WriteJSON(wsMessage{ID: "1", Type: "start", Payload: payload}))

	type update struct {
		Data struct {
			TicketChanged struct {
				Position int
				Version  int
			}
		}
	}
	data := func() update {
		t.Helper()
		m := read()
		require.Equal(t, "data", m.Type, string(m.Payload))
		require.Equal(t, "1", m.ID)
		var u update
		require.NoError(t, json.Unmarshal(m.Payload, &u), string(m.Payload))
		return u
	}
	before := data().Data.TicketChanged
	require.Equal(t, 2, before.Position)

	h.callTriageNext(t, s)

	after := data().Data.TicketChanged
	require.Equal(t, 1, after.Position)
	require.Equal(t, before.Version+1, after.Version)

	require.NoError(t, c.WriteJSON(wsMessage{ID: "1", Type: "stop"}))
	require.Equal(t, "complete", read().Type)
}
