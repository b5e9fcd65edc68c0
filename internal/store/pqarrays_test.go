package store_test

import (
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// TestPQArraysReachPostgreSQLUnchanged: the lib/pq arrays River's batch insert passes (see pqarrays.go)
// arrive as the same values (NULLs, bytes, a nil bytea element as lib/pq writes it: empty), whether pgx encodes them through their text form
// or, unwrapped, directly.
func TestPQArraysReachPostgreSQLUnchanged(t *testing.T) {
	t.Parallel()
	db := storetest.NewDB(t, store.Postgres)
	ctx := t.Context()
	at := time.Date(2026, 12, 5, 9, 30, 0, 123456000, time.UTC)
	var zero time.Time
	args := []any{
		pq.Array([]string{`{"ticket_id":"TK1","kind":"checked_in"}`, `{}`}),
		pq.Array([]int64{0, 42}),
		pq.Array([]int32{127, 3}),
		pq.Array([][]byte{nil, {0xAA, 0x00, 0xFF}}),
		pq.Array([]time.Time{at, zero}),
		pq.Array([]int16{5, 25}),
		pq.Array([]string(nil)),
		pq.Array([]string{"a,b", `quo"te`, ""}),
	}
	var got [8]string
	require.NoError(t, db.SQL.QueryRowContext(ctx, `SELECT $1::jsonb[]::text, $2::bigint[]::text, $3::integer[]::text,
		$4::bytea[]::text, $5::timestamptz[] = ARRAY['2026-12-05 09:30:00.123456+00', '0001-01-01 00:00:00+00']::timestamptz[],
		$6::smallint[]::text, coalesce($7::text[]::text, 'NULL'), $8::text[]::text`, args...).
		Scan(&got[0], &got[1], &got[2], &got[3], &got[4], &got[5], &got[6], &got[7]))
	require.Equal(t, [8]string{
		`{"{\"kind\": \"checked_in\", \"ticket_id\": \"TK1\"}","{}"}`, `{0,42}`, `{127,3}`, `{"\\x","\\xaa00ff"}`, `true`,
		`{5,25}`, `NULL`, `{"a,b","quo\"te",""}`,
	}, got)

	// How the direct path shows: a time's nanoseconds are cut to microseconds by pgx, where PostgreSQL's
	// parser of the text form rounds them. Either is finer than anything stored here needs.
	var micros int
	require.NoError(t, db.SQL.QueryRowContext(ctx, `SELECT extract(microseconds FROM ($1::timestamptz[])[1])::int`,
		pq.Array([]time.Time{time.Date(2026, 12, 5, 9, 30, 0, 123456789, time.UTC)})).Scan(&micros))
	require.Equal(t, 123456, micros, "the arrays are unwrapped")
}
