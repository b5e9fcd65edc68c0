package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// ticketQuery is what a patient's phone subscribes to.
const ticketQuery = `subscription($t:ID!){ ticketChanged(ticketID:$t){ position estimatedWaitMinutes version ticket{ code status } } }`

// boardQuery is what a waiting-room TV subscribes to (the web board's Board_snapshot fragment).
const boardQuery = `subscription($d:ID!){ boardChanged(departmentID:$d){ departmentID departmentName facilityName language locale timezone waitingCount nowCalling{ code servicePointName calledAt } recentCalls{ code servicePointName calledAt } } }`

// subscription is the one operation each watcher of a phase subscribes to, and how its results read.
type subscription struct {
	query string
	vars  func(*watcher) map[string]string
	// state reads a next payload: the version the tracker matches against the round, and a status.
	state func(json.RawMessage) (int64, string, error)
}

var (
	ticketSub = subscription{query: ticketQuery, vars: func(w *watcher) map[string]string { return map[string]string{"t": w.ticket} }, state: ticketState}
	// A board has no version: each call takes one waiting ticket, so minus the waiting count grows by
	// one per change (the run checks in nobody meanwhile).
	boardSub = func(department string) subscription {
		return subscription{query: boardQuery, vars: func(*watcher) map[string]string { return map[string]string{"d": department} }, state: boardState}
	}
)

