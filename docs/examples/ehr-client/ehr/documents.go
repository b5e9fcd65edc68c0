// Package ehr is the example EHR integration of docs/integration.md: a client of CareQueue's API that
// gets an access token with OAuth 2.0 client credentials, checks a patient in, follows the ticket live
// over graphql-transport-ws and verifies the signed webhooks CareQueue sends (docs/examples/
// webhook-receiver/verify). It names its GraphQL documents by their SHA-256 (persisted documents) and
// sends the text only when the server does not know them, so it works against a server that trusts
// only listed documents (GRAPHQL_DOCUMENTS=allow-list with persisted-documents.json, generated from
// documents/, in TRUSTED_DOCUMENTS_FILES) and against one that takes any query.
package ehr

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed documents/*.graphql
var documentFiles embed.FS

// Document is one GraphQL operation of the client: Name is its file name without .graphql (the
// operation's name), Hash the SHA-256 of Text, the file's exact content.
type Document struct {
	Name, Text, Hash string
}

// Documents returns the client's documents, by name.
func Documents() []Document {
	entries, err := fs.ReadDir(documentFiles, "documents")
	if err != nil {
		panic(err) // cannot happen: the directory is embedded
	}
	out := make([]Document, 0, len(entries))
	for _, e := range entries {
		b, err := documentFiles.ReadFile(path.Join("documents", e.Name()))
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		out = append(out, Document{Name: strings.TrimSuffix(e.Name(), ".graphql"), Text: string(b), Hash: hex.EncodeToString(sum[:])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// document returns the document named name.
func document(name string) Document {
	for _, d := range Documents() {
		if d.Name == name {
			return d
		}
	}
	panic(fmt.Sprintf("ehr: no document %s", name))
}

// Manifest is the client's persisted-documents manifest (hash → text): give it to the CareQueue
// operator for TRUSTED_DOCUMENTS_FILES.
func Manifest() []byte {
	m := map[string]string{}
	for _, d := range Documents() {
		m[d.Hash] = d.Text
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}
