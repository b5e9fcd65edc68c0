package main

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// checkInSQL is pgbench's script: the minimal check-in transaction, the same statements the server runs.
//
//go:embed checkin.sql
var checkInSQL string

// checkInResult is one round of the check-in comparison: check-ins per second through pgbench and
// through the API, at the same concurrency.
type checkInResult struct {
	pgbench, api float64
	apiErrors    int
	// cpu is the server's CPU time per API check-in (ms): the requests and the jobs they queued,
	// read until the server went idle after the round; 0 when the process cannot be read.
	cpu float64
}

// checkInBench compares, in one run, the check-in rate through the API (a receptionist registering
// walk-ins over -queues Load queues, notifications enabled as the server runs them) with pgbench
// running the same minimal transaction (checkin.sql) against a scratch copy of the server's schema.
// It runs -checkin-runs rounds, alternating the two, and prints each and the medians.
func checkInBench(ctx context.Context, cfg config, out *printer) error {
	for _, tool := range []string{"pgbench", "pg_dump", "psql"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("-checkin needs %s (postgresql-client): %w", tool, err)
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * cfg.concurrency}}
	defer client.CloseIdleConnections()
	admin, err := login(ctx, client, cfg.urls[0], cfg.adminEmail, cfg.adminPassword, out)
	if err != nil {
		return err
	}
	if err := setup(ctx, admin, admin.facility, cfg.queues, 0, out); err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	desk, err := login(ctx, client, cfg.urls[0], cfg.subEmail, cfg.subPassword, out)
	if err != nil {
		return err
	}
	p, err := discover(ctx, desk, cfg.queues, 0)
	if err != nil {
		return err
	}
	queues := make([]string, len(p.queues))
	for i, q := range p.queues {
		queues[i] = q.id
	}
	scratch, drop, err := scratchCopy(ctx, cfg.checkInDB, queues)
	if err != nil {
		return err
	}
	defer drop()
	script, err := os.CreateTemp("", "carequeue-checkin-*.sql")
	if err != nil {
		return err
	}
	defer os.Remove(script.Name())
	if _, err := script.WriteString(checkInSQL); err != nil {
		return err
	}
	if err := script.Close(); err != nil {
		return err
	}

	procs := serverProcs(cfg.pid, cfg.urls[:1])
	var results []checkInResult
	for r := range cfg.checkInRuns {
		var res checkInResult
		if res.pgbench, err = runPgbench(ctx, scratch, script.Name(), admin.facility, len(queues), cfg.checkIns, cfg.concurrency); err != nil {
			return err
		}
		before, cpuErr := procs.read()
		if res.api, res.apiErrors, err = apiCheckIns(ctx, desk, queues, cfg.checkIns, cfg.concurrency); err != nil {
			return err
		}
		if cpuErr == nil {
			if after, err := settled(ctx, procs); err == nil {
				res.cpu = float64(after.CPU-before.CPU) / float64(time.Millisecond) / float64(cfg.checkIns-res.apiErrors)
			}
		}
		out.Printf("check-in round %d: pgbench %.0f/s, API %.0f/s (%d errors), API/pgbench %.2f, server CPU %.2f ms per check-in, load average %s",
			r+1, res.pgbench, res.api, res.apiErrors, res.api/res.pgbench, res.cpu, loadAverage())
		results = append(results, res)
	}
	pg := median(results, func(r checkInResult) float64 { return r.pgbench })
	api := median(results, func(r checkInResult) float64 { return r.api })
	ratios := median(results, func(r checkInResult) float64 { return r.api / r.pgbench })
	fmt.Fprintf(out.w, "\n| check-ins (%d per round, concurrency %d, %d queues, %d rounds) | median |\n|---|---|\n",
		cfg.checkIns, cfg.concurrency, len(queues), len(results))
	fmt.Fprintf(out.w, "| pgbench, minimal check-in transaction | %.0f/s |\n| API checkIn, notifications on | %.0f/s |\n", pg, api)
	fmt.Fprintf(out.w, "| API / pgbench (median of the rounds' ratios) | **%.2f×** (target ≥ 0.5×) |\n", ratios)
	fmt.Fprintf(out.w, "| server CPU per check-in, requests and jobs | %.2f ms |\n", median(results, func(r checkInResult) float64 { return r.cpu }))
	fmt.Fprintf(out.w, "| load average at the end | %s |\n", loadAverage())
	return nil
}

