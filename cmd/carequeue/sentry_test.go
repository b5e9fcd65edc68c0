package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/sentry/sentrytest"
	"github.com/carequeue/carequeue/internal/store"
)

// TestSentryReceivesScrubbedInternalErrors points SENTRY_DSN at a local fake Sentry, breaks the
// database under a running server (a table the check-in writes is renamed away) and checks a patient
// in: the INTERNAL error arrives as one event tagged with the release, the environment and the request
// id, and nothing of the patient, the request's variables or the access token is in it. A caller's
// mistake (BAD_USER_INPUT) sends nothing.
func TestSentryReceivesScrubbedInternalErrors(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		fake := sentrytest.New(t)
		s := startServerWith(t, d, map[string]string{"SENTRY_DSN": fake.DSN, "SENTRY_ENVIRONMENT": "staging"})
		h := setupHospital(t, s)

		bad := s.gql(t, h.reception, `mutation($q:ID!){ checkIn(input:{queueID:$q, patientID:"not-an-id"}){ id } }`, map[string]any{"q": h.triage})
		require.NotEqual(t, "INTERNAL", bad.code(), bad.Raw)

		db, err := store.Open(t.Context(), s.env["DATABASE_URL"], s.env["SQLITE_PATH"])
		require.NoError(t, err)
		_, err = db.SQL.ExecContext(t.Context(), `ALTER TABLE ticket_events RENAME TO ticket_events_gone`)
		require.NoError(t, err)
		require.NoError(t, db.Close())

		res := checkInFailing(t, s, h)
		requestID := res.Header.Get("X-Request-Id")
		require.NoError(t, s.stop()) // flushes the reporter

		events := fake.Events()
		require.Len(t, events, 1, "one INTERNAL error, and nothing for the caller's mistake")
		e := events[0]
		require.Equal(t, "staging", e.JSON["environment"])
		require.Equal(t, buildVersion(), e.JSON["release"])
		tags, _ := e.JSON["tags"].(map[string]any)
		require.Equal(t, requestID, tags["request_id"])
		require.NotEmpty(t, e.JSON["exception"])
		for _, secret := range append(tracedPatientData, h.reception, testSecret, "Bearer") {
			require.NotContains(t, e.Envelope, secret)
		}
	})
}

// checkInFailing checks tracedPatient in on a broken database and expects INTERNAL.
func checkInFailing(t *testing.T, s *testServer, h *hospital) *http.Response {
	t.Helper()
	res, body := postCheckIn(t, s, h, nil)
	require.Contains(t, body, `"INTERNAL"`, body)
	return res
}
