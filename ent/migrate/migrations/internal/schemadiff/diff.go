// Package schemadiff computes versioned migrations from the ent schema: it compares the state a migration
// directory (or a live database) produces with ent's tables and writes the difference as a new Atlas-format
// file, and it provides the throwaway dev databases that comparison runs on. It is shared by the generator
// (../../gen) and the migration tests, so both judge drift the same way.
package schemadiff

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sync"

	"ariga.io/atlas/sql/migrate"
	atlas "ariga.io/atlas/sql/schema"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"

	entmigrate "github.com/carequeue/carequeue/ent/migrate"
)

// RiverTables matches the tables River creates and migrates itself (rivermigrate). Migrations generated
// here must never create, alter or drop them.
const RiverTables = "river_*"

var diffMu sync.Mutex

// Diff writes one new migration file called name (prefixed with a timestamp version) into dir when ent's
// schema differs from the current state, and reports whether it wrote one. dialectName is dialect.Postgres
// or dialect.SQLite. In schema.ModeReplay db must be an empty dev database: the directory's files are
// replayed on it to get the current state (and dropped again). In schema.ModeInspect db's own tables are
// the current state, which is how a test checks that an applied directory matches the schema.
func Diff(ctx context.Context, db *sql.DB, dialectName string, dir migrate.Dir, name string, mode schema.Mode) (bool, error) {
	// ent's diff writes into the shared entmigrate.Tables (setupTables): one diff at a time.
	diffMu.Lock()
	defer diffMu.Unlock()
	m, err := schema.NewMigrate(entsql.OpenDB(dialectName, db),
		schema.WithDir(dir),
		schema.WithMigrationMode(mode),
		schema.WithDialect(dialectName),
		// ent's default for a plain LocalDir is golang-migrate's up/down pair; the store applies Atlas files.
		schema.WithFormatter(migrate.DefaultFormatter),
		// The directory must follow the schema exactly: a removed field or index is a reviewed migration
		// (squawk flags the drop), not silent leftovers that only a fresh database lacks.
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
		schema.WithDiffHook(ExcludeRiver),
		schema.WithErrNoPlan(true),
	)
	if err != nil {
		return false, fmt.Errorf("setting up %s diff: %w", dialectName, err)
	}
	switch err := m.NamedDiff(ctx, name, entmigrate.Tables...); {
	case errors.Is(err, migrate.ErrNoPlan):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("diffing %s migrations against the ent schema: %w", dialectName, err)
	}
	return true, nil
}

// ExcludeRiver is an ent diff hook that hides River's tables from the current state before Atlas compares
// it with ent's, the Go-API counterpart of atlas.hcl's `exclude = ["river_*"]` (ent's API has no inspection
// exclude). ent already plans only table additions and changes, and a replayed dev database never holds
// River's tables; the hook keeps that true when diffing a live database (ModeInspect) whatever ent does
// next, and refuses an ent schema that claims River's name space.
func ExcludeRiver(next schema.Differ) schema.Differ {
	return schema.DiffFunc(func(current, desired *atlas.Schema) ([]atlas.Change, error) {
		for _, t := range desired.Tables {
			if isRiver(t.Name) {
				return nil, fmt.Errorf("ent schema defines table %q, but River owns %s", t.Name, RiverTables)
			}
		}
		kept := *current
		kept.Tables = make([]*atlas.Table, 0, len(current.Tables))
		for _, t := range current.Tables {
			if !isRiver(t.Name) {
				kept.Tables = append(kept.Tables, t)
			}
		}
		return next.Diff(&kept, desired)
	})
}

func isRiver(table string) bool {
	ok, _ := path.Match(RiverTables, table)
	return ok
}

// Resum rewrites dir's atlas.sum when it does not match the files, so hand-written migrations placed next
// to generated ones stay valid, and reports whether it changed anything.
func Resum(dir migrate.Dir) (bool, error) {
	sum, err := dir.Checksum()
	if err != nil {
		return false, fmt.Errorf("computing atlas.sum: %w", err)
	}
	want, err := sum.MarshalText()
	if err != nil {
		return false, err
	}
	have, err := fs.ReadFile(dir, migrate.HashFileName)
	if (err == nil && bytes.Equal(have, want)) || (errors.Is(err, fs.ErrNotExist) && len(sum) == 0) {
		return false, nil
	}
	if err := migrate.WriteSumFile(dir, sum); err != nil {
		return false, fmt.Errorf("writing atlas.sum: %w", err)
	}
	return true, nil
}
