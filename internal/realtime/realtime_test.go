package realtime_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/inmem"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/realtime"
	cqredis "github.com/carequeue/carequeue/internal/redis"
	"github.com/carequeue/carequeue/internal/redis/redistest"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// go-redis keeps a pool reaper per client until the client closes; tests close theirs.
		goleak.IgnoreTopFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"),
		goleak.IgnoreTopFunction("database/sql.(*DB).connectionOpener"),
	)
}

// replica is one server replica's realtime part: its own ent client (with a statement counter), queue
// service and Live on a broker.
type replica struct {
	svc   *queue.Service
	live  *realtime.Live
	reads atomic.Int64
}

func newReplica(t *testing.T, ctx context.Context, db *store.DB, broker realtime.Broker) *replica {
	t.Helper()
	return newReplicaEvery(t, ctx, db, broker, 500*time.Millisecond)
}

func newReplicaEvery(t *testing.T, ctx context.Context, db *store.DB, broker realtime.Broker, resync time.Duration) *replica {
	t.Helper()
	return newReplicaWith(t, ctx, db, broker, realtime.Options{ResyncEvery: resync})
}

func newReplicaWith(t *testing.T, ctx context.Context, db *store.DB, broker realtime.Broker, opts realtime.Options) *replica {
	t.Helper()
	r := &replica{}
	// The replica reads through a client that counts its statements.
	counted := *db
	counted.Ent = db.Client(ent.Debug(), ent.Log(func(...any) { r.reads.Add(1) }))
	r.svc = queue.NewService(&counted, queue.Options{Publisher: realtime.Publisher{Broker: broker}})
	r.live = realtime.New(broker, r.svc, opts)
	done := make(chan struct{})
	go func() { defer close(done); _ = r.live.Run(ctx) }()
	t.Cleanup(func() { <-done })
	return r
}

type hospital struct {
	db        *store.DB
	q         *ent.Queue
	room      *ent.ServicePoint
	clinician context.Context
	tickets   []*ent.Ticket
}

func newHospital(t *testing.T, d store.Dialect, waiting int) *hospital {
	t.Helper()
	db := storetest.NewMigratedDB(t, d, migrations.FS)
	ctx := context.Background()
	small := testfactory.SmallHospital(ctx, t, db.Client(), &testfactory.HospitalOpts{
		Queue: testfactory.QueueOpts{Ordering: entqueue.OrderingFIFO},
	})
	return &hospital{db: db, q: small.Queue, room: small.ServicePoint,
		clinician: testfactory.As(ctx, small.Clinician),
		tickets: testfactory.Tickets(ctx, t, db.Client(), waiting, &testfactory.TicketOpts{
			QueueID: small.Queue.ID, CheckedInAt: time.Now().Add(-time.Hour),
		}),
	}
}

// await reads from ch until pred holds.
func await[T any](t *testing.T, ch <-chan T, pred func(T) bool) T {
	t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case v, ok := <-ch:
			require.True(t, ok, "subscription ended")
			if pred(v) {
				return v
			}
		case <-timeout:
			t.Fatal("no matching update in time")
		}
	}
}

// TestFanOutCostIsConstant: a thousand watchers of one queue cost the replica the same SQL statements
// per change as ten.
func TestFanOutCostIsConstant(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			h := newHospital(t, d, 1001)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			// No periodic check here: it would add its statement to whichever change it falls into.
			r := newReplicaEvery(t, ctx, h.db, inmem.NewBroker(1024), time.Hour)
			costOfOneCall := func(watchers int) int64 {
				subCtx, stop := context.WithCancel(h.clinician)
				defer stop()
				chans := make([]<-chan *queue.TicketUpdate, watchers)
				for i := range watchers {
					ch, err := r.live.TicketChanged(subCtx, h.tickets[len(h.tickets)-1-i].ID)
					require.NoError(t, err)
					chans[i] = ch
				}
				first := <-chans[0]
				// Let the fresh topic's first full read finish before measuring.
				for last := int64(-1); last != r.reads.Load(); {
					last = r.reads.Load()
					time.Sleep(300 * time.Millisecond)
				}
				r.reads.Store(0)
				_, err := r.svc.CallNext(h.clinician, queue.NoKey, h.q.ID, h.room.ID)
				require.NoError(t, err)
				for _, ch := range chans {
					await(t, ch, func(u *queue.TicketUpdate) bool { return u.Version > first.Version })
				}
				return r.reads.Load()
			}
			ten := costOfOneCall(10)
			thousand := costOfOneCall(1000)
			t.Logf("statements per change: %d with 10 watchers, %d with 1000", ten, thousand)
			require.Equal(t, ten, thousand)
			require.LessOrEqual(t, thousand, int64(12))
		})
	}
}

