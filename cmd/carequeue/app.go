package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/riverqueue/river"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/internal/admin"
	"github.com/carequeue/carequeue/internal/analytics"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/config"
	"github.com/carequeue/carequeue/internal/fcm"
	"github.com/carequeue/carequeue/internal/inmem"
	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/realtime"
	"github.com/carequeue/carequeue/internal/redis"
	"github.com/carequeue/carequeue/internal/sentry"
	"github.com/carequeue/carequeue/internal/server"
	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/telemetry"
	"github.com/carequeue/carequeue/internal/twilio"
	"github.com/carequeue/carequeue/internal/webhook"
)

// app is every long-lived part, built once from the configuration.
type app struct {
	cfg    config.Config
	log    *slog.Logger
	db     *store.DB // db.Ent is the one ent client of the process
	redis  *goredis.Client
	broker realtime.Broker
	// revocations tells every replica that a user's sessions ended (session.Service, serve.go).
	revocations revocationBus
	queue       *queue.Service
	session     *session.Service
	admin       *admin.Service
	live        *realtime.Live
	jobs        *jobs.Client
	// analytics reads and stores the daily figures; devices registers patients' push tokens.
	analytics *analytics.Service
	devices   *notify.Devices
	// outbound manages the outbound webhook endpoints (internal/webhook).
	outbound *webhook.Service
	// tracer exports spans when OTEL_EXPORTER_OTLP_ENDPOINT is set (a no-op otherwise); Close flushes it.
	tracer *telemetry.Provider
	// reporter sends panics and INTERNAL errors to Sentry when SENTRY_DSN is set (nil otherwise).
	reporter *sentry.Reporter
}

// sentryRelease is the release of the server's and the web app's error reports: SENTRY_RELEASE, else
// the build version (the web app is built into the binary, so they are one release).
func sentryRelease(cfg config.Config) string {
	if cfg.Sentry.Release != "" {
		return cfg.Sentry.Release
	}
	return buildVersion()
}

func loadConfig(getenv func(string) string, stderr io.Writer) (config.Config, *slog.Logger, error) {
	cfg, err := config.Load(getenv, ".env")
	if err != nil {
		return cfg, nil, err
	}
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	var h slog.Handler = slog.NewJSONHandler(stderr, opts)
	if cfg.LogFormat == config.LogText {
		h = slog.NewTextHandler(stderr, opts)
	}
	log := slog.New(telemetry.LogHandler(h))
	for _, w := range cfg.Warnings {
		log.Warn(w)
	}
	return cfg, log, nil
}

// openDB opens the database and, when asked, migrates it. entOptions configure the process's ent client
// (db.Ent): none in production, a statement counter in end-to-end tests.
func openDB(ctx context.Context, cfg config.Config, log *slog.Logger, migrate bool, out io.Writer, entOptions ...ent.Option) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL.Reveal(), cfg.SQLitePath, entOptions...)
	if err != nil {
		return nil, err
	}
	log.Info("database open", "dialect", db.Dialect, "target", db.Target)
	useAuditKeys(cfg)
	if err := migrateOrCheck(ctx, db, migrate, out); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// useAuditKeys sets the keys of the audit log from the server secret, in every process that opens the
// database (the server and each command that writes or verifies entries): patient identifiers in
// entries are stored as hashes under one, the chain's hashes are computed under the other, so that
// nobody without the secret can read the first or rewrite the chain unnoticed.
//
// A secret made up at start-up (development and tests) belongs to this process alone, as the keys'
// random defaults do: those are kept. Otherwise one process running several configurations (the test
// suite's in-process servers, some with a made-up secret) swapped the keys under another server's
// entries, and its chain then read as broken (seen once in CI: TestReadsAndDenialsAreAudited).
func useAuditKeys(cfg config.Config) {
	if cfg.JWTSecretGenerated {
		return
	}
	audit.UseKey(auth.DeriveKey([]byte(cfg.JWTSecret.Reveal()), "audit identifiers"))
	audit.UseChainKey(auth.DeriveKey([]byte(cfg.JWTSecret.Reveal()), "audit chain"))
}

