// Command gen writes CareQueue's versioned migrations: for PostgreSQL and SQLite it replays the checked-in
// migration directory on a throwaway dev database, compares the result with the ent schema and, when they
// differ, writes one new Atlas-format file named <timestamp>_<name>.sql plus atlas.sum. With no change it
// writes nothing, so CI regenerates and fails on `git diff --exit-code`. It also re-sums each directory
// first, which keeps hand-written files (e.g. the audit triggers) valid.
//
//	go run ./ent/migrate/migrations/gen add_ticket_priority          # both dialects
//	go run ./ent/migrate/migrations/gen -dialect sqlite add_priority  # SQLite only (no server needed)
//
// PostgreSQL dev databases are created on 127.0.0.1:5432 (user postgres); MIGRATE_DEV_POSTGRES_URL
// names another server.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect/sql/schema"

	"github.com/carequeue/carequeue/ent/migrate/migrations/internal/schemadiff"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

var validName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func run(ctx context.Context, args []string, getenv func(string) string) error {
	fset := flag.NewFlagSet("gen", flag.ContinueOnError)
	dialects := fset.String("dialect", "postgres,sqlite", "comma-separated dialects to generate for")
	root := fset.String("dir", "", "migrations directory (default: ent/migrate/migrations of the enclosing module)")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() != 1 || !validName.MatchString(fset.Arg(0)) {
		return errors.New("usage: gen [-dialect postgres,sqlite] [-dir path] name  (name: lower_snake_case)")
	}
	name := fset.Arg(0)
	if *root == "" {
		mod, err := moduleRoot()
		if err != nil {
			return err
		}
		*root = filepath.Join(mod, "ent", "migrate", "migrations")
	}
	serverURL := getenv("MIGRATE_DEV_POSTGRES_URL")
	if serverURL == "" {
		serverURL = schemadiff.DefaultPostgresURL
	}
	want := strings.Split(*dialects, ",")
	for _, w := range want {
		if !slices.ContainsFunc(schemadiff.Dialects, func(d schemadiff.Dialect) bool { return d.Dir == w }) {
			return fmt.Errorf("unknown dialect %q (want postgres and/or sqlite)", w)
		}
	}
	for _, d := range schemadiff.Dialects {
		if !slices.Contains(want, d.Dir) {
			continue
		}
		if err := generate(ctx, d, filepath.Join(*root, d.Dir), name, serverURL); err != nil {
			return fmt.Errorf("%s: %w", d.Dir, err)
		}
	}
	return nil
}

func generate(ctx context.Context, d schemadiff.Dialect, path, name, serverURL string) (err error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return err
	}
	dir, err := migrate.NewLocalDir(path)
	if err != nil {
		return err
	}
	if changed, err := schemadiff.Resum(dir); err != nil {
		return err
	} else if changed {
		fmt.Printf("%s: atlas.sum recomputed (a migration file was added or edited by hand)\n", d.Dir)
	}
	before, err := dir.Files()
	if err != nil {
		return err
	}
	db, drop, err := openDev(ctx, d, serverURL)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, drop()) }()
	wrote, err := schemadiff.Diff(ctx, db, d.Ent, dir, name, schema.ModeReplay)
	if err != nil || !wrote {
		return err
	}
	after, err := dir.Files()
	if err != nil {
		return err
	}
	for _, f := range after[len(before):] {
		fmt.Printf("%s: wrote %s\n", d.Dir, filepath.Join(path, f.Name()))
	}
	return nil
}

func openDev(ctx context.Context, d schemadiff.Dialect, serverURL string) (*sql.DB, func() error, error) {
	if d.Dir == "sqlite" {
		db, err := schemadiff.OpenSQLiteDev()
		if err != nil {
			return nil, nil, err
		}
		return db, db.Close, nil
	}
	return schemadiff.CreatePostgres(ctx, serverURL)
}

// moduleRoot walks up from the working directory to go.mod, so the command works both from the
// repository root and from `go generate` in the migrations package.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory; pass -dir")
		}
		dir = parent
	}
}
