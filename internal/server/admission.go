package server

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// Admission is a replica's door for WebSockets. It caps the sockets open at once below the process's
// file-descriptor ceiling, so that past the cap an upgrade is refused at once (503 with Retry-After)
// instead of hanging, and the probes and /metrics keep the descriptors they need. On shutdown it drains:
// readiness goes false, every new upgrade is refused, and CloseAll tells every open socket, signed in
// or not, to go away (1001) so that its client reconnects to another replica.
//
// Readiness (/readyz) reads its state: "draining" while shutting down, "full" at the cap; both are 503
// so that a load balancer sends nothing more, while /healthz stays 200 and nobody restarts the process.
type Admission struct {
	max int // 0: no cap

	mu       sync.Mutex
	open     map[*wsConn]struct{}
	draining bool
	away     closeFrame    // what CloseAll sent, for sockets still upgrading
	empty    chan struct{} // closed when draining and the last socket has gone

	refused *prometheus.CounterVec
	gauge   prometheus.GaugeFunc
}

type closeFrame struct {
	code   int
	reason string
}

// Refusal reasons, the values of carequeue_ws_refused_total's reason label.
const (
	RefusedFull       = "full"
	RefusedDraining   = "draining"
	RefusedPerAddress = "per_address"
)

// CloseGoingAway is RFC 6455's 1001: the server is going away. graphql-ws clients (the web and patient
// apps) reconnect after it, and each resubscription starts with the current state.
const CloseGoingAway = 1001

// NewAdmission admits at most maxSockets WebSockets at once (0 or less: no cap).
func NewAdmission(maxSockets int) *Admission {
	a := &Admission{max: max(maxSockets, 0), open: map[*wsConn]struct{}{}, empty: make(chan struct{}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "carequeue_ws_refused_total",
			Help: "WebSocket upgrades refused before the upgrade, by reason: full (the process's connection cap, MAX_CONNECTIONS), draining (shutting down), per_address (WS_MAX_SOCKETS_PER_ADDRESS).",
		}, []string{"reason"}),
	}
	for _, r := range []string{RefusedFull, RefusedDraining, RefusedPerAddress} {
		a.refused.WithLabelValues(r) // every series exists from the start, so rate() sees the first refusal
	}
	a.gauge = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "carequeue_ws_open",
		Help: "WebSockets open on this process, counted against MAX_CONNECTIONS.",
	}, func() float64 { return float64(a.Open()) })
	return a
}

// Max is the cap (0: none).
func (a *Admission) Max() int { return a.max }

// Open is the number of WebSockets admitted and not yet ended.
func (a *Admission) Open() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.open)
}

// Draining reports whether Drain was called.
func (a *Admission) Draining() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.draining
}

// readiness is "draining", "full" or "" (ready as far as sockets go).
func (a *Admission) readiness() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.draining:
		return RefusedDraining
	case a.max > 0 && len(a.open) >= a.max:
		return RefusedFull
	}
	return ""
}

// admit registers c, or says why not.
func (a *Admission) admit(c *wsConn) (refused string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.draining:
		refused = RefusedDraining
	case a.max > 0 && len(a.open) >= a.max:
		refused = RefusedFull
	default:
		a.open[c] = struct{}{}
		return ""
	}
	a.refused.WithLabelValues(refused).Inc()
	return refused
}

// leave ends c's place.
func (a *Admission) leave(c *wsConn) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.open, c)
	a.signalEmpty()
}

// countRefusal counts a refusal made elsewhere (the per-address cap).
func (a *Admission) countRefusal(reason string) { a.refused.WithLabelValues(reason).Inc() }

// Drain makes readiness false and refuses every new WebSocket from now on; open ones stay until
// CloseAll.
func (a *Admission) Drain() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.draining = true
	a.signalEmpty()
}

// signalEmpty closes empty once draining with nothing open; a.mu is held.
func (a *Admission) signalEmpty() {
	if a.draining && len(a.open) == 0 {
		select {
		case <-a.empty:
		default:
			close(a.empty)
		}
	}
}

// CloseAll drains and sends every open WebSocket a close frame with code and reason (CloseGoingAway on
// shutdown), then closes it; a socket still upgrading is closed as soon as its upgrade completes. It
// returns how many sockets it closed.
func (a *Admission) CloseAll(code int, reason string) int {
	a.mu.Lock()
	a.draining = true
	a.away = closeFrame{code, reason}
	conns := make([]*wsConn, 0, len(a.open))
	for c := range a.open {
		conns = append(conns, c)
	}
	a.signalEmpty()
	a.mu.Unlock()
	for _, c := range conns {
		c.goAway(a.away)
	}
	return len(conns)
}

// Wait returns when every admitted WebSocket's handler has returned after Drain or CloseAll, or with
// ctx's error.
func (a *Admission) Wait(ctx context.Context) error {
	select {
	case <-a.empty:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (a *Admission) collectors() []prometheus.Collector {
	return []prometheus.Collector{a.refused, a.gauge}
}

// refuseUpgrade answers a refused upgrade before it happens: 503 with a Retry-After the client may follow
// (browsers cannot read it; the apps back off with jitter on their own).
func refuseUpgrade(w http.ResponseWriter, reason string) {
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(rand.IntN)))
	msg := "this server is at its connection limit: reconnect in a moment (another replica may take you)"
	if reason == RefusedDraining {
		msg = "this server is shutting down: reconnect in a moment to another replica"
	}
	writeError(w, http.StatusServiceUnavailable, cqerr.Unavailable, msg)
}

// Retry-After bounds: spread over several seconds so refused clients do not all come back at once.
const (
	retryAfterMin    = 2
	retryAfterSpread = 9 // up to retryAfterMin+retryAfterSpread-1 seconds
)

// retryAfterSeconds picks the seconds of a Retry-After, jittered by intn (rand.IntN).
func retryAfterSeconds(intn func(int) int) int { return retryAfterMin + intn(retryAfterSpread) }

// goAway closes the connection with f now, or once it is upgraded when that has not happened yet.
func (c *wsConn) goAway(f closeFrame) {
	c.mu.Lock()
	c.away = &f
	sock := c.sock
	c.mu.Unlock()
	if sock != nil {
		sock.closeWith(f.code, f.reason)
	}
}

// upgraded records the connection's socket (gorillaWebsocket.Accept) and reports false when it was
// told to go away meanwhile, after closing it.
func (c *wsConn) upgraded(sock *gorillaConn) bool {
	c.mu.Lock()
	c.sock = sock
	away := c.away
	c.mu.Unlock()
	if away != nil {
		sock.closeWith(away.code, away.reason)
		return false
	}
	return true
}