// TestReplicasShareChangesThroughRedis: a call on replica A reaches a watcher on replica B, and after
// Redis drops their subscription connections the watchers converge to the right positions.
func TestReplicasShareChangesThroughRedis(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			rc := redistest.Client(t)
			// The replicas' own client, named, so that only their subscriptions are dropped below.
			named, name := redistest.NamedClient(t, rc)
			prefix := redistest.Prefix(t, rc) + ":"
			h := newHospital(t, d, 6)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			a := newReplica(t, ctx, h.db, cqredis.NewBroker(named, prefix, nil))
			b := newReplica(t, ctx, h.db, cqredis.NewBroker(named, prefix, nil))

			last := h.tickets[5]
			onB, err := b.live.TicketChanged(h.clinician, last.ID)
			require.NoError(t, err)
			require.Equal(t, 6, *(<-onB).Position)
			board, err := b.live.BoardChanged(h.clinician, h.q.DepartmentID)
			require.NoError(t, err)
			require.Equal(t, 6, (<-board).WaitingCount)

			_, err = a.svc.CallNext(h.clinician, queue.NoKey, h.q.ID, h.room.ID)
			require.NoError(t, err)
			u := await(t, onB, func(u *queue.TicketUpdate) bool { return *u.Position == 5 })
			require.Equal(t, ticket.StatusWAITING, u.Ticket.Status)
			await(t, board, func(b *queue.Board) bool { return b.WaitingCount == 5 && len(b.NowCalling) == 1 })

			t.Run("ConvergesAfterRedisDropsSubscriptions", func(t *testing.T) {
				redistest.KillSubscriptions(t, rc, name)
				// These changes are published while the subscribers reconnect: some are lost.
				for range 3 {
					_, err := a.svc.CallNext(h.clinician, queue.NoKey, h.q.ID, h.room.ID)
					require.NoError(t, err)
				}
				await(t, onB, func(u *queue.TicketUpdate) bool { return u.Position != nil && *u.Position == 2 })
				await(t, board, func(b *queue.Board) bool { return b.WaitingCount == 2 })
			})
		})
	}
}

