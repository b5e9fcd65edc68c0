package server

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/document"
)

// apqCacheSize bounds the documents open mode remembers for hash-only requests (automatic persisted
// queries); an evicted one costs its client one retry with the text.
const apqCacheSize = 1000

// trustedDocuments resolves extensions.persistedQuery hashes to document texts and holds callers to
// trusted documents as the policy says, over HTTP and WebSocket alike (it runs before parsing, for
// every transport). Errors carry PERSISTED_QUERY_NOT_FOUND (unknown hash), PERSISTED_QUERY_REQUIRED
// (a free-form document from a caller that must send a hash) or BAD_USER_INPUT (a malformed
// extension, or a hash that is not the query's).
type trustedDocuments struct {
	store  *document.Store
	policy document.Policy
	// apq remembers documents clients registered by sending them with their hash (open mode only).
	apq graphql.Cache[string]
	// untrusted counts the free-form documents allow-list mode would refuse, by caller kind.
	untrusted *prometheus.CounterVec
	log       *slog.Logger
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = trustedDocuments{}

func newTrustedDocuments(store *document.Store, policy document.Policy, log *slog.Logger) trustedDocuments {
	if store == nil {
		store = document.NewStore()
	}
	if policy.Mode == "" {
		policy.Mode = document.PersistedPreferred
	}
	return trustedDocuments{store: store, policy: policy, apq: lru.New[string](apqCacheSize), log: log,
		untrusted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "carequeue_graphql_untrusted_documents_total",
			Help: "Free-form GraphQL documents from callers that GRAPHQL_DOCUMENTS=allow-list holds to trusted documents, by caller kind and outcome (run: counted in persisted-preferred mode; refused: allow-list).",
		}, []string{"caller", "outcome"}),
	}
}

func (trustedDocuments) ExtensionName() string { return "CareQueueTrustedDocuments" }

// Validate checks every trusted document against the schema (see ValidateDocuments).
func (t trustedDocuments) Validate(schema graphql.ExecutableSchema) error {
	return ValidateDocuments(schema, t.store)
}

// ValidateDocuments checks every document of store against schema, so a manifest built for another
// version of the API stops the server at start-up instead of failing its clients one by one.
func ValidateDocuments(schema graphql.ExecutableSchema, store *document.Store) error {
	return store.Each(func(hash, text string) error {
		if _, errs := gqlparser.LoadQueryWithRules(schema.Schema(), text, nil); len(errs) > 0 {
			return fmt.Errorf("trusted document %s (%s) does not match the schema: %w", hash, firstLine(text), errs[0])
		}
		return nil
	})
}

func (t trustedDocuments) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	hash, err := persistedHash(raw.Extensions)
	if err != nil {
		return err
	}
	v, signedIn := auth.FromContext(ctx)
	held := t.policy.Holds(v, signedIn)
	switch {
	case hash != "" && raw.Query == "":
		if text, ok := t.store.Lookup(hash); ok {
			raw.Query = text
			return nil
		}
		if t.policy.Registers() {
			if text, ok := t.apq.Get(ctx, hash); ok {
				raw.Query = text
				return nil
			}
		}
		return documentError(cqerr.PersistedQueryNotFound, "PersistedQueryNotFound: no document has this sha256Hash; send the query with it")
	case hash != "":
		if document.Hash(raw.Query) != hash {
			return documentError(cqerr.BadUserInput, "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query")
		}
		if _, ok := t.store.Lookup(hash); ok {
			return nil
		}
		if t.policy.Registers() {
			t.apq.Add(ctx, hash, raw.Query)
		}
	}
	return t.freeForm(ctx, v, signedIn, held, raw)
}

// freeForm applies the policy to a document that is not among the trusted ones.
func (t trustedDocuments) freeForm(ctx context.Context, v auth.Viewer, signedIn, held bool, raw *graphql.RawParams) *gqlerror.Error {
	switch t.policy.Decide(held) {
	case document.Refuse:
		t.untrusted.WithLabelValues(callerKind(v, signedIn), "refused").Inc()
		t.log.InfoContext(ctx, "free-form GraphQL document refused", "request_id", audit.RequestFrom(ctx).ID,
			"caller", callerKind(v, signedIn), "client_id", string(v.ClientID), "operation", raw.OperationName)
		return documentError(cqerr.PersistedQueryRequired, "this server runs only trusted documents for this caller; send extensions.persistedQuery.sha256Hash of one")
	case document.RunCounted:
		t.untrusted.WithLabelValues(callerKind(v, signedIn), "run").Inc()
	case document.Run:
	}
	return nil
}

// persistedHash reads extensions.persistedQuery ({"version": 1, "sha256Hash": "..."}); "" when absent.
func persistedHash(ext map[string]any) (string, *gqlerror.Error) {
	pq, present := ext["persistedQuery"]
	if !present || pq == nil {
		return "", nil
	}
	const shape = `extensions.persistedQuery must be {"version": 1, "sha256Hash": "<64 lowercase hex digits>"}`
	m, ok := pq.(map[string]any)
	if !ok {
		return "", documentError(cqerr.BadUserInput, shape)
	}
	// JSON numbers decode as json.Number or float64 depending on the transport.
	if ver := fmt.Sprint(m["version"]); ver != "1" {
		return "", documentError(cqerr.BadUserInput, "unsupported extensions.persistedQuery.version (only 1)")
	}
	h, ok := m["sha256Hash"].(string)
	if !ok || !document.ValidHash(h) {
		return "", documentError(cqerr.BadUserInput, shape)
	}
	return h, nil
}

func documentError(code cqerr.Code, msg string) *gqlerror.Error {
	// The extensions are set here as well as by the presenter: over WebSocket gqlgen sends an error
	// of this stage as it is, without presenting it.
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(code)}, Err: cqerr.E(code, msg)}
}

// callerKind is a metric label: a few fixed values, never an id.
func callerKind(v auth.Viewer, signedIn bool) string {
	switch {
	case !signedIn:
		return "anonymous"
	case v.ClientID != "":
		return "api_client"
	default:
		return strings.ToLower(string(v.Role))
	}
}

func firstLine(text string) string {
	line, _, _ := strings.Cut(text, "\n")
	return line
}
