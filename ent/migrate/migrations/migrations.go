// Package migrations holds CareQueue's versioned database migrations, one Atlas-format directory per
// dialect (postgres/, sqlite/, each with its atlas.sum), generated from the ent schema by ./gen and embedded
// in the binary for `carequeue migrate`. Files are append-only history: never edit one that was released;
// add a new one. Hand-written files (triggers Atlas does not model) live beside the generated ones.
package migrations

import (
	"embed"
	"io/fs"
)

// A no-change run writes nothing, so this name only appears when a schema change was not yet generated
// under a better one; rename such a file (and re-run to re-sum) before committing.
//go:generate go run ./gen auto

//go:embed postgres sqlite
var files embed.FS

// FS holds both directories, postgres/ and sqlite/, for callers that pick one by dialect name.
var FS fs.FS = files

// Postgres is the PostgreSQL migration directory: *.sql files and atlas.sum at its root.
var Postgres = mustSub("postgres")

// SQLite is the SQLite migration directory: *.sql files and atlas.sum at its root.
var SQLite = mustSub("sqlite")

func mustSub(dir string) fs.FS {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // unreachable: dir is embedded above
	}
	return sub
}
