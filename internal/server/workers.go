package server

import "time"

// workers runs short tasks on goroutines that stay a moment after their task for the next one: the
// fan-out's drivers (gqlgen's executor) and the connections' writers (gorilla's) call deep, and a fresh
// goroutine starts with a small stack that it grows, by copying, on every task — 6 % of the server's
// CPU with 10,000 distinct subscriptions. A task never waits for a worker: with none idle it gets a
// goroutine of its own, as `go` would give it (a writer may block on a slow client for writeWait).
type workers struct {
	tasks chan func()
	idle  time.Duration // how long a worker waits for another task before it ends
}

// workerIdle keeps a worker through the gap between one change's fan-out and the next under load,
// and lets an idle server hold none.
const workerIdle = time.Second

var taskWorkers = &workers{tasks: make(chan func()), idle: workerIdle}

// run runs f on an idle worker, else on a new one.
func (w *workers) run(f func()) {
	select {
	case w.tasks <- f:
	default:
		go w.work(f)
	}
}

// call runs f on a worker and returns once it has, with f's panic if it panicked: the caller's stack
// stays as deep as it was. A connection's reading goroutine hands it what calls deep (signing in,
// starting an operation) and sleeps on a few hundred bytes of stack again instead of the kilobytes
// the executor grew it to (the GC shrinks a stack only while it is mostly unused, one halving a cycle).
func (w *workers) call(f func()) {
	var p any
	var panicked bool
	done := make(chan struct{})
	w.run(func() {
		defer close(done)
		defer func() {
			if panicked {
				p = recover()
			}
		}()
		panicked = true
		f()
		panicked = false
	})
	<-done
	if panicked {
		panic(p)
	}
}

func (w *workers) work(f func()) {
	t := time.NewTimer(w.idle)
	defer t.Stop()
	for {
		f()
		t.Reset(w.idle)
		select {
		case f = <-w.tasks:
		case <-t.C:
			return
		}
	}
}
