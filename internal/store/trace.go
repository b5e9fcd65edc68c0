package store

import (
	"context"
	"database/sql"
	"regexp"
	"strings"

	"entgo.io/ent/dialect"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/carequeue/carequeue/internal/telemetry"
)

// Trace makes every statement of db's ent clients (Ent, Client, InTx's) a span. Call it right after Open,
// before db is shared; a provider that exports nothing traces nothing. A span holds the statement's
// shape (ent's statements are parameterized; a quoted literal, should one appear, is replaced by ?),
// never its arguments.
func (db *DB) Trace(tp trace.TracerProvider) {
	db.tracer = telemetry.Tracer(tp, "github.com/carequeue/carequeue/internal/store")
}

// traced wraps an ent driver of db with the statement spans; while db is not traced it adds one
// comparison per statement.
func (db *DB) traced(d dialect.Driver) dialect.Driver { return tracedDriver{Driver: d, db: db} }

type tracedDriver struct {
	dialect.Driver
	db *DB
}

// span starts a statement's span when db is traced; end is then non-nil.
func (d tracedDriver) span(ctx context.Context, query string) (context.Context, func(error)) {
	t := d.db.tracer
	if t == nil {
		return ctx, nil
	}
	op, table := statementShape(query)
	name := op
	if table != "" {
		name += " " + table
	}
	ctx, span := t.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
		attribute.String("db.system.name", dbSystem(d.db.Dialect)),
		attribute.String("db.operation.name", op),
		attribute.String("db.collection.name", table),
		attribute.String("db.query.text", withoutLiterals(query)),
	))
	return ctx, func(err error) {
		if err != nil {
			// The driver's text may quote a value (a duplicate key's): only the fact is recorded.
			span.SetStatus(codes.Error, "statement failed")
		}
		span.End()
	}
}

// run runs one statement inside its span.
func (d tracedDriver) run(ctx context.Context, query string, fn func(context.Context) error) error {
	ctx, end := d.span(ctx, query)
	err := fn(ctx)
	if end != nil {
		end(err)
	}
	return err
}

func (d tracedDriver) Exec(ctx context.Context, query string, args, v any) error {
	return d.run(ctx, query, func(ctx context.Context) error { return d.Driver.Exec(ctx, query, args, v) })
}

func (d tracedDriver) Query(ctx context.Context, query string, args, v any) error {
	return d.run(ctx, query, func(ctx context.Context) error { return d.Driver.Query(ctx, query, args, v) })
}

// ExecContext and QueryContext serve the generated client's raw-SQL helpers (the execquery feature).
func (d tracedDriver) ExecContext(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	err = d.run(ctx, query, func(ctx context.Context) error {
		res, err = d.Driver.(interface {
			ExecContext(context.Context, string, ...any) (sql.Result, error)
		}).ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

func (d tracedDriver) QueryContext(ctx context.Context, query string, args ...any) (rows *sql.Rows, err error) {
	err = d.run(ctx, query, func(ctx context.Context) error {
		//nolint:rowserrcheck,sqlclosecheck // a pass-through: the caller iterates, closes and checks the rows
		rows, err = d.Driver.(interface {
			QueryContext(context.Context, string, ...any) (*sql.Rows, error)
		}).QueryContext(ctx, query, args...)
		return err
	})
	return rows, err
}

func (d tracedDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return tracedTx{Tx: tx, d: d}, nil
}

func (d tracedDriver) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	tx, err := d.Driver.(interface {
		BeginTx(context.Context, *sql.TxOptions) (dialect.Tx, error)
	}).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return tracedTx{Tx: tx, d: d}, nil
}

// tracedTx is an ent transaction whose statements are spans like tracedDriver's.
type tracedTx struct {
	dialect.Tx
	d tracedDriver
}

func (t tracedTx) Exec(ctx context.Context, query string, args, v any) error {
	return t.d.run(ctx, query, func(ctx context.Context) error { return t.Tx.Exec(ctx, query, args, v) })
}

func (t tracedTx) Query(ctx context.Context, query string, args, v any) error {
	return t.d.run(ctx, query, func(ctx context.Context) error { return t.Tx.Query(ctx, query, args, v) })
}

func dbSystem(d Dialect) string {
	if d == Postgres {
		return "postgresql"
	}
	return "sqlite"
}

var (
	// tableAfter finds the table a statement reads or writes first.
	tableAfter = regexp.MustCompile(`(?i)\b(?:FROM|INTO|UPDATE)\s+["` + "`" + `]?([A-Za-z_][A-Za-z0-9_]*)`)
	// quoted is a SQL string literal (with '' escapes).
	quoted = regexp.MustCompile(`'(?:[^']|'')*'`)
)

// statementShape is a statement's operation (its first keyword) and first table, for the span's name.
func statementShape(query string) (op, table string) {
	q := strings.TrimSpace(query)
	op = strings.ToUpper(q)
	if i := strings.IndexFunc(op, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '(' }); i >= 0 {
		op = op[:i]
	}
	if op == "" {
		op = "SQL"
	}
	if m := tableAfter.FindStringSubmatch(q); m != nil {
		table = m[1]
	}
	return op, table
}

// withoutLiterals replaces string literals by ?: ent passes values as arguments, but a literal in
// hand-written SQL must not carry a value into a span.
func withoutLiterals(query string) string {
	return quoted.ReplaceAllString(query, "?")
}
