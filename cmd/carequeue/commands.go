package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/config"
	"github.com/carequeue/carequeue/internal/demo"
	"github.com/carequeue/carequeue/internal/store"
)

// noFlags parses the arguments of a command that takes none: -h prints its one line, anything else is
// an error naming it.
func noFlags(name, help string, args []string, stderr io.Writer) (helped bool, err error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintf(stderr, "usage: carequeue %s\n  %s\n", name, help) }
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return helped, err
	}
	if fs.NArg() > 0 {
		return false, fmt.Errorf("%s takes no arguments (got %q)", name, fs.Arg(0))
	}
	return false, nil
}

func migrateCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: carequeue migrate [--app-role NAME]\n  apply the database migrations (DATABASE_URL, or the SQLite file SQLITE_PATH) and exit")
		fs.PrintDefaults()
	}
	appRole := fs.String("app-role", "", "PostgreSQL: create or update this least-privilege role for the application "+
		"(password from APP_ROLE_PASSWORD when creating it); run the migration as the tables' owner")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("migrate takes no arguments but --app-role NAME (got %q)", fs.Arg(0))
	}
	return withDB(ctx, getenv, stdout, stderr, true, func(db *store.DB) error { return grantAppRole(ctx, db, *appRole, getenv, stdout) })
}

// withDB opens the database for a one-off command (migrating it when asked), runs fn, and closes it.
func withDB(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer, migrate bool, fn func(db *store.DB) error) error {
	cfg, log, err := loadConfig(getenv, stderr)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, log, migrate, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

func grantAppRole(ctx context.Context, db *store.DB, appRole string, getenv func(string) string, stdout io.Writer) error {
	if appRole == "" {
		return nil
	}
	// The password comes from the environment or a secret file, never the command line (which other
	// users can list).
	get, err := config.WithSecretFiles(getenv, nil)
	if err != nil {
		return err
	}
	if err := store.GrantAppRole(ctx, db, appRole, get("APP_ROLE_PASSWORD")); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "application role %s: may read and write the tables, only insert into and read %s\n", appRole, store.AuditTable)
	return nil
}

// cliViewer is who the command line acts as: a global admin (whoever runs the binary on the server
// already holds the database).
var cliViewer = auth.Viewer{UserID: "", Role: auth.RoleAdmin}

const userUsage = "usage: carequeue user create --email E --role ADMIN|RECEPTIONIST|CLINICIAN|INTEGRATION [--password-stdin] [--name N] [--facility ID]"

func userCmd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(stderr, userUsage)
		return nil
	}
	if len(args) == 0 || args[0] != "create" {
		return errors.New(userUsage)
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, userUsage); fs.PrintDefaults() }
	email := fs.String("email", "", "sign-in email (required)")
	role := fs.String("role", "", "ADMIN, RECEPTIONIST, CLINICIAN or INTEGRATION (required)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (for scripts)")
	password := fs.String("password", "", "the password on the command line: visible in the process list and shell history, avoid it")
	name := fs.String("name", "", "display name (default: the email)")
	facility := fs.String("facility", "", "facility ID (required for every role but ADMIN; empty: a global admin)")
	if helped, err := parseFlags(fs, args[1:]); helped || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q\n%s", fs.Arg(0), userUsage)
	}
	if *email == "" || *role == "" {
		return errors.New("--email and --role are required")
	}
	r := user.Role(strings.ToUpper(*role))
	if err := user.RoleValidator(r); err != nil || r == user.RolePATIENT {
		return fmt.Errorf("--role must be ADMIN, RECEPTIONIST, CLINICIAN or INTEGRATION, not %q", *role)
	}
	pw, err := readPassword(*password, *fromStdin, stdin, stderr)
	if err != nil {
		return err
	}
	if *name == "" {
		*name = *email
	}
	return withApp(ctx, getenv, stdout, stderr, func(a *app) error {
		in := ent.CreateUserInput{Email: email, Name: *name, Role: r}
		if *facility != "" {
			id := pulid.ID(*facility)
			in.FacilityID = &id
		}
		u, err := a.session.CreateUser(auth.NewContext(ctx, cliViewer), in, pw)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s %s (%s)\n", u.Role, u.Email, u.ID)
		return nil
	})
}

// readPassword takes the new account's password from one source: the terminal (asked twice, not
// echoed), the first line of standard input (--password-stdin), or --password, which still works for
// old scripts but says why not to.
func readPassword(flagValue string, fromStdin bool, stdin io.Reader, stderr io.Writer) (string, error) {
	switch {
	case flagValue != "" && fromStdin:
		return "", errors.New("give the password one way: --password-stdin or --password, not both")
	case flagValue != "":
		fmt.Fprintln(stderr, "warning: a password on the command line is visible in the process list and shell history; next time leave it out to be asked, or use --password-stdin")
		return flagValue, nil
	case fromStdin:
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading the password from standard input: %w", err)
		}
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", errors.New("--password-stdin: standard input held no password")
		}
		return pw, nil
	}
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errors.New("no password given: run in a terminal to be asked for it, or pipe it in with --password-stdin")
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	pw, err := ask("Password (at least 10 characters): ")
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	again, err := ask("The same password again: ")
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	if pw != again {
		return "", errors.New("the two passwords differ; nothing was created")
	}
	return pw, nil
}

func seedCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: carequeue seed --demo"); fs.PrintDefaults() }
	withDemo := fs.Bool("demo", false, "load the demo hospital (development and test only; refused on a database with other facilities)")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	if !*withDemo || fs.NArg() > 0 {
		return errors.New("usage: carequeue seed --demo")
	}
	return withApp(ctx, getenv, stdout, stderr, func(a *app) error {
		if err := refuseDemoInProduction(a.cfg); err != nil {
			return err
		}
		return demo.Load(ctx, a.db, a.session, a.admin, a.queue, demo.Options{Out: stdout})
	})
}

// withApp builds the app for a one-off command (no migration, no server) and runs fn with it.
func withApp(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer, fn func(a *app) error) (err error) {
	cfg, log, err := loadConfig(getenv, stderr)
	if err != nil {
		return err
	}
	// A command that fails on a new folder leaves no half-made database behind (see serve).
	undo := undoFirstStart(cfg, log)
	defer func() {
		if err != nil {
			undo()
		}
	}()
	db, err := openDB(ctx, cfg, log, false, stdout)
	if err != nil {
		return err
	}
	a, err := newApp(ctx, cfg, log, db)
	if err != nil {
		db.Close()
		return err
	}
	defer a.Close()
	return fn(a)
}

// workerCmd runs the job workers alone, so that they can be scaled apart from the API servers.
func workerCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if helped, err := noFlags("worker", "run only the background jobs (notifications, reports) until stopped; no HTTP", args, stderr); helped || err != nil {
		return err
	}
	return withApp(ctx, getenv, stdout, stderr, func(a *app) error {
		// Not ctx: a SIGTERM lets running jobs finish within SHUTDOWN_TIMEOUT, as in serve.
		if err := a.jobs.Start(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("starting job workers: %w", err)
		}
		fmt.Fprintln(stdout, "job workers running; stop with Ctrl-C")
		<-ctx.Done()
		a.log.Info("shutdown: letting running jobs finish", "timeout", a.cfg.ShutdownTimeout)
		stop, cancel := context.WithTimeout(context.Background(), softStop(a.cfg.ShutdownTimeout))
		defer cancel()
		return a.jobs.Shutdown(stop, hardStopWait)
	})
}
