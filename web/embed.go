// Package web holds CareQueue's built web app — the staff dashboards, the waiting-room display board
// and the patient status page — for the Go binary to serve. The app's source is beside this file
// (src/, graphql/, see README.md); `make web` builds it into dist/, which go:embed compiles in.
//
// A fresh clone has only dist/.keep, so `go build` works before Node.js ever runs; the server then
// answers page requests with a short note saying to run `make web` (see Built).
package web

import (
	"embed"
	"io/fs"
)

// all: keeps files whose names start with "." or "_" (Vite's output has none today; the default
// pattern would silently drop them).
//
//go:embed all:dist
var dist embed.FS

// Dist returns the built app: index.html at its root, content-hashed files under assets/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic("web: " + err.Error()) // cannot happen: "dist" is a valid, embedded directory
	}
	return sub
}

// Built reports whether fsys holds a built app (an index.html), not just the placeholder.
func Built(fsys fs.FS) bool {
	st, err := fs.Stat(fsys, "index.html")
	return err == nil && !st.IsDir()
}
