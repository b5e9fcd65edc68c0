// Command carequeue-load measures CareQueue's real-time path against a running server: it opens many
// WebSocket subscribers speaking graphql-transport-ws (one ticketChanged subscription each), drives
// callNext through the API, and reports mutation-to-delivery latency, deliveries per second, missed
// updates, and the server's memory and goroutines per subscriber (read from its /metrics). It then
// subscribes as many watchers to the Load department's board (boardChanged) and times changes that
// reach all of them. From the server's /proc entry (found by its loopback port, or -pid) it reads the
// resident memory per idle subscriber and the CPU time per delivered message.
//
// In the same run it measures two baselines the same way: a raw one, a minimal gorilla/websocket
// broadcaster (this binary again, in a child process on loopback) sending payloads of the same size to
// the same number of plain connections, so the report shows what the GraphQL pipeline costs over the
// wire alone; and a Node peer (nodepeer/server.mjs, built in; node and npm on PATH, else skipped with a
// note), a graphql-js + graphql-ws server with in-process pub/sub and no database answering the same
// two subscriptions. It raises its own file-descriptor limit, connects only to the URLs it is given and
// its own loopback baselines, stops by itself after -duration, and exits non-zero only on errors, never
// because a target was missed.
//
//	carequeue-load -setup -queues 20 -per-queue 500 -subscribers 10000 -calls 5
//	carequeue-load -url http://127.0.0.1:8080 -replicas http://127.0.0.1:8081 -subscribers 10000
//	carequeue-load -checkin 400 -concurrency 8 -queues 8 -checkin-db postgres://postgres@127.0.0.1:5432/carequeue
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if os.Getenv(roleEnv) == "baseline" {
		if err := serveBaseline(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "carequeue-load baseline:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "carequeue-load:", err)
		os.Exit(1)
	}
}

// run is main without the process: the test calls it with its own arguments and output.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, err := parseFlags(args, stdout)
	if err != nil {
		return err
	}
	out := &printer{w: stdout, quiet: cfg.json}
	limit, err := raiseFileLimit()
	if err != nil {
		return err
	}
	out.Printf("file descriptor limit: %d", limit)
	if cfg.checkIns > 0 {
		return checkInBench(ctx, cfg, out)
	}
	rep, err := measure(ctx, cfg, out)
	if err != nil {
		return err
	}
	rep.FileLimit = limit
	if cfg.json {
		return rep.writeJSON(stdout)
	}
	rep.writeMarkdown(stdout, cfg)
	return nil
}

// printer writes progress lines, or nothing when the report is JSON (stdout must then parse).
type printer struct {
	w     io.Writer
	quiet bool
}

func (p *printer) Printf(format string, args ...any) {
	if !p.quiet {
		fmt.Fprintf(p.w, format+"\n", args...)
	}
}