// migrateOrCheck applies the migrations when asked, and always on the embedded SQLite file (one process
// owns it: the default must just work, on a new folder too). On PostgreSQL, where several replicas and an
// operator share the schema, migrating stays an explicit step: an unmigrated database stops the command
// here, before anything says it is running, with the one command that fixes it.
func migrateOrCheck(ctx context.Context, db *store.DB, migrate bool, out io.Writer) error {
	if migrate {
		return applyMigrations(ctx, db, out)
	}
	dir, err := store.MigrationsFor(migrations.FS, db.Dialect)
	if err != nil {
		return fmt.Errorf("reading migrations: %w", err)
	}
	pending, err := store.Pending(ctx, db, dir)
	if err != nil {
		return err
	}
	switch {
	case len(pending) == 0:
		return nil
	case db.Dialect == store.SQLite:
		return applyMigrations(ctx, db, out)
	}
	return fmt.Errorf("DATABASE_URL: the database is not migrated (%d of the migrations not applied, the first %s): run `carequeue migrate`, or start with --migrate",
		len(pending), pending[0])
}

// refuseDemoInProduction stops --demo where real patients are: the demo's accounts have published
// passwords.
func refuseDemoInProduction(cfg config.Config) error {
	if cfg.Env == config.Production {
		return errors.New("--demo: demo data is refused in production (APP_ENV=production): its accounts have published passwords. Use APP_ENV=development to try CareQueue")
	}
	return nil
}

// sqliteFileIsNew reports whether this start would create the embedded SQLite file, so that a start
// that fails can remove what it created.
func sqliteFileIsNew(cfg config.Config) bool {
	if cfg.DatabaseURL.Reveal() != "" {
		return false
	}
	_, err := os.Stat(cfg.SQLitePath)
	return errors.Is(err, fs.ErrNotExist)
}

// undoFirstStart returns what a start that fails calls to leave nothing behind: when this start creates
// the embedded SQLite file, it removes the file and the directories created for it; otherwise (an
// existing file, PostgreSQL) it does nothing, an existing database is never removed.
func undoFirstStart(cfg config.Config, log *slog.Logger) func() {
	if !sqliteFileIsNew(cfg) {
		return func() {}
	}
	created := missingDirs(cfg.SQLitePath)
	return func() { removeSQLiteFile(cfg.SQLitePath, created, log) }
}

// missingDirs lists the directories above path that do not exist yet, deepest first: the ones a first
// start creates for its SQLite file (store.Open makes them), so a failed start can remove them again.
func missingDirs(path string) []string {
	var dirs []string
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			return dirs
		}
		dirs = append(dirs, dir)
		if filepath.Dir(dir) == dir {
			return dirs
		}
	}
}

// removeSQLiteFile deletes a SQLite database file, its WAL companions and then the directories the
// start created for it, deepest first (after a failed first start). os.Remove never removes a directory
// that is not empty, so whatever else is there stays.
func removeSQLiteFile(path string, createdDirs []string, log *slog.Logger) {
	for _, p := range append([]string{path, path + "-wal", path + "-shm", path + "-journal"}, createdDirs...) {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			log.Warn("could not remove what a failed start created", "path", p, "err", err)
		}
	}
}

func applyMigrations(ctx context.Context, db *store.DB, out io.Writer) error {
	dir, err := store.MigrationsFor(migrations.FS, db.Dialect)
	if err != nil {
		return fmt.Errorf("reading migrations: %w", err)
	}
	applied, err := store.Migrate(ctx, db, dir)
	if err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	for _, f := range applied {
		fmt.Fprintf(out, "applied %s\n", f)
	}
	if len(applied) == 0 {
		fmt.Fprintln(out, "database is up to date")
	}
	// River owns its tables (river_*) and migrates them itself, after the schema it builds on.
	if err := jobs.Migrate(ctx, db); err != nil {
		return fmt.Errorf("migrating job tables: %w", err)
	}
	fmt.Fprintln(out, "job tables (river_*) are up to date")
	return nil
}

