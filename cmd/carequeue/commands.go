package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/demo"
	"github.com/carequeue/carequeue/internal/store"
)

func migrateCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	appRole := fs.String("app-role", "", "PostgreSQL: create or update this least-privilege role for the application "+
		"(password from APP_ROLE_PASSWORD when creating it); run the migration as the tables' owner")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("migrate takes no arguments but --app-role NAME")
	}
	cfg, log, err := loadConfig(getenv, stderr)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, log, true, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if *appRole == "" {
		return nil
	}
	// The password comes from the environment, never the command line (which other users can list).
	if err := store.GrantAppRole(ctx, db, *appRole, getenv("APP_ROLE_PASSWORD")); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "application role %s: may read and write the tables, only insert into and read %s\n", *appRole, store.AuditTable)
	return nil
}

// cliViewer is who the command line acts as: a global admin (whoever runs the binary on the server
// already holds the database).
var cliViewer = auth.Viewer{UserID: "", Role: auth.RoleAdmin}

func userCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: carequeue user create --email E --password P --role R [--name N] [--facility ID]")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "sign-in email (required)")
	password := fs.String("password", "", "password, at least 10 characters (required)")
	role := fs.String("role", "", "ADMIN, RECEPTIONIST, CLINICIAN or INTEGRATION (required)")
	name := fs.String("name", "", "display name (default: the email)")
	facility := fs.String("facility", "", "facility ID (empty: a global admin)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" || *password == "" || *role == "" {
		return errors.New("--email, --password and --role are required")
	}
	r := user.Role(strings.ToUpper(*role))
	if err := user.RoleValidator(r); err != nil || r == user.RolePATIENT {
		return fmt.Errorf("--role must be ADMIN, RECEPTIONIST, CLINICIAN or INTEGRATION, not %q", *role)
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
		u, err := a.session.CreateUser(auth.NewContext(ctx, cliViewer), in, *password)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s %s (%s)\n", u.Role, u.Email, u.ID)
		return nil
	})
}

func seedCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	withDemo := fs.Bool("demo", false, "load the demo hospital")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*withDemo {
		return errors.New("usage: carequeue seed --demo")
	}
	return withApp(ctx, getenv, stdout, stderr, func(a *app) error {
		return demo.Load(ctx, a.db, a.session, a.admin, a.queue, demo.Options{Out: stdout})
	})
}

// withApp builds the app for a one-off command (no migration, no server) and runs fn with it.
func withApp(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer, fn func(a *app) error) error {
	cfg, log, err := loadConfig(getenv, stderr)
	if err != nil {
		return err
	}
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
	if len(args) > 0 {
		return fmt.Errorf("worker takes no arguments")
	}
	return withApp(ctx, getenv, stdout, stderr, func(a *app) error {
		if err := a.jobs.Start(ctx); err != nil {
			return fmt.Errorf("starting job workers: %w", err)
		}
		fmt.Fprintln(stdout, "job workers running; stop with Ctrl-C")
		<-ctx.Done()
		stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return a.jobs.Stop(stop)
	})
}
