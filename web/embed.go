// Package web holds CareQueue's built web app — the staff dashboards, the waiting-room display board
// and the patient status page — for the Go binary to serve. The app's source is beside this file
// (src/, graphql/, see README.md); `make web` builds it into site/app/, which go:embed compiles in.
//
// site/ also holds unbuilt.html, a source file, so the embed pattern always matches and `go build`
// works on a fresh clone before Node.js ever runs; the server then answers page requests with that
// page (see Built and Unbuilt).
package web

import (
	"embed"
	"io/fs"
)

// all: keeps files whose names start with "." or "_" (Vite's output has none today; the default
// pattern would silently drop them).
//
//go:embed all:site
var site embed.FS

// Dist returns the built app: index.html at its root, content-hashed files under assets/. It is empty
// when the app was not built.
func Dist() fs.FS {
	sub, err := fs.Sub(site, "site/app")
	if err != nil {
		panic("web: " + err.Error()) // cannot happen: "site/app" is a valid path
	}
	return sub
}

// Built reports whether fsys holds a built app (an index.html).
func Built(fsys fs.FS) bool {
	st, err := fs.Stat(fsys, "index.html")
	return err == nil && !st.IsDir()
}

// Unbuilt is the page served in place of the app when the binary was built without it.
func Unbuilt() []byte {
	b, err := site.ReadFile("site/unbuilt.html")
	if err != nil {
		panic("web: " + err.Error()) // cannot happen: the file is embedded
	}
	return b
}

// The trusted-documents manifests GraphQL Code Generator writes beside the generated types (npm run
// codegen): the shared package's (its documents serve the web app and the patient app) and the web
// app's own. They are source files, committed, so every build trusts exactly the documents its apps
// were built with.
//
//go:embed graphql/src/generated/persisted-documents.json src/generated/persisted-documents.json
var manifests embed.FS

// PersistedDocuments returns the apps' persisted-documents manifests (JSON objects of SHA-256 hash to
// document text), keyed by their path under web/.
func PersistedDocuments() map[string][]byte {
	out := map[string][]byte{}
	_ = fs.WalkDir(manifests, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out[path], _ = manifests.ReadFile(path)
		}
		return nil
	})
	return out
}
