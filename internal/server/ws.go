package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/carequeue/carequeue/internal/auth"
)

// WebSocket settings (STACK-NOTES): pings keep proxies from dropping idle sockets and find dead peers.
const (
	wsInitTimeout  = 10 * time.Second
	wsPingInterval = 25 * time.Second
	wsReadLimit    = 64 << 10
	wsCloseTimeout = time.Second

	// CloseUnauthorized is graphql-ws's terminal "Unauthorized" close code: the client stops
	// reconnecting instead of looping with the same bad token.
	CloseUnauthorized = 4401
	// closeTryAgainLater is RFC 6455's 1013: the viewer could not be checked right now, so the
	// client should retry.
	closeTryAgainLater = 1013
	maxCloseReasonLen  = 123
)

// originPolicy decides which pages may open a WebSocket. Browsers always send Origin on a WebSocket
// handshake; a request without one is not a browser, so cross-site hijacking does not apply.
type originPolicy struct {
	any     bool
	allowed map[string]bool
}

func newOriginPolicy(origins []string) originPolicy {
	p := originPolicy{allowed: map[string]bool{}}
	for _, o := range origins {
		o = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(o), "/"))
		if o == "*" {
			p.any = true
		}
		p.allowed[o] = true
	}
	return p
}

func (p originPolicy) allows(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || p.any {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	return p.allowed[strings.ToLower(origin)]
}

// gorillaWebsocket adapts gorilla/websocket, the product's WebSocket library, to gqlgen's transport
// (whose default since v0.17.92 is coder/websocket).
type gorillaWebsocket struct {
	upgrader websocket.Upgrader
}

var _ transport.WebsocketImplementation = (*gorillaWebsocket)(nil)

func newGorillaWebsocket(origins originPolicy) *gorillaWebsocket {
	return &gorillaWebsocket{upgrader: websocket.Upgrader{
		// 0: reuse the 4 KiB read buffer net/http already allocated for the connection instead of a second one.
		ReadBufferSize:  0,
		WriteBufferSize: 4096,
		// Idle subscriptions are the common case; a shared pool keeps them from each pinning a
		// write buffer.
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     origins.allows,
		// gqlgen answers a failed upgrade itself; writing here too would send two responses.
		Error: func(http.ResponseWriter, *http.Request, int, error) {},
	}}
}

func (g *gorillaWebsocket) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	u := g.upgrader
	// Gorilla picks the first of these that the client offers: prefer the maintained protocol.
	u.Subprotocols = preferTransportWS(opts.Subprotocols)
	conn, err := u.Upgrade(w, r, opts.ResponseHeader)
	if err != nil {
		return nil, err
	}
	c := &gorillaConn{conn: conn, limits: wsConnFrom(r.Context())}
	c.keepAlive(wsPingInterval)
	if c.limits != nil {
		// false: the server began shutting down during the upgrade and closed c already; gqlgen's first
		// read fails and ends the connection.
		c.limits.upgraded(c)
	}
	return c, nil
}

func preferTransportWS(protocols []string) []string {
	const modern = "graphql-transport-ws"
	out := slices.Clone(protocols)
	if i := slices.Index(out, modern); i > 0 {
		out = append([]string{modern}, slices.Delete(out, i, i+1)...)
	}
	return out
}

// gorillaConn is one upgraded connection. gqlgen serialises its data writes; WriteControl (used for
// close frames) is safe alongside them by gorilla's own contract.
type gorillaConn struct {
	conn   *websocket.Conn
	pings  *time.Timer
	limits *wsConn

	// spliced holds shared subscription frames by token until gqlgen writes their markers (fanout.go).
	smu     sync.Mutex
	spliced map[uint64]splicedFrame
	tokens  uint64
}

// keepAlive sends a WebSocket ping every interval and drops the connection when no pong (or other
// frame) came back within two intervals. Browsers and WebSocket libraries answer pings themselves.
// A timer function, not a goroutine, does it: an idle watcher costs no stack (gqlgen's protocol-level
// ping would hold a goroutine per connection; PingPongInterval stays 0 for that reason).
func (c *gorillaConn) keepAlive(interval time.Duration) {
	_ = c.conn.SetReadDeadline(time.Now().Add(2 * interval))
	c.conn.SetPongHandler(func(string) error { return c.conn.SetReadDeadline(time.Now().Add(2 * interval)) })
	c.pings = time.AfterFunc(interval, func() {
		if err := c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
			return // closed or stuck: the read deadline ends the connection
		}
		c.pings.Reset(interval)
	})
}

var (
	_ transport.WebsocketConn          = (*gorillaConn)(nil)
	_ transport.WebsocketReadLimiter   = (*gorillaConn)(nil)
	_ transport.WebsocketReadDeadliner = (*gorillaConn)(nil)
)

