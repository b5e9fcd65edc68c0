// Command carequeue runs CareQueue: the GraphQL API, GraphiQL, the probes and the background work, in
// one binary. It is the only place where configuration is read and the parts are wired together.
//
//	carequeue [serve] [--migrate] [--demo]   run the server (default)
//	carequeue migrate [--app-role NAME]      apply database migrations (and grant the application's role)
//	carequeue worker                         run only the background jobs
//	carequeue user create --email E --password P --role R [--name N] [--facility ID]
//	carequeue seed --demo                    load the demo hospital
//	carequeue simulate [flags]               measure the orderings and the wait estimator
//	carequeue audit verify                   check the audit log's hash chain
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // facility time zones work in images without zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "carequeue:", err)
		os.Exit(1)
	}
}

// run is main without the process: tests call it with their own arguments, environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr, nil)
	case "migrate":
		return migrateCmd(ctx, args, getenv, stdout, stderr)
	case "worker":
		return workerCmd(ctx, args, getenv, stdout, stderr)
	case "user":
		return userCmd(ctx, args, getenv, stdout, stderr)
	case "seed":
		return seedCmd(ctx, args, getenv, stdout, stderr)
	case "simulate":
		return simulateCmd(ctx, args, getenv, stdout, stderr)
	case "audit":
		return auditCmd(ctx, args, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

const usage = `usage:
  carequeue [serve] [--migrate] [--demo]   run the server (default command)
  carequeue migrate [--app-role NAME]      apply database migrations and exit; --app-role creates or updates the least-privilege PostgreSQL role the server should run as (APP_ROLE_PASSWORD)
  carequeue worker                         run only the background jobs (notifications), no HTTP
  carequeue user create --email E --password P --role ADMIN|RECEPTIONIST|CLINICIAN|INTEGRATION [--name N] [--facility ID]
  carequeue seed --demo                    load the demo hospital into an empty database
  carequeue simulate [--load L,..] [--ordering O,..] [--seeds 1-10] [--csv F]   replay a synthetic emergency department (simulate -h)
  carequeue audit verify                   check the audit log's hash chain; exit status 1 names the first broken entry
Configuration comes from the environment and an optional .env file: see .env.example.
`