// TestPatientCannotFollowAnotherPatientsTicket: the subscription is refused with FORBIDDEN.
func TestPatientCannotFollowAnotherPatientsTicket(t *testing.T) {
	t.Parallel()
	h := newHospital(t, store.SQLite, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := newReplica(t, ctx, h.db, inmem.NewBroker(16))
	stranger := auth.NewContext(context.Background(), auth.Viewer{UserID: "US01JDSTRANGER0000000000000", Role: auth.RolePatient})
	_, err := r.live.TicketChanged(stranger, h.tickets[0].ID)
	require.Error(t, err)
	require.Contains(t, err.Error(), "FORBIDDEN")
	_, err = r.live.QueueChanged(stranger, h.q.ID)
	require.ErrorContains(t, err, "FORBIDDEN")
}

// TestIdleBoardSendsNothing: the periodic refresh re-reads a watched board, but a watcher gets nothing
// while the board stays the same, over several periods; a change reaches it once.
func TestIdleBoardSendsNothing(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			h := newHospital(t, d, 2)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			const period = 40 * time.Millisecond
			r := newReplicaEvery(t, ctx, h.db, inmem.NewBroker(64), period)
			board, err := r.live.BoardChanged(h.clinician, h.q.DepartmentID)
			require.NoError(t, err)
			require.Equal(t, 2, (<-board).WaitingCount)
			quiet := func(what string) {
				t.Helper()
				before := r.reads.Load()
				select {
				case b := <-board:
					t.Fatalf("%s: an unchanged board was sent again (waiting %d)", what, b.WaitingCount)
				case <-time.After(8 * period):
				}
				require.Greater(t, r.reads.Load(), before, "%s: the refresh did read the board", what)
			}
			quiet("after subscribing")

			_, err = r.svc.CallNext(h.clinician, queue.NoKey, h.q.ID, h.room.ID)
			require.NoError(t, err)
			b := await(t, board, func(*queue.Board) bool { return true })
			require.Equal(t, 1, b.WaitingCount, "the change arrives, as one message")
			require.Len(t, b.NowCalling, 1)
			quiet("after the change")

			// A change that leaves the board's own entries as they were (a re-triage) is still sent:
			// a watcher may select more through the board (the department's needs attention).
			reason := "worse"
			_, err = r.svc.RetriageTicket(h.clinician, queue.NoKey, h.tickets[1].ID, enum.TriageLevelVeryUrgent, &reason)
			require.NoError(t, err)
			b = await(t, board, func(*queue.Board) bool { return true })
			require.Equal(t, 1, b.WaitingCount, "the board reads as before, and is sent")
			quiet("after the re-triage")
		})
	}
}

// TestIdleWatchersReceiveNothing: for every kind of subscription, a watcher gets its state once, then
// nothing over several periodic version checks while nothing changes (the checks do run); a change
// reaches each kind once, and the quiet resumes.
func TestIdleWatchersReceiveNothing(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			h := newHospital(t, d, 3)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			const period = 40 * time.Millisecond
			r := newReplicaEvery(t, ctx, h.db, inmem.NewBroker(64), period)
			last := h.tickets[len(h.tickets)-1]
			staff, stop := context.WithCancel(h.clinician)
			anyone, stopAnyone := context.WithCancel(ctx)
			var ended sync.WaitGroup
			defer ended.Wait() // every channel closes once its subscription ends
			defer stopAnyone()
			defer stop()

			queueCh, err := r.live.QueueChanged(staff, h.q.ID)
			require.NoError(t, err)
			ticketCh, err := r.live.TicketChanged(staff, last.ID)
			require.NoError(t, err)
			publicCh, err := r.live.PublicTicketStatus(anyone, last.StatusToken)
			require.NoError(t, err)
			boardCh, err := r.live.BoardChanged(staff, h.q.DepartmentID)
			require.NoError(t, err)
			// Each kind's channel as a count of what arrives on it.
			counts := map[string]*atomic.Int64{"queueChanged": {}, "ticketChanged": {}, "publicTicketStatus": {}, "boardChanged": {}}
			count := func(name string, n func() bool) {
				ended.Go(func() {
					for n() {
						counts[name].Add(1)
					}
				})
			}
			count("queueChanged", func() bool { _, ok := <-queueCh; return ok })
			count("ticketChanged", func() bool { _, ok := <-ticketCh; return ok })
			count("publicTicketStatus", func() bool { _, ok := <-publicCh; return ok })
			count("boardChanged", func() bool { _, ok := <-boardCh; return ok })
			expect := func(what string, n int64) {
				t.Helper()
				require.Eventually(t, func() bool {
					for _, c := range counts {
						if c.Load() < n {
							return false
						}
					}
					return true
				}, 10*time.Second, 5*time.Millisecond, "%s: every kind gets its message", what)
				before := r.reads.Load()
				time.Sleep(8 * period)
				require.Greater(t, r.reads.Load(), before, "%s: the periodic checks ran", what)
				for name, c := range counts {
					require.Equal(t, n, c.Load(), "%s: %s sent something while nothing changed", what, name)
				}
			}
			expect("after subscribing", 1)

			_, err = r.svc.CallNext(h.clinician, queue.NoKey, h.q.ID, h.room.ID)
			require.NoError(t, err)
			expect("after one change", 2)
		})
	}
}
