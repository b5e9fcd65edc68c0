package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

const demoPassword = "carequeue-demo"

// config is the run's settings, all from flags.
type config struct {
	urls                      []string // urls[0] takes the mutations; subscribers go round-robin over all
	email, password           string   // the clinician who calls
	subEmail, subPassword     string   // the account every subscriber signs in as
	adminEmail, adminPassword string   // creates the Load department with -setup
	queues, perQueue          int
	subscribers, calls        int
	duration, roundTimeout    time.Duration
	dialConcurrency           int
	setup, raw, json          bool
	node                      bool     // also measure the Node peer
	nodeDir                   string   // where the Node peer is installed ("" = the user's cache)
	boardCalls                int      // changes fanned out to every board watcher (0: no fan-out case)
	pid                       string   // the server's process ids, comma-separated ("" = find by port)
	args                      []string // as given, for the report
	// -checkin: check-ins per round through the API and through pgbench, at concurrency, over
	// checkInRuns rounds; checkInDB is the server's PostgreSQL database, whose schema pgbench copies.
	checkIns, concurrency, checkInRuns int
	checkInDB                          string
}

func parseFlags(args []string, stdout io.Writer) (config, error) {
	var c config
	var base, replicas string
	fs := flag.NewFlagSet("carequeue-load", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.StringVar(&base, "url", "http://127.0.0.1:8080", "server base URL; it receives the mutations")
	fs.StringVar(&replicas, "replicas", "", "comma-separated base URLs of more replicas; subscribers are spread round-robin over -url and these")
	fs.StringVar(&c.email, "email", "doctor@demo.carequeue.org", "CLINICIAN account that calls the next ticket")
	fs.StringVar(&c.password, "password", demoPassword, "password of -email")
	fs.StringVar(&c.subEmail, "sub-email", "reception@demo.carequeue.org", "staff account the subscribers sign in as")
	fs.StringVar(&c.subPassword, "sub-password", demoPassword, "password of -sub-email")
	fs.StringVar(&c.adminEmail, "admin-email", "admin@demo.carequeue.org", "ADMIN account used by -setup")
	fs.StringVar(&c.adminPassword, "admin-password", demoPassword, "password of -admin-email")
	fs.IntVar(&c.queues, "queues", 20, "number of queues (named \"Load 01\"... in the department \"Load\")")
	fs.IntVar(&c.perQueue, "per-queue", 500, "waiting tickets per queue")
	fs.IntVar(&c.subscribers, "subscribers", 10000, "WebSocket subscribers, spread evenly over the waiting tickets")
	fs.IntVar(&c.calls, "calls", 5, "callNext rounds per queue")
	fs.DurationVar(&c.duration, "duration", 5*time.Minute, "cap on the measurement (subscribing, calls, baseline); the tool stops by itself")
	fs.DurationVar(&c.roundTimeout, "round-timeout", 10*time.Second, "how long one call waits for its deliveries before counting the rest missed")
	fs.IntVar(&c.dialConcurrency, "dial-concurrency", 200, "WebSocket connections opened at a time")
	fs.BoolVar(&c.setup, "setup", false, "create the Load department, its queues and service point, and check in tickets up to -per-queue (as -admin-email)")
	fs.BoolVar(&c.raw, "raw", true, "also measure the raw WebSocket baseline")
	fs.BoolVar(&c.node, "node", true, "also measure the Node baseline: a graphql-js + graphql-ws server answering the same subscriptions (needs node and npm on PATH; skipped with a note without them)")
	fs.StringVar(&c.nodeDir, "node-dir", "", "where the Node baseline is written and npm-installed (default: carequeue-load/nodepeer in the user's cache directory)")
	fs.IntVar(&c.boardCalls, "board-calls", 3, "changes fanned out to every subscriber at once (all of them watch the Load board; 0 skips this case)")
	fs.StringVar(&c.pid, "pid", "", "the server's process id(s), comma-separated like -url and -replicas, for its CPU time and RSS (default: the process listening on each loopback URL's port)")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON instead of progress lines and a markdown table")
	fs.IntVar(&c.checkIns, "checkin", 0, "instead of the subscription run: compare N check-ins through the API (walk-ins over -queues Load queues) with pgbench running the same minimal transaction on a scratch copy of -checkin-db's schema")
	fs.IntVar(&c.concurrency, "concurrency", 8, "with -checkin: check-ins in flight at once, through the API and in pgbench")
	fs.IntVar(&c.checkInRuns, "checkin-runs", 3, "with -checkin: rounds (pgbench then API each); the report gives medians")
	fs.StringVar(&c.checkInDB, "checkin-db", "postgres://postgres@127.0.0.1:5432/carequeue?sslmode=disable", "with -checkin: the server's PostgreSQL database (read by pg_dump; the scratch copy is created and dropped on the same server)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	c.args = args
	for _, u := range append([]string{base}, strings.Split(replicas, ",")...) {
		u = strings.TrimSuffix(strings.TrimSpace(u), "/")
		if u == "" {
			continue
		}
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return c, fmt.Errorf("%q is not an http(s) base URL such as http://127.0.0.1:8080", u)
		}
		c.urls = append(c.urls, u)
	}
	switch {
	case c.queues < 1 || c.queues > 500:
		return c, errors.New("-queues must be between 1 and 500")
	case c.perQueue < 1 || c.perQueue > 100000:
		return c, errors.New("-per-queue must be between 1 and 100000")
	case c.subscribers < 1 || c.subscribers > 1000000:
		return c, errors.New("-subscribers must be between 1 and 1000000")
	case c.calls < 1 || c.calls > 1000:
		return c, errors.New("-calls must be between 1 and 1000")
	case c.calls >= c.perQueue:
		return c, errors.New("-calls must be smaller than -per-queue: each call takes a waiting ticket")
	case c.boardCalls < 0 || c.calls+(c.boardCalls+c.queues-1)/c.queues > c.perQueue:
		return c, errors.New("-board-calls must be at least 0, and -calls plus the board calls per queue (-board-calls over -queues, rounded up) at most -per-queue")
	case c.duration <= 0 || c.roundTimeout <= 0:
		return c, errors.New("-duration and -round-timeout must be positive")
	case c.checkIns < 0 || c.checkIns > 1000000 || c.concurrency < 1 || c.concurrency > 1000 || c.checkInRuns < 1 || c.checkInRuns > 20:
		return c, errors.New("-checkin must be between 0 and 1000000, -concurrency between 1 and 1000, -checkin-runs between 1 and 20")
	case c.dialConcurrency < 1 || c.dialConcurrency > 10000:
		return c, errors.New("-dial-concurrency must be between 1 and 10000")
	}
	return c, nil
}
