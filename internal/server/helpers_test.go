package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/server"
)

// stubSDL is a tiny schema standing in for the generated one: these tests exercise the transport,
// limits and presenter, not the real resolvers (cmd/carequeue tests those end to end).
const stubSDL = `
type Query {
	whoami: String!
	introspectionAllowed: Boolean!
	requestId: String!
	fail: String
	boom: String
	down: String!
	slow: String
	deadlineLeft: Int
	node: Node
	echo(level: Level, input: EchoInput): String
	items(first: Int, last: Int, after: String): ItemConnection!
	nodes(ids: [ID!]!): [Node]!
	tags: [String!]!
	big(n: Int!): String
}
type Node { child: Node name: String items(first: Int, last: Int): ItemConnection! }
type ItemConnection { edges: [ItemEdge] pageInfo: PageInfo! totalCount: Int! }
type ItemEdge { node: Node cursor: String! }
type PageInfo { hasNextPage: Boolean! }
enum Level { LOW HIGH }
input EchoInput { name: String }
type Mutation { noop: Boolean }
type Subscription { tick: String! feed(first: Int, last: Int): ItemConnection! }
`

// stubLists sizes the stub schema's one plain list.
var stubLists = map[string]server.ListSize{"Query.tags": server.Items(5)}

// stubSchema answers from the context the server built, so tests see what a resolver would see.
func stubSchema() graphql.ExecutableSchema {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: stubSDL})
	return &graphql.ExecutableSchemaMock{
		SchemaFunc: func() *ast.Schema { return schema },
		ComplexityFunc: func(_ context.Context, _, _ string, child int, _ map[string]any) (int, bool) {
			return child + 1, true
		},
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			op := graphql.GetOperationContext(ctx)
			if op.Operation.Operation == ast.Subscription {
				sent := false
				return func(ctx context.Context) *graphql.Response {
					if sent {
						<-ctx.Done()
						return nil
					}
					sent = true
					return &graphql.Response{Data: mustJSON(map[string]any{"tick": role(ctx)})}
				}
			}
			ran := false
			return func(ctx context.Context) *graphql.Response {
				if ran {
					return nil
				}
				ran = true
				data := map[string]any{}
				nulled := false
				for _, sel := range op.Operation.SelectionSet {
					f, ok := sel.(*ast.Field)
					if !ok {
						continue
					}
					data[f.Alias] = resolve(ctx, op, f)
					// down is non-null: its error nulls the whole data, as gqlgen's generated code does.
					nulled = nulled || f.Name == "down"
				}
				if nulled {
					return &graphql.Response{Data: json.RawMessage("null")}
				}
				return &graphql.Response{Data: mustJSON(data)}
			}
		},
	}
}

func resolve(ctx context.Context, op *graphql.OperationContext, f *ast.Field) any {
	fctx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Query", Field: graphql.CollectedField{Field: f}})
	switch f.Name {
	case "whoami":
		return role(ctx)
	case "introspectionAllowed":
		return !op.DisableIntrospection
	case "requestId":
		return audit.RequestFrom(ctx).ID
	case "fail":
		graphql.AddError(fctx, errors.New(`pq: syntax error at or near "SELECT" from sqlite`))
	case "boom":
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(fctx, graphql.Recover(fctx, r))
				}
			}()
			panic("boom: secret value")
		}()
	case "noop":
		return true
	case "down":
		graphql.AddError(fctx, errDatabaseDown)
	case "slow":
		<-ctx.Done() // a statement stuck behind a lock until the deadline cancels it
		graphql.AddError(fctx, fmt.Errorf("reading the queue: %w", ctx.Err()))
	case "deadlineLeft":
		if d, ok := ctx.Deadline(); ok {
			return int(time.Until(d).Milliseconds())
		}
		return -1
	case "big":
		n, _ := f.ArgumentMap(op.Variables)["n"].(int64)
		return strings.Repeat("x", int(n))
	}
	return nil
}

// errDatabaseDown is what pgx says when PostgreSQL refuses connections (stopped, restarting).
var errDatabaseDown = fmt.Errorf("loading queues: failed to connect to `user=cq database=cq`: %w",
	&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED})

func role(ctx context.Context) string {
	if v, ok := auth.FromContext(ctx); ok {
		return string(v.Role)
	}
	return "anonymous"
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func stubViewer(_ context.Context, token string) (auth.Viewer, error) {
	switch token {
	case "admin-token":
		return auth.Viewer{UserID: "US01", Role: auth.RoleAdmin}, nil
	case "staff-token":
		return auth.Viewer{UserID: "US02", Role: auth.RoleReceptionist}, nil
	case "client-token", "other-client-token": // API clients AK01 and AK02
		id := pulid.ID("AK01")
		if token == "other-client-token" {
			id = "AK02"
		}
		return auth.Viewer{UserID: id, ClientID: id, Role: auth.RoleIntegration}, nil
	case "broken-token":
		return auth.Viewer{}, fmt.Errorf("loading session: pq: connection refused")
	case "down-token":
		return auth.Viewer{}, errDatabaseDown
	}
	return auth.Viewer{}, cqerr.E(cqerr.Unauthenticated, "session expired, sign in again")
}

// logBuffer collects log output from concurrent handlers.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type fixture struct {
	handler http.Handler
	logs    *logBuffer
}

func newFixture(t testing.TB, cfg server.Config, edit ...func(*server.Deps)) fixture {
	t.Helper()
	logs := &logBuffer{}
	deps := server.Deps{
		Schema: stubSchema(),
		Viewer: stubViewer,
		Ready:  func(context.Context) error { return nil },
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Lists:  stubLists,
	}
	for _, e := range edit {
		e(&deps)
	}
	return fixture{handler: server.New(cfg, deps), logs: logs}
}

type gqlResponse struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (f fixture) do(t *testing.T, r *http.Request) (*httptest.ResponseRecorder, gqlResponse) {
	t.Helper()
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, r)
	var resp gqlResponse
	if strings.Contains(rec.Header().Get("Content-Type"), "json") {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp), rec.Body.String())
	}
	return rec, resp
}

func (f fixture) post(t *testing.T, query string, headers ...string) (*httptest.ResponseRecorder, gqlResponse) {
	t.Helper()
	return f.do(t, graphqlPost(query, headers...))
}

func graphqlPost(query string, headers ...string) *http.Request {
	body := mustJSON(map[string]any{"query": query})
	r := httptest.NewRequest(http.MethodPost, "/graphql", io.NopCloser(bytes.NewReader(body)))
	r.ContentLength = int64(len(body))
	r.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return r
}

func firstCode(t *testing.T, resp gqlResponse) string {
	t.Helper()
	require.NotEmpty(t, resp.Errors)
	code, _ := resp.Errors[0].Extensions["code"].(string)
	return code
}
