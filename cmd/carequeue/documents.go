package main

import (
	"fmt"
	"os"
	"sort"

	"github.com/carequeue/carequeue/graph/generated"
	"github.com/carequeue/carequeue/internal/config"
	"github.com/carequeue/carequeue/internal/document"
	"github.com/carequeue/carequeue/internal/server"
	"github.com/carequeue/carequeue/web"
)

// trustedDocuments loads the documents the server trusts — the apps' manifests compiled in (web.
// PersistedDocuments) and the operator's TRUSTED_DOCUMENTS_FILES — and checks each against the schema,
// and returns the policy of GRAPHQL_DOCUMENTS and TRUSTED_DOCUMENTS_CLIENTS.
func trustedDocuments(cfg config.Config) (*document.Store, document.Policy, error) {
	mode, err := document.ParseMode(cfg.GraphQLDocuments)
	if err != nil {
		return nil, document.Policy{}, fmt.Errorf("GRAPHQL_DOCUMENTS: %w", err)
	}
	builtIn := web.PersistedDocuments()
	names := make([]string, 0, len(builtIn))
	for name := range builtIn {
		names = append(names, name)
	}
	sort.Strings(names)
	var manifests []document.Manifest
	for _, name := range names {
		m, err := document.ParseManifest(builtIn[name])
		if err != nil {
			return nil, document.Policy{}, fmt.Errorf("built-in web/%s: %w", name, err) // cannot happen: make check-generated
		}
		manifests = append(manifests, m)
	}
	for _, path := range cfg.TrustedDocumentsFiles {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, document.Policy{}, fmt.Errorf("TRUSTED_DOCUMENTS_FILES: %w", err)
		}
		m, err := document.ParseManifest(data)
		if err == nil {
			err = server.ValidateDocuments(generated.NewExecutableSchema(generated.Config{}), document.NewStore(m))
		}
		if err != nil {
			return nil, document.Policy{}, fmt.Errorf("TRUSTED_DOCUMENTS_FILES: %s: %w", path, err)
		}
		manifests = append(manifests, m)
	}
	return document.NewStore(manifests...), document.Policy{Mode: mode, Clients: cfg.TrustedDocumentsClients}, nil
}