func newApp(ctx context.Context, cfg config.Config, log *slog.Logger, db *store.DB) (*app, error) {
	a := &app{cfg: cfg, log: log, db: db}
	tracer, err := telemetry.New(ctx, telemetry.Config{Endpoint: cfg.Tracing.Endpoint, TracesEndpoint: cfg.Tracing.TracesEndpoint,
		Version: buildVersion(), Environment: string(cfg.Env)})
	if err != nil {
		return nil, err
	}
	a.tracer = tracer
	if tracer.Enabled() {
		log.Info("tracing on", "endpoint", cfg.Tracing.Endpoint+cfg.Tracing.TracesEndpoint)
	}
	db.Trace(tracer)
	if a.reporter, err = sentry.New(sentry.Config{DSN: cfg.Sentry.DSN.Reveal(), Release: sentryRelease(cfg),
		Environment: cfg.Sentry.Environment}); err != nil {
		return nil, err
	}
	var accountLimit, addressLimit, addressFailures, kioskLimit auth.Limiter
	if url := cfg.RedisURL.Reveal(); url != "" {
		opt, err := goredis.ParseURL(url)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		a.redis = goredis.NewClient(opt)
		redis.Trace(a.redis, a.tracer)
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := a.redis.Ping(pctx).Err(); err != nil {
			return nil, fmt.Errorf("REDIS_URL: cannot reach Redis at %s: %w", opt.Addr, err)
		}
		// The session service's keys say what they count ("login:acct:…", "login:addr:…").
		a.broker = redis.NewBroker(a.redis, cfg.RedisPrefix+"rt:", log)
		a.revocations = redis.NewRevocations(a.redis, cfg.RedisPrefix+"rt:", log)
		accountLimit = redis.NewLimiter(a.redis, cfg.RedisPrefix+"rl", cfg.LoginRateLimit, time.Minute)
		addressLimit = redis.NewLimiter(a.redis, cfg.RedisPrefix+"rl", cfg.LoginRateLimit, time.Minute)
		addressFailures = redis.NewLimiter(a.redis, cfg.RedisPrefix+"rlf", cfg.LoginAddressFailureLimit, time.Minute)
		kioskLimit = redis.NewLimiter(a.redis, cfg.RedisPrefix+"rl", kioskLookupsPerMinute, time.Minute)
	} else {
		a.broker = inmem.NewBroker(4096)
		a.revocations = inmem.NewRevocations()
		accountLimit = inmem.NewLimiter(cfg.LoginRateLimit, time.Minute, time.Now)
		addressLimit = inmem.NewLimiter(cfg.LoginRateLimit, time.Minute, time.Now)
		addressFailures = inmem.NewLimiter(cfg.LoginAddressFailureLimit, time.Minute, time.Now)
		kioskLimit = inmem.NewLimiter(kioskLookupsPerMinute, time.Minute, time.Now)
	}
	tokens, err := auth.NewTokens(auth.TokenConfig{
		Secret:    []byte(cfg.JWTSecret.Reveal()),
		Issuer:    cfg.JWTIssuer,
		Audience:  cfg.JWTAudience,
		AccessTTL: cfg.AccessTokenTTL,
	})
	if err != nil {
		return nil, fmt.Errorf("JWT_SECRET: %w", err)
	}
	sms, err := a.smsSender()
	if err != nil {
		return nil, err
	}
	if err := a.newJobs(ctx, sms); err != nil {
		return nil, err
	}
	// One cache of the webhook endpoints, read by the enqueuer and invalidated by the service.
	endpoints := webhook.NewEndpointCache(webhook.CacheTTL, time.Now)
	a.queue = queue.NewService(db, queue.Options{
		Publisher:    realtime.Publisher{Broker: a.broker, Log: log},
		Jobs:         notify.NewEnqueuer(a.jobs),
		Events:       webhook.NewEnqueuer(a.jobs, endpoints),
		Logger:       log,
		KioskLimiter: kioskLimit,
	})
	a.session = session.New(db, session.Options{
		Tokens: tokens, Hasher: auth.NewPasswordHasher(auth.DefaultPasswordParams()),
		AccountLimiter: accountLimit, AddressLimiter: addressLimit, AddressFailureLimiter: addressFailures,
		Codes:   a.codeSender(sms),
		CodeKey: []byte(cfg.JWTSecret.Reveal()), RefreshTTL: cfg.RefreshTokenTTL,
		Staff:       session.Limits{Idle: cfg.StaffIdleTimeout, Lifetime: cfg.StaffSessionLifetime},
		Patient:     session.Limits{Idle: cfg.PatientIdleTimeout, Lifetime: cfg.PatientSessionLifetime},
		Revocations: a.revocations, Logger: log,
	})
	a.admin = admin.New(db, a.session, a.queue)
	a.analytics = analytics.NewService(db, time.Now)
	a.devices = notify.NewDevices(db, time.Now)
	a.outbound = webhook.NewService(db, a.jobs, a.webhookKey(), cfg.Env == config.Production, time.Now, endpoints)
	a.live = realtime.New(a.broker, a.queue, realtime.Options{Logger: log, Tracer: a.tracer})
	return a, nil
}

