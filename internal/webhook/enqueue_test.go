package webhook_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
	"github.com/carequeue/carequeue/internal/webhook"
)

// failAfter enqueues the deliveries as the server does, then fails the workflow: its transaction, with
// the jobs just inserted, must roll back.
type failAfter struct{ inner *webhook.Enqueuer }

func (f failAfter) TicketEventRecorded(ctx context.Context, tx *store.Tx, facilityID string, t *ent.Ticket, ev *ent.TicketEvent) error {
	if err := f.inner.TicketEventRecorded(ctx, tx, facilityID, t, ev); err != nil {
		return err
	}
	return errors.New("the workflow fails after its deliveries were enqueued")
}

// hospitalWithEndpoint is a migrated database with a small hospital whose facility has one endpoint
// subscribed to check-ins, and an insert-only job client (nothing is sent).
func hospitalWithEndpoint(tb testing.TB, d store.Dialect) (*store.DB, *jobs.Client, *testfactory.Hospital) {
	db := storetest.NewMigratedDB(tb, d, migrations.FS)
	require.NoError(tb, jobs.Migrate(tb.Context(), db))
	jc, err := jobs.New(db, jobs.Options{})
	require.NoError(tb, err)
	ctx := context.Background()
	h := testfactory.SmallHospital(ctx, tb, db.Ent, nil)
	_, err = db.Ent.WebhookEndpoint.Create().SetFacilityID(h.Facility.ID).SetURL("https://ehr.example.org/h").
		SetEvents([]enum.WebhookEvent{enum.WebhookTicketCheckedIn}).SetSecretSalt("salt").SetSecretRotatedAt(h.Facility.CreatedAt).
		Save(auth.SystemContext(ctx))
	require.NoError(tb, err)
	return db, jc, h
}

// TestDeliveriesJoinTheWorkflowTransaction: a rolled-back workflow leaves no delivery job; a committed
// one leaves one per subscribed endpoint and event.
func TestDeliveriesJoinTheWorkflowTransaction(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db, jc, h := hospitalWithEndpoint(t, d)
			ctx := context.Background()
			reception := testfactory.As(ctx, h.Receptionist)
			deliveries := func() (n int) {
				require.NoError(t, db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM river_job WHERE kind = 'webhook_deliver'").Scan(&n))
				return n
			}
			p := testfactory.Patient(ctx, t, db.Ent, &testfactory.PatientOpts{FacilityID: h.Facility.ID})

			failing := queue.NewService(db, queue.Options{Events: failAfter{webhook.NewEnqueuer(jc, nil)}})
			_, err := failing.CheckIn(reception, queue.NoKey, queue.CheckInInput{QueueID: h.Queue.ID, PatientID: &p.ID})
			require.Error(t, err)
			require.Zero(t, deliveries(), "a rolled-back workflow sends nothing")
			n, err := db.Ent.Ticket.Query().Count(auth.SystemContext(ctx))
			require.NoError(t, err)
			require.Zero(t, n)

			ok := queue.NewService(db, queue.Options{Events: webhook.NewEnqueuer(jc, nil)})
			_, err = ok.CheckIn(reception, queue.NoKey, queue.CheckInInput{QueueID: h.Queue.ID, PatientID: &p.ID})
			require.NoError(t, err)
			require.Equal(t, 1, deliveries(), "a committed one always has its delivery")
		})
	}
}

// BenchmarkCheckInWithEndpoints measures a check-in in a facility with one subscribed endpoint, its
// endpoints read by a query per event ("query") or from the cache ("cached").
func BenchmarkCheckInWithEndpoints(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		for _, mode := range []struct {
			name  string
			cache *webhook.EndpointCache
		}{{"query", nil}, {"cached", webhook.NewEndpointCache(webhook.CacheTTL, nil)}} {
			b.Run(string(d)+"/"+mode.name, func(b *testing.B) {
				db, jc, h := hospitalWithEndpoint(b, d)
				ctx := context.Background()
				patients := make([]pulid.ID, b.N)
				for i := range patients {
					patients[i] = testfactory.Patient(ctx, b, db.Ent, &testfactory.PatientOpts{FacilityID: h.Facility.ID}).ID
				}
				svc := queue.NewService(db, queue.Options{Events: webhook.NewEnqueuer(jc, mode.cache)})
				reception := testfactory.As(ctx, h.Receptionist)
				b.ResetTimer()
				for i := range b.N {
					_, err := svc.CheckIn(reception, queue.NoKey, queue.CheckInInput{QueueID: h.Queue.ID, PatientID: &patients[i]})
					require.NoError(b, err)
				}
			})
		}
	}
}
