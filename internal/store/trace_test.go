package store

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStatementShape(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ query, op, table, text string }{
		{`SELECT "patients"."id" FROM "patients" WHERE "patients"."mrn" = $1`, "SELECT", "patients", `SELECT "patients"."id" FROM "patients" WHERE "patients"."mrn" = $1`},
		{"INSERT INTO `tickets` (`code`) VALUES (?)", "INSERT", "tickets", "INSERT INTO `tickets` (`code`) VALUES (?)"},
		{`UPDATE "queues" SET "version" = "version" + 1 WHERE id = $1`, "UPDATE", "queues", `UPDATE "queues" SET "version" = "version" + 1 WHERE id = $1`},
		{`SELECT COUNT(*) FROM river_job WHERE state NOT IN ('completed', 'it''s')`, "SELECT", "river_job", `SELECT COUNT(*) FROM river_job WHERE state NOT IN (?, ?)`},
		{`  select 1`, "SELECT", "", `  select 1`},
		{``, "SQL", "", ``},
	} {
		op, table := statementShape(tc.query)
		require.Equal(t, tc.op, op, tc.query)
		require.Equal(t, tc.table, table, tc.query)
		require.Equal(t, tc.text, withoutLiterals(tc.query))
	}
}
