package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// The baseline server is this same binary started again with roleEnv=baseline: a process of its own,
// as the CareQueue server is, so the two measurements share a shape, and so each process holds one end
// of every connection (the file-descriptor limit need not fit both ends).
const (
	roleEnv         = "CAREQUEUE_LOAD_ROLE"
	rawWriteTimeout = 5 * time.Second // as a server bounds writes to a slow client
	rawReplyTimeout = 30 * time.Second
)

// serveBaseline is the baseline process: the least a WebSocket server can do to push one message to
// many connections. It listens on loopback, prints "addr <host:port>", then obeys one command a line
// on in: "count" (answers "count <connections>"), "send <group> <version> <bytes>" (writes a payload of
// that size to the group's connections one after another, or to every connection for the group "all";
// answers "sent <failed writes>"), "quit".
func serveBaseline(in io.Reader, out io.Writer) error {
	if _, err := raiseFileLimit(); err != nil {
		return err
	}
	ln, err := new(net.ListenConfig).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var (
		mu     sync.Mutex
		groups = map[int][]*websocket.Conn{}
		total  int
		wg     sync.WaitGroup
	)
	up := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 4096, WriteBufferPool: &sync.Pool{}}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g, err := strconv.Atoi(r.URL.Query().Get("g"))
		if err != nil {
			http.Error(w, "bad group", http.StatusBadRequest)
			return
		}
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		mu.Lock()
		groups[g] = append(groups[g], conn)
		total++
		mu.Unlock()
		wg.Go(func() { // reads only so close frames are answered
			defer conn.Close()
			for {
				if _, _, err := conn.NextReader(); err != nil {
					return
				}
			}
		})
	})}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		mu.Lock()
		for _, conns := range groups {
			for _, c := range conns {
				c.Close()
			}
		}
		mu.Unlock()
		wg.Wait()
	}()
	fmt.Fprintf(out, "addr %s\n", ln.Addr())
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 1 && f[0] == "count":
			mu.Lock()
			n := total
			mu.Unlock()
			fmt.Fprintf(out, "count %d\n", n)
		case len(f) == 4 && f[0] == "send":
			v, _ := strconv.ParseInt(f[2], 10, 64)
			size, _ := strconv.Atoi(f[3])
			payload := rawPayload(v, size)
			var conns []*websocket.Conn
			mu.Lock()
			if f[1] == "all" {
				for _, g := range groups {
					conns = append(conns, g...)
				}
			} else {
				g, _ := strconv.Atoi(f[1])
				conns = groups[g]
			}
			mu.Unlock()
			failed := 0
			for _, c := range conns {
				_ = c.SetWriteDeadline(time.Now().Add(rawWriteTimeout))
				if c.WriteMessage(websocket.TextMessage, payload) != nil {
					failed++
				}
			}
			fmt.Fprintf(out, "sent %d\n", failed)
		case len(f) == 1 && f[0] == "quit":
			return nil
		default:
			return fmt.Errorf("baseline: unknown command %q", sc.Text())
		}
	}
	return sc.Err()
}

// child is a server process the tool starts and drives a line at a time: the baseline, the Node peer.
// It prints "addr <host:port>" first, then answers each command with one line.
type child struct {
	what   string // for messages
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *os.File
	lines  *bufio.Reader
	addr   string
	exited chan struct{}
}

// startChild starts cmd (its Stdout and Stdin are set here) and waits for its address.
func startChild(cmd *exec.Cmd, what string) (*child, error) {
	r, w, err := os.Pipe() // a pipe of our own, for read deadlines
	if err != nil {
		return nil, err
	}
	c := &child{what: what, cmd: cmd, stdout: r, lines: bufio.NewReader(r), exited: make(chan struct{})}
	c.cmd.Stdout, c.cmd.Stderr = w, os.Stderr
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	err = c.cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("starting the %s: %w", what, err)
	}
	go func() { _ = c.cmd.Wait(); close(c.exited) }()
	line, err := c.read()
	if err != nil || !strings.HasPrefix(line, "addr ") {
		c.close()
		return nil, fmt.Errorf("the %s did not start: %q %w", what, line, err)
	}
	c.addr = strings.TrimPrefix(line, "addr ")
	return c, nil
}