func (c *gorillaConn) NextReader() (int, io.Reader, error) {
	mt, r, err := c.conn.NextReader()
	if websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseNoStatusReceived) {
		return mt, nil, transport.ErrWebsocketClosed
	}
	if err != nil || c.limits == nil || mt != websocket.TextMessage {
		return mt, r, err
	}
	msg, r, err := readMessage(r)
	if err != nil {
		return mt, nil, err
	}
	if !c.admit(msg) {
		return mt, nil, transport.ErrWebsocketClosed
	}
	return mt, r, nil
}

// admit applies the connection's limits to the text message msg; false: it closed the connection.
func (c *gorillaConn) admit(msg []byte) bool {
	if c.limits == nil {
		return true
	}
	if id := c.limits.read(msg); id != "" {
		_ = c.WriteClose(closeDuplicateID, "Subscriber for "+id+" already exists")
		return false
	}
	return true
}

// WriteJSON sends one message. A client that cannot take a message within writeWait is too slow to
// follow a live queue; the failed write makes gqlgen close the connection (the watcher's newest state
// waits meanwhile: the hub never blocks on a client).
func (c *gorillaConn) WriteJSON(v any) error {
	if err := c.conn.SetWriteDeadline(time.Now().Add(writeWait)); err != nil {
		return err
	}
	if s, id, marker, found := c.takeSpliced(v); marker {
		if !found {
			return nil // its subscription ended before the write: nothing to send
		}
		return c.writeSpliced(s, id)
	}
	return c.conn.WriteJSON(v)
}

// writeJSON sends one message of leanWebsocket (which splices its frames itself).
func (c *gorillaConn) writeJSON(v any) error {
	if err := c.conn.SetWriteDeadline(time.Now().Add(writeWait)); err != nil {
		return err
	}
	return c.conn.WriteJSON(v)
}

// writeWait bounds one write to a client.
const writeWait = 10 * time.Second

func (c *gorillaConn) WriteClose(code int, reason string) error {
	if len(reason) > maxCloseReasonLen {
		reason = reason[:maxCloseReasonLen]
	}
	err := c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason),
		time.Now().Add(wsCloseTimeout))
	if errors.Is(err, websocket.ErrCloseSent) {
		return nil
	}
	return err
}

// finish closes the connection if gqlgen left it open: after a connection_init whose payload is not an
// object it returns without closing, which would leave the socket (and its ping timer) to the client.
// On a connection that already ended, both calls fail harmlessly.
func (c *gorillaConn) finish() { c.closeWith(closeBadRequest, "invalid connection_init payload") }

// closeWith sends a close frame with code and reason and closes the connection; gqlgen's read loop then
// fails and ends the connection's subscriptions.
func (c *gorillaConn) closeWith(code int, reason string) {
	_ = c.WriteClose(code, reason)
	_ = c.Close()
}

// closeBadRequest is graphql-ws's 4400 Bad Request.
const closeBadRequest = 4400

func (c *gorillaConn) Close() error {
	c.pings.Stop()
	return c.conn.Close()
}

func (c *gorillaConn) Subprotocol() string               { return c.conn.Subprotocol() }
func (c *gorillaConn) SetReadLimit(limit int64)          { c.conn.SetReadLimit(limit) }
func (c *gorillaConn) SetReadDeadline(t time.Time) error { return c.conn.SetReadDeadline(t) }

// wsInit authenticates a WebSocket from its connection_init payload, the browser's stand-in for
// headers. No token leaves the connection anonymous (or with the upgrade request's viewer).
func wsInit(viewer tokenChecker, users *socketCounts, sockets *Sockets, log *slog.Logger) wsInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *closeFrame) {
		token := strings.TrimSpace(p.Authorization())
		if token == "" {
			return ctx, nil
		}
		token, problem := bearerToken(token, false)
		if problem != "" {
			return ctx, &closeFrame{CloseUnauthorized, problem}
		}
		v, err := viewer(ctx, token)
		if err == nil {
			c := wsConnFrom(ctx)
			if c != nil {
				unuser, ok := users.acquire(ctx, string(v.UserID))
				if !ok {
					log.WarnContext(ctx, "websocket refused: too many sockets for one account", "user", v.UserID, "max", users.max)
					return ctx, &closeFrame{closeTooManySockets, fmt.Sprintf("too many connections for this account (at most %d)", users.max)}
				}
				c.user, c.unuser, c.token = string(v.UserID), unuser, token
				sockets.add(c) // a revocation closes it (revoke.go)
			}
			if !v.Expires.IsZero() {
				// The connection ends when its token does; the client reconnects with a fresh one.
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadline(ctx, v.Expires)
				if c != nil {
					// Released when the connection ends: else its timer would hold the connection's
					// context, and all it references, until the token's expiry.
					c.expire = cancel
				} else {
					context.AfterFunc(ctx, cancel)
				}
			}
			return auth.NewContext(ctx, v), nil
		}
		c, msg, _ := classifyErr(ctx, log, err)
		// 4401 for every refused token, an account change included: graphql-ws clients retry after 4403
		// ("might grant access after retry") but give up on 4401 and refresh, which signs them out.
		return ctx, &closeFrame{wsCloseCode(c), msg}
	}
}