// revocationBus carries revocations between replicas: internal/redis.Revocations or, alone,
// internal/inmem.Revocations.
type revocationBus interface {
	session.RevocationPublisher
	Run(ctx context.Context, onUser func(userID string), onSync func()) error
}

// kioskLookupsPerMinute caps self check-ins per kiosk: a busy kiosk serves a few patients a minute,
// and a stranger trying dates of birth is stopped after this many.
const kioskLookupsPerMinute = 20

// smsSender is Twilio when TWILIO_ACCOUNT_SID is set, nil (the log sender) otherwise.
func (a *app) smsSender() (notify.SMSSender, error) {
	t := a.cfg.Twilio
	if t.AccountSID == "" {
		return nil, nil
	}
	s, err := twilio.New(twilio.Config{AccountSID: t.AccountSID, AuthToken: t.AuthToken.Reveal(), From: t.From,
		StatusCallbackURL: a.cfg.PublicURL + twilioStatusPath, APIURL: t.APIURL})
	if err != nil {
		return nil, fmt.Errorf("TWILIO_ACCOUNT_SID: %w", err)
	}
	return s, nil
}

// codeSender sends patients' sign-in codes by SMS, or to the log (visible to admins) without Twilio.
func (a *app) codeSender(sms notify.SMSSender) session.CodeSender {
	if sms == nil {
		return session.NewLogCodeSender(a.db.Ent, a.log, a.cfg.Env != config.Production)
	}
	return notify.NewCodeSender(a.db.Ent, sms, a.log)
}

// newJobs builds the River client with the notification workers and their senders: Twilio and
// Firebase when configured, the log sender otherwise. It is started by serve and worker only; other
// commands just insert jobs.
func (a *app) newJobs(ctx context.Context, sms notify.SMSSender) error {
	opts := notify.Options{SMS: sms, PublicURL: a.cfg.PublicURL, Logger: a.log, RevealInLogs: a.cfg.Env != config.Production}
	if f := a.cfg.Firebase; f.ProjectID != "" {
		s, err := fcm.New(ctx, fcm.Config{ProjectID: f.ProjectID, CredentialsFile: f.CredentialsFile})
		if err != nil {
			return fmt.Errorf("FIREBASE_PROJECT_ID: %w", err)
		}
		opts.Push = s
	}
	workers := river.NewWorkers()
	if err := notify.AddWorkers(workers, a.db, opts); err != nil {
		return fmt.Errorf("registering workers: %w", err)
	}
	if err := webhook.AddWorker(workers, a.db, webhook.WorkerOptions{Key: a.webhookKey(),
		Production: a.cfg.Env == config.Production, Logger: a.log}); err != nil {
		return fmt.Errorf("registering workers: %w", err)
	}
	if err := river.AddWorkerSafely(workers, analytics.NewSweepWorker(a.db, time.Now)); err != nil {
		return fmt.Errorf("registering workers: %w", err)
	}
	// Pruning needs only the queue service's store and clock, not its publisher or jobs.
	if err := river.AddWorkerSafely(workers, queue.NewPruneKeysWorker(queue.NewService(a.db, queue.Options{Logger: a.log}))); err != nil {
		return fmt.Errorf("registering workers: %w", err)
	}
	// Escalation publishes its queue changes so that every dashboard sees them live, and announces them to
	// the nurse in charge by SMS jobs, which an insert-only client can enqueue before the working client
	// (built from these workers) exists. It sends the patient nothing, so it needs no ticket jobs.
	announce, err := jobs.New(a.db, jobs.Options{Logger: a.log, Tracer: a.tracer})
	if err != nil {
		return fmt.Errorf("creating the announcement job client: %w", err)
	}
	escalation := queue.NewService(a.db, queue.Options{Publisher: realtime.Publisher{Broker: a.broker, Log: a.log},
		Announcer: notify.NewEnqueuer(announce), Logger: a.log})
	if err := river.AddWorkerSafely(workers, queue.NewEscalateWorker(escalation)); err != nil {
		return fmt.Errorf("registering workers: %w", err)
	}
	client, err := jobs.New(a.db, jobs.Options{
		Workers: workers,
		Queues: map[string]river.QueueConfig{notify.Queue: {MaxWorkers: 10}, notify.AheadQueue: {MaxWorkers: notify.AheadWorkers}, webhook.Queue: {MaxWorkers: 10}, analytics.Queue: {MaxWorkers: 1},
			queue.MaintenanceQueue: {MaxWorkers: 1}},
		PeriodicJobs: slices.Collect(maps.Values(periodicJobs(a.cfg))),
		Logger:       a.log,
		Tracer:       a.tracer,
	})
	if err != nil {
		return fmt.Errorf("starting the job client: %w", err)
	}
	a.jobs = client
	return nil
}

