package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// TestTimesCompareAsInstants writes times carrying +01:00, -05:00 and UTC offsets and queries them with
// bounds built in a third zone (Asia/Tokyo): the rows in range and their order must be those of the
// instants. On SQLite times are text compared as text, so this holds only because the store binds every
// time in UTC (sqliteDSN's _timezone=UTC); before, the +01:00 row fell outside a range it is inside and
// ORDER BY followed the local wall clocks.
func TestTimesCompareAsInstants(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	paris := time.FixedZone("CET", 3600)
	newYork := time.FixedZone("EST", -5*3600)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	rows := []struct {
		name string
		at   time.Time
	}{ // in instant order; the UTC instant is in each comment
		{"a", time.Date(2026, 12, 4, 23, 30, 0, 0, paris)},   // 22:30 on the 4th
		{"b", time.Date(2026, 12, 4, 18, 10, 0, 0, newYork)}, // 23:10
		{"c", time.Date(2026, 12, 4, 23, 20, 0, 0, time.UTC)},
		{"d", time.Date(2026, 12, 5, 0, 45, 0, 0, paris)},   // 23:45
		{"e", time.Date(2026, 12, 4, 21, 0, 0, 0, newYork)}, // 02:00 on the 5th
	}
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := storetest.NewDB(t, d)
			ddl := `CREATE TABLE slot (name text PRIMARY KEY, at datetime NOT NULL)`
			if d == store.Postgres {
				ddl = `CREATE TABLE slot (name text PRIMARY KEY, at timestamptz NOT NULL)`
			}
			_, err := db.SQL.ExecContext(ctx, ddl)
			require.NoError(t, err)
			for i := len(rows) - 1; i >= 0; i-- { // inserted out of order
				_, err := db.SQL.ExecContext(ctx, `INSERT INTO slot (name, at) VALUES ($1, $2)`, rows[i].name, rows[i].at)
				require.NoError(t, err)
			}
			names := func(query string, args ...any) []string {
				t.Helper()
				stmt, err := db.SQL.PrepareContext(ctx, query)
				require.NoError(t, err)
				defer stmt.Close()
				rs, err := stmt.QueryContext(ctx, args...)
				require.NoError(t, err)
				defer rs.Close()
				var got []string
				for rs.Next() {
					var name string
					var at time.Time
					require.NoError(t, rs.Scan(&name, &at))
					for _, r := range rows {
						if r.name == name {
							require.True(t, r.at.Equal(at), "%s: wrote %s, read %s", name, r.at, at)
						}
					}
					got = append(got, name)
				}
				require.NoError(t, rs.Err())
				return got
			}
			require.Equal(t, []string{"a", "b", "c", "d", "e"}, names(`SELECT name, at FROM slot ORDER BY at`))
			from := time.Date(2026, 12, 5, 7, 15, 0, 0, tokyo) // 22:15 UTC on the 4th
			to := time.Date(2026, 12, 5, 8, 30, 0, 0, tokyo)   // 23:30 UTC
			require.Equal(t, []string{"a", "b", "c"},
				names(`SELECT name, at FROM slot WHERE at >= $1 AND at < $2 ORDER BY at`, from, to))
			require.Equal(t, []string{"e", "d"}, names(`SELECT name, at FROM slot WHERE at >= $1 ORDER BY at DESC`, to))
			atC := rows[2].at.In(tokyo)
			require.Equal(t, []string{"c"}, names(`SELECT name, at FROM slot WHERE at = $1`, atC), "equal instants in other zones")
			require.Equal(t, []string{"c", "d", "e"}, names(`SELECT name, at FROM slot WHERE at >= $1 ORDER BY at`, atC))
		})
	}
}
