package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/server"
)

// shutdownPlan is what a graceful stop acts on.
type shutdownPlan struct {
	log            *slog.Logger
	timeout        time.Duration // SHUTDOWN_TIMEOUT: the whole stop
	drainDelay     time.Duration // SHUTDOWN_DRAIN_DELAY: readiness false, still serving
	http           *http.Server
	sockets        *server.Admission
	jobs           *jobs.Client
	cancelRequests context.CancelFunc // ends the requests' base context (the last resort)
}

// hardStopWait is what a stop keeps, out of SHUTDOWN_TIMEOUT, for requests and jobs still running at
// the soft deadline to return once cancelled.
const hardStopWait = 2 * time.Second

// softStop is how long, out of a stop's timeout, work may run before it is cancelled.
func softStop(timeout time.Duration) time.Duration { return timeout - min(hardStopWait, timeout/5) }

// goingAwayReason is the close reason sent with 1001 on shutdown (clients log it).
const goingAwayReason = "server shutting down: reconnect"

// stopGracefully is a rolling deploy's stop, in phases each logged: readiness goes false at once
// (/readyz "draining", /healthz stays ok) and new WebSockets are refused; after the drain delay the
// listener closes, every WebSocket is closed with 1001 so its client reconnects to another replica,
// and in-flight HTTP requests and River jobs finish. What still runs at the soft deadline
// (timeout - hardStopWait) is cancelled and logged as a warning: the stop itself was what was asked.
func stopGracefully(p shutdownPlan) {
	start := time.Now()
	soft, cancel := context.WithDeadline(context.Background(), start.Add(softStop(p.timeout)))
	defer cancel()
	p.sockets.Drain()
	p.log.Info("shutdown: draining", "phase", "drain", "drain_delay", p.drainDelay, "timeout", p.timeout,
		"websockets", p.sockets.Open())
	if p.drainDelay > 0 {
		select {
		case <-time.After(p.drainDelay):
		case <-soft.Done():
		}
	}

	httpDone := make(chan error, 1)
	go func() { httpDone <- p.http.Shutdown(soft) }() // closes the listener at once, then waits
	jobsDone := make(chan error, 1)
	go func() { jobsDone <- p.jobs.Shutdown(soft, hardStopWait) }()
	n := p.sockets.CloseAll(server.CloseGoingAway, goingAwayReason)
	p.log.Info("shutdown: listener closed, websockets told to go away", "phase", "close", "websockets", n,
		"elapsed", time.Since(start).Round(time.Millisecond))

	httpErr := errors.Join(<-httpDone, p.sockets.Wait(soft))
	if httpErr != nil {
		p.log.Warn("shutdown: requests still running at the deadline are cancelled", "phase", "requests", "err", httpErr)
		p.cancelRequests()
		_ = p.http.Close()
	} else {
		p.log.Info("shutdown: in-flight requests finished", "phase", "requests", "elapsed", time.Since(start).Round(time.Millisecond))
	}
	if err := <-jobsDone; err != nil {
		p.log.Warn("shutdown: jobs still running at the deadline were cancelled", "phase", "jobs", "err", err)
	} else {
		p.log.Info("shutdown: running jobs finished", "phase", "jobs", "elapsed", time.Since(start).Round(time.Millisecond))
	}
	p.cancelRequests()
}
