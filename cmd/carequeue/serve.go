package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/graph"
	"github.com/carequeue/carequeue/graph/generated"
	"github.com/carequeue/carequeue/internal/analytics"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/config"
	"github.com/carequeue/carequeue/internal/demo"
	"github.com/carequeue/carequeue/internal/fhir"
	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/offline"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/redis"
	"github.com/carequeue/carequeue/internal/server"
	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/store"
)

// hooks let end-to-end tests observe the real server: the listening address (they start it on port 0)
// and options of the process's ent client, db.Ent (a statement counter).
type hooks struct {
	ready      func(addr string)
	entOptions []ent.Option
}

// serve runs the server until ctx ends.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, h *hooks) (err error) {
	if h == nil {
		h = &hooks{}
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: carequeue serve [--migrate] [--demo]\n  run the API, GraphiQL, the web app and the job workers until stopped")
		fs.PrintDefaults()
	}
	migrate := fs.Bool("migrate", false, "apply database migrations before serving (or set MIGRATE_ON_START=true)")
	withDemo := fs.Bool("demo", false, "load the demo hospital when the database is empty")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	cfg, log, err := loadConfig(getenv, stderr)
	if err != nil {
		return err
	}
	trusted, documents, err := trustedDocuments(cfg)
	if err != nil {
		return err
	}
	log.Info("trusted documents loaded", "documents", trusted.Len(), "mode", string(documents.Mode))
	if *withDemo {
		if err := refuseDemoInProduction(cfg); err != nil {
			return err
		}
	}
	// A first start that fails (a busy port, a bad setting found late, workers that do not start) leaves
	// no database file and no directory it created behind: the next start is a first start again, not
	// one on a half-made file.
	running := false
	undo := undoFirstStart(cfg, log)
	defer func() {
		if err != nil && !running {
			undo()
		}
	}()
	db, err := openDB(ctx, cfg, log, *migrate || cfg.MigrateOnStart, stdout, h.entOptions...)
	if err != nil {
		return err
	}
	a, err := newApp(ctx, cfg, log, db)
	if err != nil {
		db.Close()
		return err
	}
	defer a.Close()
	if *withDemo {
		if err := demo.Load(ctx, db, a.session, a.admin, a.queue, demo.Options{Out: stdout, SkipIfPresent: true}); err != nil {
			return fmt.Errorf("loading demo data: %w", err)
		}
	}

	monitor, err := jobs.NewMonitor(db, a.jobs, jobMonitorPath, log)
	if err != nil {
		return err
	}
	jobMetrics := jobs.NewMetrics(db)

	schema := generated.NewExecutableSchema(generated.Config{Resolvers: &graph.Resolver{
		Client: db.Ent, QueueService: a.queue, Session: a.session, Admin: a.admin, Live: a.live,
		Analytics: a.analytics, WhatIf: analytics.NewWhatIf(a.analytics, a.queue), Devices: a.devices,
		Providers: notify.Providers{SMSConfigured: cfg.Twilio.AccountSID != "", PushConfigured: cfg.Firebase.ProjectID != ""},
		Webhooks:  a.outbound,
		Sync: offline.New(offline.Options{Queue: a.queue, Client: db.Ent, Explain: server.NewErrorExplainer(log),
			Trail: audit.NewTrail(db), MayRecord: a.session.MayRecordDenial, Logger: log}),
		FHIR: fhir.NewService(db.Ent, a.live, cfg.FHIRMRNSystem),
	}})
	sockets := server.NewSockets()
	admission := server.NewAdmission(maxConnections(cfg, log))
	// With Redis, each account's socket cap holds across replicas (the per-address cap stays per
	// replica: see server.DefaultMaxSocketsPerAddress).
	var sharedSockets server.SocketCounter
	var socketCounts *redis.Sockets
	if a.redis != nil {
		socketCounts = redis.NewSockets(a.redis, cfg.RedisPrefix+"ws", cfg.WSSocketTTL, log)
		sharedSockets = socketCounts
	}
	var reporter server.ErrorReporter
	if a.reporter != nil {
		reporter = a.reporter
	}
	webReports := server.WebErrorReports{DSN: cfg.Sentry.WebDSN, Environment: cfg.Sentry.Environment, Release: sentryRelease(cfg)}
	handler := server.New(server.Config{
		WebErrorReports:      webReports,
		Development:          cfg.Env == config.Development,
		AllowedOrigins:       cfg.AllowedOrigins,
		PublicURL:            cfg.PublicURL,
		TrustProxy:           cfg.TrustProxy,
		MaxBodyBytes:         cfg.MaxBodyBytes,
		MaxDepth:             cfg.GraphQLMaxDepth,
		MaxComplexity:        cfg.GraphQLMaxComplexity,
		MaxPageSize:          cfg.GraphQLMaxPageSize,
		MaxNodeIDs:           cfg.GraphQLMaxNodeIDs,
		MaxResponseBytes:     int(cfg.GraphQLMaxResponseBytes),
		MaxSocketsPerUser:    cfg.WSMaxPerUser,
		MaxSocketsPerAddress: cfg.WSMaxPerAddress,
		RequestTimeout:       cfg.RequestTimeout,
		MetricsToken:         string(cfg.MetricsToken),
		Documents:            documents,
		AppLinks: server.AppLinks{
			AndroidPackage: cfg.AppLinks.AndroidPackage,
			AndroidSHA256:  cfg.AppLinks.AndroidSHA256,
			IOSAppIDs:      cfg.AppLinks.IOSAppIDs,
		},
	}, server.Deps{
		Schema:           schema,
		TrustedDocuments: trusted,
		Viewer:           a.session.ViewerFromToken,
		TokenRejected:    a.session.RecordRejectedToken,
		Sockets:          sockets,
		Admission:        admission,
		SharedSockets:    sharedSockets,
		Ready:            db.Ready,
		Logger:           log,
		Lists:            graph.ListSizes,
		Unshared:         graph.ChangeSubscriptions,
		DeniedRequest:    a.session.RecordDeniedRequest,
		OAuthToken:       server.NewTokenEndpoint(a.clientToken, nil, log),
		Extensions: []any{graph.PositionCache{}, graph.ClientScopes{}, graph.ReadTrail{
			Trail: audit.NewTrail(db), Log: log, MayRecordDenial: a.session.MayRecordDenial,
		}},
		Extra:    a.routes(),
		OwnAuth:  jobMonitorRoutes(monitor, a.session, log),
		Metrics:  appMetrics(db, a, jobMetrics),
		Tracer:   a.tracer,
		Reporter: reporter,
	})

	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)))
	if err != nil {
		return fmt.Errorf("PORT: cannot listen on %s:%d: %w", cfg.Host, cfg.Port, err)
	}
	// Requests and the background loops outlive the signal: a SIGTERM starts a graceful stop
	// (stopGracefully), it does not cancel the work in flight. Both end when the stop is over.
	base, stopRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRequests()
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	addr := ln.Addr().String()
	var metricsSrv *http.Server
	if cfg.MetricsAddr != "" {
		mln, err := new(net.ListenConfig).Listen(ctx, "tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("METRICS_ADDR: cannot listen on %s: %w", cfg.MetricsAddr, err)
		}
		metricsSrv = &http.Server{Handler: server.MetricsListener(handler), ReadHeaderTimeout: 10 * time.Second}
		defer metricsSrv.Close()
		go func() { _ = metricsSrv.Serve(mln) }() // ends with Close
		log.Info("metrics listening", "addr", mln.Addr().String())
	}
	// Nothing says "running" until everything it promises runs: the job workers (reminders, SMS) and
	// the job monitor start first, and a failure there is a failed start.
	// River runs its jobs under the context it starts with: not the signal's, so that a SIGTERM lets
	// running jobs finish (stopGracefully stops River).
	if err := a.jobs.Start(base); err != nil {
		ln.Close()
		if ctx.Err() != nil {
			return nil // stopped while starting (Ctrl-C): not a failure
		}
		return fmt.Errorf("starting job workers: %w", err)
	}
	defer func() {
		// After a graceful stop River is stopped already and this returns at once; on a failure it is
		// the only stop.
		stop, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		if err := a.jobs.Shutdown(stop, hardStopWait); err != nil {
			log.Warn("stopping job workers", "err", err)
		}
	}()
	jobMetrics.Observe(a.jobs)
	log.Info("job workers started")
	if err := monitor.Start(ctx); err != nil {
		ln.Close()
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	defer monitor.Stop()
	errc := make(chan error, 3)
	go func() { errc <- srv.Serve(ln) }()
	running = true
	fmt.Fprintf(stdout, "CareQueue is running at %s (GraphiQL at %s/graphiql)\n", cfg.PublicURL, cfg.PublicURL)
	log.Info("listening", "addr", addr, "env", cfg.Env)
	if h.ready != nil {
		h.ready(addr)
	}
	// The background loops run on base too: during the drain delay open sockets still get queue
	// changes and revocations.
	go sockets.Run(base, server.DefaultSocketSweep)
	if socketCounts != nil {
		go func() { _ = socketCounts.Run(base) }() // returns only when base ends
	}
	go func() {
		// A revocation made on any replica: forget what is cached about the user and re-check their
		// sockets here. After a (re)subscription messages may have been lost: re-check everyone.
		err := a.revocations.Run(base,
			func(userID string) { a.session.Forget(userID); sockets.Recheck(base, userID) },
			func() { a.session.ForgetAll(); sockets.RecheckAll(base) })
		if err != nil && base.Err() == nil {
			errc <- fmt.Errorf("revocations: %w", err)
		}
	}()
	go func() {
		if err := a.live.Run(base); err != nil && base.Err() == nil {
			errc <- fmt.Errorf("realtime: %w", err)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stopGracefully(shutdownPlan{
		log: log, timeout: cfg.ShutdownTimeout, drainDelay: cfg.ShutdownDrainDelay,
		http: srv, sockets: admission, jobs: a.jobs, cancelRequests: stopRequests,
	})
	log.Info("stopped")
	return nil
}

// maxConnections is MAX_CONNECTIONS, or the default derived from the process's descriptor limit.
func maxConnections(cfg config.Config, log *slog.Logger) int {
	if cfg.MaxConnections > 0 {
		return cfg.MaxConnections
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		log.Warn("MAX_CONNECTIONS: cannot read the descriptor limit; no connection cap", "err", err)
		return 0
	}
	n := config.DefaultMaxConnections(lim.Cur)
	log.Info("connection cap", "max_connections", n, "descriptor_limit", lim.Cur)
	return n
}

// appMetrics are the application's collectors on /metrics: queues, notifications, jobs, and the
// database and Redis pools.
func appMetrics(db *store.DB, a *app, jobMetrics *jobs.Metrics) []prometheus.Collector {
	out := []prometheus.Collector{
		queue.NewMetrics(db), notify.NewMetrics(db.Ent), jobMetrics,
		store.NewPoolMetrics(db),
	}
	if a.redis != nil {
		out = append(out, redis.NewPoolMetrics(a.redis))
	}
	return out
}

// jobMonitorPath is where admins find the job monitor (River UI).
const jobMonitorPath = "/admin/jobs"

// jobMonitorRoutes mounts the job monitor: on PostgreSQL River UI behind HTTP Basic auth for admins
// (a browser signs in by itself; River UI polls, so a verified header is remembered for
// server.DefaultBasicAuthCacheTTL), on SQLite a plain 404 that says why.
func jobMonitorRoutes(m *jobs.Monitor, sessions *session.Service, log *slog.Logger) map[string]http.Handler {
	var h http.Handler = m
	if m.Available() {
		h = server.AdminBasicAuth(server.BasicAuth{
			Realm: "CareQueue jobs",
			Verify: func(ctx context.Context, email, password string) (auth.Viewer, error) {
				return sessions.VerifyStaffPassword(ctx, email, password, "jobs.monitor")
			},
			Logger: log,
		}, m)
	}
	return map[string]http.Handler{jobMonitorPath: h, jobMonitorPath + "/": h}
}
