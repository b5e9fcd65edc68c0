package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

// Realistic-hospital size for TestQueriesAreBoundedBeforeTheyRun: 1,000 patients with 4 visits each.
const (
	boundsPatients          = 1000
	boundsTicketsPerPatient = 4
)

// TestQueriesAreBoundedBeforeTheyRun builds the worst queries it can against a hospital of thousands
// of tickets on PostgreSQL (nested connections, aliases, nodes, a missing or huge first) and checks that
// each is refused with BAD_USER_INPUT before one SQL statement runs; and that the most expensive query
// the limits allow stays bounded in fields and bytes. It logs the times docs/BENCHMARKS.md records
// and asserts none: a loaded machine must not fail it.
func TestQueriesAreBoundedBeforeTheyRun(t *testing.T) {
	t.Parallel()
	if !slices.Contains(storetest.Dialects(t), store.Postgres) {
		t.Skip("measured on PostgreSQL")
	}
	s := startServer(t, store.Postgres)
	h := setupHospital(t, s)
	seedVisits(t, s, h)

	var firstIDs []string
	r := s.gql(t, h.admin, `{ tickets(first: 100) { totalCount edges { node { id } } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	var page struct {
		TotalCount int
		Edges      []struct{ Node struct{ ID string } }
	}
	require.NoError(t, json.Unmarshal(r.Data["tickets"], &page))
	require.GreaterOrEqual(t, page.TotalCount, boundsPatients*boundsTicketsPerPatient)
	for _, e := range page.Edges {
		firstIDs = append(firstIDs, e.Node.ID)
	}
	manyIDs := make([]string, 0, 1000)
	for len(manyIDs) < 1000 {
		manyIDs = append(manyIDs, firstIDs...)
	}

	nested := "{ tickets(first: 100) { edges { node { code queue { tickets(first: 100) { edges { node { code patient { givenName familyName phone } } } } } } } } }"
	deeper := "{ tickets(first: 100) { edges { node { code " +
		"queue { tickets(first: 100) { edges { node { code queue { tickets(first: 100) { edges { node { code patient { givenName familyName phone } } } } } } } } } } } } }"
	aliases := make([]string, 50)
	for i := range aliases {
		aliases[i] = fmt.Sprintf("p%d: patients(first: 100) { edges { node { givenName familyName phone dateOfBirth } } }", i)
	}
	refused := []struct{ name, query string }{
		{"NestedConnections", nested},
		{"ThreeNestedConnections", deeper},
		{"FiftyAliasesOfPatients", "{ " + strings.Join(aliases, " ") + " }"},
		{"EveryPatientWithoutFirst", "{ patients { edges { node { givenName familyName phone } } } }"},
		{"NestedWithoutFirst", "{ queues(first: 10) { edges { node { tickets { edges { node { code } } } } } } }"},
		{"HugeFirst", "{ tickets(first: 1000000) { edges { node { code patient { phone } } } } }"},
		{"ThousandNodes", `{ nodes(ids: ["` + strings.Join(manyIDs, `","`) + `"]) { id ... on Ticket { code patient { phone } } } }`},
	}
	for _, q := range refused {
		var times []time.Duration
		var why string
		reads := s.countReads(t, func() {
			for range 15 {
				start := time.Now()
				r := s.gql(t, h.admin, q.query, nil)
				times = append(times, time.Since(start))
				require.Equal(t, "BAD_USER_INPUT", r.code(), "%s: %s", q.name, r.Raw)
				require.Empty(t, r.Data, q.name)
				why = r.Errors[0].Message
			}
		})
		require.Zero(t, reads, "%s: refused only after reading the database", q.name)
		slices.Sort(times)
		t.Logf("refused %-24s median %6.2f ms, max %6.2f ms over %d runs, %d SQL statements: %s",
			q.name, ms(times[len(times)/2]), ms(times[len(times)-1]), len(times), reads, why)
	}

	// The most the limits let through: full pages, the widest selection, aliased up to the complexity
	// limit (each alias is 100 tickets with their patient and queue: 1+1+100×(1+13+4+2) = 2002 points).
	const ticketFields = "id code status triageLevel seq serviceDay checkedInAt arrivedAt targetAt calledAt endedAt recallCount statusToken"
	worst := make([]string, 4)
	for i := range worst {
		worst[i] = fmt.Sprintf("t%d: tickets(first: 100, after: null, orderBy: {field: CHECKED_IN_AT}) { edges { node { %s patient { givenName familyName phone } queue { name } } } }", i, ticketFields)
	}
	var times []time.Duration
	var bytes int
	reads := s.countReads(t, func() {
		for range 5 {
			start := time.Now()
			r := s.gql(t, h.admin, "{ "+strings.Join(worst, " ")+" }", nil)
			times = append(times, time.Since(start))
			require.Empty(t, r.Errors, r.Raw)
			bytes = len(r.Raw)
		}
	})
	require.Positive(t, reads, "the statement counter sees the allowed query") // so the zeros above mean something
	slices.Sort(times)
	t.Logf("allowed worst case: %d tickets with patient and queue, %d bytes, median %.1f ms over %d runs, %d SQL statements a run",
		len(worst)*100, bytes, ms(times[len(times)/2]), len(times), reads/int64(len(times)))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// seedVisits gives the hospital boundsPatients patients with boundsTicketsPerPatient past visits each,
// spread over its two open queues, written straight to the database (the workflows would take minutes)
// in one transaction: a commit per patient made the seeding most of the test's time under -race.
func seedVisits(t *testing.T, s *testServer, h *hospital) {
	t.Helper()
	db, err := store.Open(t.Context(), s.env["DATABASE_URL"], s.env["SQLITE_PATH"])
	require.NoError(t, err)
	defer db.Close()
	tx, err := db.Ent.Tx(t.Context())
	require.NoError(t, err)
	defer func() { _ = tx.Rollback() }() // after a failed require; a no-op after the commit
	client := tx.Client()
	queues := []pulid.ID{pulid.ID(h.triage), pulid.ID(h.lab)}
	for i := range boundsPatients {
		p := testfactory.Patient(t.Context(), t, client, &testfactory.PatientOpts{
			FacilityID: pulid.ID(h.facility), FamilyName: fmt.Sprintf("Family %d", i), Phone: testfactory.Phone(),
		})
		testfactory.Tickets(t.Context(), t, client, boundsTicketsPerPatient, &testfactory.TicketOpts{
			QueueID: queues[i%2], PatientID: p.ID, Status: ticket.StatusCOMPLETED,
			CheckedInAt: time.Now().Add(-time.Duration(i%30+1) * 24 * time.Hour),
		})
	}
	require.NoError(t, tx.Commit())
}
