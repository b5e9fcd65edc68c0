package server_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/privacy"
	"github.com/99designs/gqlgen/graphql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/ent"
	_ "github.com/carequeue/carequeue/ent/runtime"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/server"
)

// unavailableMsg is what a client reads for any failure it should retry.
const unavailableMsg = "the service is briefly unavailable, try again in a moment"

// noDB is a database that cannot be reached: ent's validation fails before it is needed.
type noDB struct{}

func (noDB) Connect(context.Context) (driver.Conn, error) { return nil, errors.New("no database") }
func (noDB) Driver() driver.Driver                        { return nil }

// entValidationError gets a real *ent.ValidationError (its cause is unexported) from a create that
// misses a required field.
func entValidationError(t *testing.T) error {
	t.Helper()
	db := sql.OpenDB(noDB{})
	t.Cleanup(func() { _ = db.Close() })
	client := ent.NewClient(ent.Driver(entsql.OpenDB(dialect.Postgres, db)))
	_, err := client.Facility.Create().Save(auth.SystemContext(context.Background()))
	require.True(t, ent.IsValidationError(err), "%v", err)
	return err
}

// fieldCtx is the context gqlgen gives a resolver of Query.<name>.
func fieldCtx(name string) context.Context {
	ctx := audit.WithRequest(context.Background(), audit.Request{ID: "req-7"})
	return graphql.WithFieldContext(ctx, &graphql.FieldContext{
		Object: "Query",
		Field:  graphql.CollectedField{Field: &ast.Field{Name: name, Alias: name}},
	})
}

// inputErr builds an argument-coercion error the way generated code does (ErrorOnPath under
// WithPathContext for the argument and input field).
func inputErr(ctx context.Context, cause error, path ...string) error {
	for _, p := range path {
		ctx = graphql.WithPathContext(ctx, graphql.NewPathWithField(p))
	}
	return graphql.ErrorOnPath(ctx, cause)
}