// handshakeTimeout bounds one subscriber's dial, init and first state together.
const handshakeTimeout = 30 * time.Second

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// nextField decodes the one field of a next payload's data into v: the subscription's first GraphQL
// error, or a payload without the field, is an error.
func nextField(raw json.RawMessage, name string, v any) error {
	var p struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []gqlError                 `json:"errors"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	if len(p.Errors) > 0 {
		return fmt.Errorf("subscription error: %s (%s)", p.Errors[0].Message, p.Errors[0].Extensions.Code)
	}
	f, ok := p.Data[name]
	if !ok || string(f) == "null" {
		return fmt.Errorf("subscription sent no %s data", name)
	}
	return json.Unmarshal(f, v)
}

func ticketState(raw json.RawMessage) (int64, string, error) {
	var t struct {
		Version int64 `json:"version"`
		Ticket  struct {
			Status string `json:"status"`
		} `json:"ticket"`
	}
	if err := nextField(raw, "ticketChanged", &t); err != nil {
		return 0, "", err
	}
	return t.Version, t.Ticket.Status, nil
}

func boardState(raw json.RawMessage) (int64, string, error) {
	var b struct {
		WaitingCount int64 `json:"waitingCount"`
	}
	if err := nextField(raw, "boardChanged", &b); err != nil {
		return 0, "", err
	}
	return -b.WaitingCount, "", nil
}

func newDialer() *websocket.Dialer {
	return &websocket.Dialer{
		HandshakeTimeout: handshakeTimeout,
		Subprotocols:     []string{"graphql-transport-ws"},
		ReadBufferSize:   2048,
		WriteBufferSize:  1024,
		WriteBufferPool:  &sync.Pool{},
	}
}

func wsURL(base string) string {
	return "ws" + strings.TrimPrefix(base, "http") + "/graphql"
}

// subscribe opens w's connection, signs it in with token, subscribes to s and waits for the first
// state. It returns the size of that message, the byte size the baseline will imitate.
func subscribe(ctx context.Context, d *websocket.Dialer, base, token string, s subscription, w *watcher) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
	defer cancel()
	conn, res, err := d.DialContext(ctx, wsURL(base), nil) //nolint:bodyclose // gorilla closes the handshake body
	if err != nil {
		if res != nil {
			return 0, fmt.Errorf("dialing %s: %w (HTTP %d)", base, err, res.StatusCode)
		}
		return 0, fmt.Errorf("dialing %s: %w", base, err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() }) // ctx bounds the whole handshake
	defer stop()
	w.conn = conn
	fail := func(err error) (int, error) { conn.Close(); return 0, err }
	init, _ := json.Marshal(map[string]string{"authorization": "Bearer " + token})
	if err := conn.WriteJSON(wsMessage{Type: "connection_init", Payload: init}); err != nil {
		return fail(err)
	}
	if _, _, err := expect(conn, "connection_ack"); err != nil {
		return fail(err)
	}
	sub, _ := json.Marshal(map[string]any{"query": s.query, "variables": s.vars(w)})
	if err := conn.WriteJSON(wsMessage{ID: "1", Type: "subscribe", Payload: sub}); err != nil {
		return fail(err)
	}
	m, size, err := expect(conn, "next")
	if err != nil {
		return fail(err)
	}
	version, status, err := s.state(m.Payload)
	if err != nil {
		return fail(err)
	}
	w.last.Store(version)
	w.status.Store(&status)
	return size, nil
}

// expect reads until a message of type want, answering pings on the way.
func expect(conn *websocket.Conn, want string) (wsMessage, int, error) {
	for range 100 {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return wsMessage{}, 0, fmt.Errorf("waiting for %s: %w", want, err)
		}
		var m wsMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return m, 0, fmt.Errorf("waiting for %s: %w", want, err)
		}
		switch m.Type {
		case want:
			return m, len(data), nil
		case "ping":
			if err := conn.WriteJSON(wsMessage{Type: "pong"}); err != nil {
				return m, 0, err
			}
		case "pong":
		default:
			return m, 0, fmt.Errorf("waiting for %s, got %s: %.200s", want, m.Type, m.Payload)
		}
	}
	return wsMessage{}, 0, fmt.Errorf("no %s in 100 messages", want)
}

// reader returns a subscriber's reader: it answers pings and hands every new state of s to the tracker.
func (t *tracker) reader(s subscription) func(*watcher) {
	return func(w *watcher) { t.readNext(w, s) }
}

func (t *tracker) readNext(w *watcher, s subscription) {
	defer t.readers.Done()
	for {
		_, data, err := w.conn.ReadMessage()
		at := time.Now()
		if err != nil {
			if !t.closing.Load() {
				t.dropped.Add(1)
				t.noteErr(fmt.Sprintf("connection ended: %v", err))
			}
			return
		}
		var m wsMessage
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		switch m.Type {
		case "ping":
			_ = w.conn.WriteJSON(wsMessage{Type: "pong"})
		case "next":
			version, status, err := s.state(m.Payload)
			if err != nil {
				t.noteErr(err.Error())
				continue
			}
			w.status.Store(&status)
			t.deliver(w, version, at)
		case "error", "complete":
			t.dropped.Add(1)
			t.noteErr(fmt.Sprintf("subscription ended by the server: %s %.200s", m.Type, m.Payload))
		}
	}
}

// dialResult is how opening the subscribers went.
type dialResult struct {
	connected, failed int
	firstErr          string
	took              time.Duration
	sizes             []int
}

// dialAll opens every watcher with at most concurrency handshakes in flight and starts its reader
// right away (the server pings idle connections). Watchers that fail stay out of the tracker.
func dialAll(ctx context.Context, t *tracker, ws []*watcher, concurrency int, open func(context.Context, *watcher) (int, error), read func(*watcher)) dialResult {
	start := time.Now()
	var next atomic.Int64
	var mu sync.Mutex
	var res dialResult
	var wg sync.WaitGroup
	for range min(concurrency, len(ws)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ws) || ctx.Err() != nil {
					return
				}
				size, err := open(ctx, ws[i])
				mu.Lock()
				if err != nil {
					if res.firstErr == "" {
						res.firstErr = err.Error()
					}
					mu.Unlock()
					continue
				}
				res.sizes = append(res.sizes, size)
				t.add(ws[i])
				t.readers.Add(1)
				mu.Unlock()
				go read(ws[i])
			}
		})
	}
	wg.Wait()
	res.connected = len(res.sizes)
	res.failed = len(ws) - res.connected
	res.took = time.Since(start)
	return res
}