func (c *child) pid() int { return c.cmd.Process.Pid }

func (c *child) read() (string, error) {
	_ = c.stdout.SetReadDeadline(time.Now().Add(rawReplyTimeout))
	line, err := c.lines.ReadString('\n')
	return strings.TrimSpace(line), err
}

func (c *child) ask(format string, args ...any) (string, error) {
	if _, err := fmt.Fprintf(c.stdin, format+"\n", args...); err != nil {
		return "", fmt.Errorf("%s: %w", c.what, err)
	}
	line, err := c.read()
	if err != nil {
		return "", fmt.Errorf("%s: %w", c.what, err)
	}
	return line, nil
}

// close says quit, then kills the process if it has not ended within 10 s.
func (c *child) close() {
	_, _ = fmt.Fprintln(c.stdin, "quit")
	c.stdin.Close()
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
	c.stdout.Close()
}

// baseline drives the baseline process.
type baseline struct{ *child }

func startBaseline() (*baseline, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this program to start the baseline: %w", err)
	}
	// The baseline lives as long as the measurement: close ends it ("quit", then Kill), not a context.
	cmd := exec.Command(exe) //nolint:noctx // see above
	cmd.Env = append(os.Environ(), roleEnv+"=baseline")
	c, err := startChild(cmd, "baseline process")
	if err != nil {
		return nil, err
	}
	return &baseline{c}, nil
}

func (b *baseline) count() int {
	line, err := b.ask("count")
	if err != nil {
		return -1
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(line, "count "))
	return n
}

// send has group g's connections sent version v in a payload of size bytes; g < 0: every connection.
func (b *baseline) send(g int, v int64, size int) error {
	grp := strconv.Itoa(g)
	if g < 0 {
		grp = "all"
	}
	line, err := b.ask("send %s %d %d", grp, v, size)
	if err != nil {
		return err
	}
	if line != "sent 0" {
		return fmt.Errorf("baseline writes failed: %s", line)
	}
	return nil
}

// rawPayload is a graphql-transport-ws next message carrying version v, padded to size bytes so the
// baseline moves the same bytes as the GraphQL run.
func rawPayload(v int64, size int) []byte {
	head := fmt.Sprintf(`{"id":"1","type":"next","payload":{"data":{"v":%d},"pad":"`, v)
	const tail = `"}}`
	return []byte(head + strings.Repeat("x", max(0, size-len(head)-len(tail))) + tail)
}

type rawPayloadData struct {
	Data struct {
		V int64 `json:"v"`
	} `json:"data"`
}

// openRaw connects a baseline client to its group.
func openRaw(ctx context.Context, d *websocket.Dialer, addr string, w *watcher) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
	defer cancel()
	conn, _, err := d.DialContext(ctx, "ws://"+addr+"/?g="+strconv.Itoa(w.group), nil) //nolint:bodyclose // gorilla closes the handshake body
	if err != nil {
		return 0, fmt.Errorf("dialing the baseline: %w", err)
	}
	w.conn = conn
	return 0, nil
}

// readRaw is a baseline client's reader.
func (t *tracker) readRaw(w *watcher) {
	defer t.readers.Done()
	for {
		_, data, err := w.conn.ReadMessage()
		at := time.Now()
		if err != nil {
			if !t.closing.Load() {
				t.dropped.Add(1)
				t.noteErr(fmt.Sprintf("baseline connection ended: %v", err))
			}
			return
		}
		// Decoded in two steps like a GraphQL message, so both clients spend the same effort.
		var m wsMessage
		var p rawPayloadData
		if json.Unmarshal(data, &m) == nil && json.Unmarshal(m.Payload, &p) == nil {
			t.deliver(w, p.Data.V, at)
		}
	}
}