// settled reads the server once it has gone idle after a round (its jobs done): when half a second
// added less than 5 ms of CPU, or after 30 s.
func settled(ctx context.Context, procs *procWatch) (procSample, error) {
	last, err := procs.read()
	if err != nil {
		return last, err
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		select {
		case <-ctx.Done():
			return last, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		now, err := procs.read()
		if err != nil {
			return last, err
		}
		idle := now.CPU-last.CPU < 5*time.Millisecond
		last = now
		if idle {
			break
		}
	}
	return last, nil
}

func median(rs []checkInResult, f func(checkInResult) float64) float64 {
	vs := make([]float64, len(rs))
	for i, r := range rs {
		vs[i] = f(r)
	}
	slices.Sort(vs)
	if len(vs) == 0 {
		return 0
	}
	if len(vs)%2 == 1 {
		return vs[len(vs)/2]
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
}

// loadAverage is the machine's 1, 5 and 15 minute load averages, as /proc/loadavg gives them.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// scratchCopy creates an empty database next to source's (same server) with source's schema
// (pg_dump --schema-only) and its facilities, departments and the given queues, and returns its URL
// and a function that drops it.
func scratchCopy(ctx context.Context, source string, queues []string) (string, func(), error) {
	u, err := url.Parse(source)
	if err != nil || u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", nil, fmt.Errorf("-checkin-db %q is not a postgres:// URL", source)
	}
	name := fmt.Sprintf("carequeue_checkin_%d", os.Getpid())
	admin, scratch := *u, *u
	admin.Path, scratch.Path = "/postgres", "/"+name
	psql := func(db string, input string, args ...string) error {
		cmd := exec.CommandContext(ctx, "psql", append([]string{"-X", "-q", "-v", "ON_ERROR_STOP=1", db}, args...)...)
		cmd.Stdin = strings.NewReader(input)
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("psql: %w: %s", err, b)
		}
		return nil
	}
	if err := psql(admin.String(), "", "-c", "CREATE DATABASE "+name); err != nil {
		return "", nil, err
	}
	drop := func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_ = exec.CommandContext(ctx, "psql", "-X", "-q", admin.String(), "-c", "DROP DATABASE IF EXISTS "+name).Run()
	}
	dump := func(args ...string) (string, error) {
		b, err := exec.CommandContext(ctx, "pg_dump", append(args, source)...).Output()
		if err != nil {
			return "", fmt.Errorf("pg_dump %s: %w", strings.Join(args, " "), err)
		}
		return string(b), nil
	}
	schema, err := dump("--schema-only", "--no-owner")
	if err == nil {
		err = psql(scratch.String(), schema)
	}
	var data string
	if err == nil {
		data, err = dump("--data-only", "-t", "facilities", "-t", "departments", "-t", "queues")
	}
	if err == nil {
		err = psql(scratch.String(), data)
	}
	if err == nil {
		err = psql(scratch.String(), "", "-c", "DELETE FROM queues WHERE id <> ALL (string_to_array('"+strings.Join(queues, ",")+"', ','))")
	}
	if err != nil {
		drop()
		return "", nil, fmt.Errorf("copying the schema: %w", err)
	}
	return scratch.String(), drop, nil
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// runPgbench runs n transactions of script over clients connections and returns pgbench's rate.
func runPgbench(ctx context.Context, db, script, facility string, queues, n, clients int) (float64, error) {
	cmd := exec.CommandContext(ctx, "pgbench", "-n", "-M", "prepared", "-c", strconv.Itoa(clients), "-j", strconv.Itoa(min(clients, 4)),
		"-t", strconv.Itoa(max(1, n/clients)), "-f", script, "-D", "fid="+facility, "-D", "nq="+strconv.Itoa(queues), db)
	b, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %w: %s", err, b)
	}
	m := tpsLine.FindSubmatch(b)
	if m == nil {
		return 0, fmt.Errorf("pgbench printed no rate: %s", b)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// apiCheckIns registers n walk-ins through the checkIn mutation, clients at a time, spread round-robin
// over queues, and returns the rate of successful check-ins and the number refused.
func apiCheckIns(ctx context.Context, a *api, queues []string, n, clients int) (float64, int, error) {
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || ctx.Err() != nil {
					return
				}
				err := a.do(ctx, `mutation($q:ID!,$f:ID!,$g:String!){ checkIn(input:{queueID:$q, patient:{givenName:$g, familyName:"Load", facilityID:$f}}){ id } }`,
					map[string]any{"q": queues[int(i)%len(queues)], "f": a.facility, "g": fmt.Sprintf("Bench %d", i)}, nil)
				if err != nil {
					failed.Add(1)
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	if firstErr != nil && int(failed.Load()) == n {
		return 0, n, fmt.Errorf("every check-in failed: %w", firstErr)
	}
	return float64(n-int(failed.Load())) / elapsed, int(failed.Load()), nil
}