// webhookKey is the server's key for outbound webhook secrets (internal/webhook: secrets are derived,
// not stored).
func (a *app) webhookKey() []byte {
	return auth.DeriveKey([]byte(a.cfg.JWTSecret.Reveal()), "webhook secrets")
}

// twilioStatusPath is where Twilio posts delivery reports (the SMS sender asks for them there).
const twilioStatusPath = "/webhooks/twilio/status"

// clientToken adapts the session's client credentials grant to the token endpoint.
func (a *app) clientToken(ctx context.Context, clientID, secret, scope string) (string, time.Time, string, error) {
	t, err := a.session.IssueClientToken(ctx, clientID, secret, scope)
	if err != nil {
		return "", time.Time{}, "", err
	}
	return t.AccessToken, t.ExpiresAt, auth.JoinScopes(t.Scopes), nil
}

// routes are the HTTP routes besides GraphQL, behind the same bearer-token authentication: the CSV
// download of the daily figures and the providers' callbacks that the configuration enables.
func (a *app) routes() map[string]http.Handler {
	routes := a.webhooks()
	routes[server.ReportsCSVPath] = server.ReportsCSV(a.analytics.Figures, a.log)
	return routes
}

// webhooks returns the providers' callback routes that the configuration enables.
func (a *app) webhooks() map[string]http.Handler {
	routes := map[string]http.Handler{}
	if token := a.cfg.Twilio.AuthToken.Reveal(); token != "" {
		routes[twilioStatusPath] = twilio.StatusHandler(token, a.cfg.PublicURL+twilioStatusPath, notify.StatusUpdater(a.db.Ent))
	}
	return routes
}

func (a *app) Close() {
	if a.redis != nil {
		_ = a.redis.Close()
	}
	_ = a.db.Close()
	a.reporter.Flush(5 * time.Second)
	// Last: the spans of everything above, shutdown included, are exported.
	flush, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.tracer.Shutdown(flush); err != nil {
		a.log.Warn("exporting the last traces", "err", err)
	}
}

// periodicJobs are the jobs the elected leader schedules, each also run once at start, by kind (the
// end-to-end tests wait for those first runs).
func periodicJobs(cfg config.Config) map[string]*river.PeriodicJob {
	return map[string]*river.PeriodicJob{
		analytics.SweepArgs{}.Kind(): analytics.PeriodicJob(),
		queue.PruneKeysArgs{}.Kind(): queue.PruneKeysJob(),
		queue.EscalateArgs{}.Kind():  queue.EscalateJob(cfg.EscalationInterval),
	}
}
