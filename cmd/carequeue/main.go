// Command carequeue runs CareQueue: the GraphQL API, GraphiQL, the probes and the background work, in
// one binary. It is the only place where configuration is read and the parts are wired together.
//
// `carequeue --help` lists the commands (the table in commands()).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // facility time zones work in images without zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runIO(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "carequeue:", err)
		os.Exit(1)
	}
}

// command is one subcommand. The usage text is built from this table, so a command cannot exist without
// its line in `carequeue --help` (TestHelpListsEveryCommand).
type command struct {
	name, synopsis, summary string
	run                     func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error
}

func commands(stdin io.Reader) []command {
	return []command{
		{"serve", "[--migrate] [--demo]", "run the server (the default command); SQLite is created and migrated on first start",
			func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
				return serve(ctx, args, getenv, stdout, stderr, nil)
			}},
		{"migrate", "[--app-role NAME]", "apply database migrations and exit; --app-role creates or updates the least-privilege PostgreSQL role the server runs as (APP_ROLE_PASSWORD)", migrateCmd},
		{"worker", "", "run only the background jobs (notifications, reports), no HTTP", workerCmd},
		{"user", "create --email E --role R [--password-stdin] [--name N] [--facility ID]", "create a staff account (R: ADMIN, RECEPTIONIST, CLINICIAN or INTEGRATION); asks for the password",
			func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
				return userCmd(ctx, args, getenv, stdin, stdout, stderr)
			}},
		{"seed", "--demo", "load the demo hospital into an empty database (refused in production)", seedCmd},
		{"simulate", "[flags]", "replay a synthetic emergency department: orderings, wait estimates, staffing (simulate -h)", simulateCmd},
		{"backup", "--to FILE", "SQLite: write a consistent copy of the live database to FILE; PostgreSQL: says to use pg_dump", backupCmd},
		{"audit", "verify", "check the audit log's hash chain; exit status 1 names the first broken entry", auditCmd},
		{"help", "", "show this list", nil},
	}
}

// run is main without the process: tests call it with their own arguments, environment and output, and
// nothing on standard input.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runIO(ctx, args, getenv, strings.NewReader(""), stdout, stderr)
}

func runIO(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	name := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		name, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		name = "help"
	}
	for _, c := range commands(stdin) {
		if c.name != name {
			continue
		}
		if c.run == nil {
			fmt.Fprint(stdout, usage())
			return nil
		}
		return c.run(ctx, args, getenv, stdout, stderr)
	}
	return fmt.Errorf("unknown command %q (carequeue --help lists the commands)", name)
}

func usage() string {
	var b strings.Builder
	b.WriteString("usage: carequeue <command> [flags]   (each command's flags: carequeue <command> -h)\n\ncommands:\n")
	for _, c := range commands(nil) {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
		if c.synopsis != "" {
			fmt.Fprintf(&b, "            carequeue %s %s\n", c.name, c.synopsis)
		}
	}
	b.WriteString("\nConfiguration comes from the environment and an optional .env file: see .env.example.\n")
	return b.String()
}

// parseFlags parses a command's flags. -h prints the command's flags and is not an error (help is
// what was asked for); a bad flag is, and the flag package has printed what it expected.
func parseFlags(fs *flag.FlagSet, args []string) (helped bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, err
	}
	return false, nil
}