func TestErrorPresenter(t *testing.T) {
	t.Parallel()
	validation := entValidationError(t)
	parseErr := gqlerror.Errorf("Expected Name, found <EOF>")
	parseErr.Extensions = map[string]any{"code": "GRAPHQL_PARSE_FAILED"}
	validationErr := gqlerror.Errorf(`Cannot query field "nope" on type "Query".`)
	validationErr.Extensions = map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}
	complexityErr := gqlerror.Errorf("operation has complexity 2000, which exceeds the limit of 1000")
	complexityErr.Extensions = map[string]any{"code": "COMPLEXITY_LIMIT_EXCEEDED"}
	ctx := fieldCtx("ticket")

	for _, tc := range []struct {
		name      string
		ctx       context.Context
		err       error
		code      string
		message   string
		field     string
		loggedAsE bool
	}{
		{"CodedErrorKeepsCodeAndMessage", ctx, cqerr.E(cqerr.NotFound, "no such queue"), "NOT_FOUND", "no such queue", "", false},
		{"CodedErrorCarriesField", ctx, cqerr.E(cqerr.BadUserInput, "enter a mobile number").WithField("input.phone"), "BAD_USER_INPUT", "enter a mobile number", "input.phone", false},
		{"CodedErrorHidesItsCause", ctx, cqerr.Wrap(cqerr.Conflict, errors.New("pq: duplicate key"), "already checked in"), "CONFLICT", "already checked in", "", false},
		{"CodedErrorThroughResolverWrapping", ctx, graphql.ErrorOnPath(ctx, fmt.Errorf("calling next: %w", cqerr.E(cqerr.RateLimited, "slow down"))), "RATE_LIMITED", "slow down", "", false},
		{"CodedInternalStaysGeneric", ctx, cqerr.Wrap(cqerr.Internal, errors.New("pq: SELECT boom"), "db said SELECT"), "INTERNAL", "internal error", "", true},
		{"PrivacyDenyIsForbidden", auth.NewContext(ctx, auth.Viewer{UserID: "US1", Role: auth.RoleClinician}), privacy.Denyf("viewer %s cannot see ticket", "US1"), "FORBIDDEN", "you do not have access to this", "", false},
		{"PrivacyDenyWithoutViewerIsUnauthenticated", ctx, privacy.Denyf("no viewer"), "UNAUTHENTICATED", "sign in required", "", false},
		{"EntNotFound", ctx, fmt.Errorf("getting ticket: %w", &ent.NotFoundError{}), "NOT_FOUND", "not found", "", false},
		{"EntValidationNamesFieldOnly", ctx, validation, "BAD_USER_INPUT", "", "", false},
		{"EntConstraintIsConflict", ctx, &ent.ConstraintError{}, "CONFLICT", "this conflicts with an existing record", "", false},
		{"ParseErrorKeepsMessage", context.Background(), parseErr, "BAD_USER_INPUT", "Expected Name, found <EOF>", "", false},
		{"ValidationErrorKeepsMessage", context.Background(), validationErr, "BAD_USER_INPUT", `Cannot query field "nope" on type "Query".`, "", false},
		{"ComplexityIsBadUserInput", context.Background(), complexityErr, "BAD_USER_INPUT", complexityErr.Message, "", false},
		{"InputCoercionReadsClearly", ctx, inputErr(ctx, errors.New("LATE is not a valid Status"), "input", "status"), "BAD_USER_INPUT", "invalid value for input.status: LATE is not a valid Status", "input.status", false},
		{"IntrospectionRefusalIsForbidden", fieldCtx("__schema"), graphql.ErrorOnPath(fieldCtx("__schema"), errors.New("introspection disabled")), "FORBIDDEN", "introspection is only available to administrators", "", false},
		{"DeadlineIsUnavailable", ctx, fmt.Errorf("query: %w", context.DeadlineExceeded), "UNAVAILABLE", unavailableMsg, "", false},
		{"LockTimeoutIsUnavailable", ctx, fmt.Errorf("locking queue: %w", &pgconn.PgError{Code: "55P03", Message: "canceling statement due to lock timeout"}), "UNAVAILABLE", unavailableMsg, "", false},
		{"TerminatedBackendIsUnavailable", ctx, &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, "UNAVAILABLE", unavailableMsg, "", false},
		{"RefusedConnectionIsUnavailable", ctx, graphql.ErrorOnPath(ctx, fmt.Errorf("dial: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED})), "UNAVAILABLE", unavailableMsg, "", false},
		{"CodedUnavailableKeepsItsMessage", ctx, cqerr.Wrap(cqerr.Unavailable, errors.New("pq: lock timeout"), "this queue is busy"), "UNAVAILABLE", "this queue is busy", "", false},
		{"SQLErrorIsStillInternal", ctx, &pgconn.PgError{Code: "42703", Message: `column "x" does not exist`}, "INTERNAL", "internal error", "", true},
		{"CancelIsInternal", ctx, context.Canceled, "INTERNAL", "the request was cancelled", "", false},
		{"UnknownErrorIsInternalAndLogged", ctx, errors.New(`pq: relation "tickets" SELECT * FROM sqlite_master`), "INTERNAL", "internal error", "", true},
		{"UnknownGraphQLWrappedErrorIsInternal", ctx, graphql.ErrorOnPath(ctx, errors.New("sqlite: database is locked")), "INTERNAL", "internal error", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			logs := &logBuffer{}
			present := server.NewErrorPresenter(slog.New(slog.NewJSONHandler(logs, nil)))
			got := present(tc.ctx, tc.err)
			require.Equal(t, tc.code, got.Extensions["code"])
			if tc.message != "" {
				require.Equal(t, tc.message, got.Message)
			}
			if tc.field != "" {
				require.Equal(t, tc.field, got.Extensions["field"])
			}
			for _, leak := range []string{"SELECT", "pq:", "sqlite", "goroutine", "ent:"} {
				require.NotContains(t, got.Message, leak)
			}
			if tc.loggedAsE {
				require.Contains(t, logs.String(), `"level":"ERROR"`)
				require.Contains(t, logs.String(), "req-7")
			}
		})
	}

	t.Run("CodedErrorCarriesReason", func(t *testing.T) {
		t.Parallel()
		present := server.NewErrorPresenter(slog.New(slog.DiscardHandler))
		err := fmt.Errorf("refreshing session: %w", cqerr.E(cqerr.Unauthenticated, "signed out after 15 minutes of inactivity").WithReason("SESSION_IDLE"))
		got := present(ctx, graphql.ErrorOnPath(ctx, err))
		require.Equal(t, "UNAUTHENTICATED", got.Extensions["code"])
		require.Equal(t, "SESSION_IDLE", got.Extensions["reason"])
		got = present(ctx, cqerr.E(cqerr.Unauthenticated, "session expired, sign in again"))
		require.NotContains(t, got.Extensions, "reason")
	})
	t.Run("EntValidationMessageNamesTheField", func(t *testing.T) {
		t.Parallel()
		got := server.NewErrorPresenter(slog.New(slog.DiscardHandler))(ctx, validation)
		field, _ := got.Extensions["field"].(string)
		require.NotEmpty(t, field)
		require.True(t, strings.HasPrefix(got.Message, field+" "), got.Message)
		require.NotContains(t, got.Message, "Facility.")
	})
	t.Run("KeepsPathAndLocations", func(t *testing.T) {
		t.Parallel()
		src := gqlerror.WrapPath(ast.Path{ast.PathName("ticket")}, cqerr.E(cqerr.NotFound, "gone"))
		src.Locations = []gqlerror.Location{{Line: 1, Column: 3}}
		got := server.NewErrorPresenter(slog.New(slog.DiscardHandler))(ctx, src)
		require.Equal(t, src.Path, got.Path)
		require.Equal(t, src.Locations, got.Locations)
	})
	t.Run("RecoverFuncLogsStackAndPresentsInternal", func(t *testing.T) {
		t.Parallel()
		logs := &logBuffer{}
		log := slog.New(slog.NewJSONHandler(logs, nil))
		err := server.NewRecoverFunc(log)(ctx, "nil map write: secret")
		got := server.NewErrorPresenter(log)(ctx, err)
		require.Equal(t, "INTERNAL", got.Extensions["code"])
		require.Equal(t, "internal error", got.Message)
		require.Contains(t, logs.String(), "nil map write: secret")
		require.Contains(t, logs.String(), "goroutine")
	})
}
