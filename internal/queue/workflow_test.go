package queue_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/ent/ticketevent"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
)

func TestCallNextConcurrentIsAtomicAndOrdered(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		sys := auth.SystemContext(context.Background())
		const n, callers = 500, 8
		levels := []string{"IMMEDIATE", "VERY_URGENT", "URGENT", "STANDARD", "NON_URGENT"}
		p := f.patient(t, "Many")
		// Insert the waiting line directly: varied levels, arrival times and deadlines, so the TRIAGE order
		// differs from arrival order.
		base := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
		builders := make([]*ent.TicketCreate, n)
		var entries []queue.Entry
		for i := range n {
			lv := queue.Level(levels[(i*7)%5])
			in := base.Add(time.Duration((i*37)%n) * time.Minute)
			due := queue.Deadline(in, nil, lv, queue.DefaultTargets())
			builders[i] = f.client.Ticket.Create().SetQueueID(f.triage.ID).SetPatientID(p.ID).
				SetServiceDay("2026-11-25").SetSeq(i + 1).SetCode(queue.FormatCode("E", i+1)).
				SetTriageLevel(enum.TriageLevel(lv)).SetCheckedInAt(in).SetArrivedAt(in).SetTargetAt(due).
				SetStatusToken("tok-" + queue.FormatCode("E", i+1))
		}
		created := f.client.Ticket.CreateBulk(builders...).SaveX(auth.WithAction(sys, "CHECK_IN"))
		for _, tk := range created {
			entries = append(entries, queue.Entry{ID: string(tk.ID), Level: queue.Level(tk.TriageLevel), CheckedInAt: tk.CheckedInAt, Deadline: tk.TargetAt})
		}
		queue.Sort(queue.PolicyTriage, entries)
		startVersion := f.version(t, f.triage)

		var mu sync.Mutex
		var called []*ent.Ticket
		var wg sync.WaitGroup
		errs := make(chan error, callers)
		for range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					tk, err := f.svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID)
					if cqerr.CodeOf(err) == cqerr.Unavailable {
						// A lock is not fair (SQLite's write lock, the queue's gate): on a loaded 2-core
						// machine one of 8 callers can wait past the lock wait and get nothing done. A
						// client retries that call; the invariants below are what this test is about.
						continue
					}
					if err != nil {
						errs <- err
						return
					}
					if tk == nil {
						return
					}
					mu.Lock()
					called = append(called, tk)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}

		require.Len(t, called, n, "every ticket called")
		seen := map[pulid.ID]bool{}
		for _, tk := range called {
			require.False(t, seen[tk.ID], "ticket %s called twice", tk.Code)
			seen[tk.ID] = true
		}
		// called_at comes from a clock read under the queue lock: sorting by it gives commit order.
		byCall := make([]*ent.Ticket, len(called))
		copy(byCall, called)
		sortByCalledAt(byCall)
		for i, tk := range byCall {
			require.Equal(t, entries[i].ID, string(tk.ID), "call %d out of order", i+1)
		}
		require.Equal(t, startVersion+n, f.version(t, f.triage), "one version per call, no gaps")
		left, err := f.svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID)
		require.NoError(t, err)
		require.Nil(t, left, "nobody left")
		require.Equal(t, startVersion+n, f.version(t, f.triage), "an empty call changes nothing")
	})
}

func sortByCalledAt(ts []*ent.Ticket) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].CalledAt.Before(*ts[j-1].CalledAt); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

func TestWorkflows(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)

		t.Run("CheckInGivesDailyCodesAndPositions", func(t *testing.T) {
			a := f.checkIn(t, f.fifo, "STANDARD")
			b := f.checkIn(t, f.fifo, "STANDARD")
			require.Equal(t, "L-001", a.Code)
			require.Equal(t, "L-002", b.Code)
			require.Equal(t, "2026-11-25", a.ServiceDay)
			require.Equal(t, ticket.StatusWAITING, a.Status)
			require.NotEmpty(t, a.StatusToken)
			pos, wait, err := f.svc.TicketPosition(context.Background(), b)
			require.NoError(t, err)
			require.Equal(t, 2, *pos)
			require.Equal(t, 0, *wait, "one ahead and two open rooms, both free: called at once")
		})

		t.Run("CallsHighestPriorityFirst", func(t *testing.T) {
			std := f.checkIn(t, f.triage, "STANDARD")
			urgent := f.checkIn(t, f.triage, "VERY_URGENT")
			got, err := f.svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID)
			require.NoError(t, err)
			require.Equal(t, urgent.ID, got.ID)
			require.Equal(t, ticket.StatusCALLED, got.Status)
			require.Equal(t, f.room1.ID, got.ServicePointID)
			got, err = f.svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID)
			require.NoError(t, err)
			require.Equal(t, std.ID, got.ID)
		})

		t.Run("FullLifeAndEvents", func(t *testing.T) {
			f.checkIn(t, f.triage, "URGENT")
			before := f.events.n.Load()
			tk, err := f.svc.CallNext(f.clinician, queue.NoKey, f.triage.ID, f.room1.ID)
			require.NoError(t, err)
			tk, err = f.svc.RecallTicket(f.clinician, queue.NoKey, tk.ID)
			require.NoError(t, err)
			require.Equal(t, 1, tk.RecallCount)
			tk, err = f.svc.StartService(f.clinician, queue.NoKey, tk.ID)
			require.NoError(t, err)
			require.Equal(t, ticket.StatusIN_SERVICE, tk.Status)
			tk, err = f.svc.CompleteTicket(f.clinician, queue.NoKey, tk.ID, ptrTo("seen"))
			require.NoError(t, err)
			require.Equal(t, ticket.StatusCOMPLETED, tk.Status)
			require.NotNil(t, tk.EndedAt)
			require.Equal(t, before+4, f.events.n.Load(), "one event per committed change")
			sys := auth.SystemContext(context.Background())
			require.Equal(t, 5, f.client.TicketEvent.Query().Where(ticketevent.TicketID(tk.ID)).CountX(sys), "check-in, call, recall, start, complete")
			require.Positive(t, f.client.AuditEntry.Query().CountX(sys))
		})

		t.Run("ErrCompletingWaitingTicket", func(t *testing.T) {
			tk := f.checkIn(t, f.fifo, "STANDARD")
			v := f.version(t, f.fifo)
			_, err := f.svc.CompleteTicket(f.clinician, queue.NoKey, tk.ID, nil)
			require.Equal(t, cqerr.Conflict, cqerr.CodeOf(err))
			require.Contains(t, cqerr.MessageOf(err), tk.Code)
			require.Equal(t, v, f.version(t, f.fifo), "a refused change bumps no version")
			again := f.client.Ticket.GetX(auth.SystemContext(context.Background()), tk.ID)
			require.Equal(t, ticket.StatusWAITING, again.Status)
		})

		t.Run("TransferOpensLinkedTicket", func(t *testing.T) {
			tk := f.checkIn(t, f.triage, "STANDARD")
			next, err := f.svc.TransferTicket(f.reception, queue.NoKey, tk.ID, f.fifo.ID, nil)
			require.NoError(t, err)
			require.Equal(t, f.fifo.ID, next.QueueID)
			require.Equal(t, tk.ID, next.PreviousID)
			require.Equal(t, ticket.SourceTRANSFER, next.Source)
			old := f.client.Ticket.GetX(auth.SystemContext(context.Background()), tk.ID)
			require.Equal(t, ticket.StatusTRANSFERRED, old.Status)
		})

		t.Run("RetriageMovesDeadline", func(t *testing.T) {
			tk := f.checkIn(t, f.triage, "NON_URGENT")
			re, err := f.svc.RetriageTicket(f.reception, queue.NoKey, tk.ID, enum.TriageLevelVeryUrgent, nil)
			require.NoError(t, err)
			require.Equal(t, tk.CheckedInAt.Add(10*time.Minute).UTC(), re.TargetAt.UTC())
		})

		t.Run("IdempotentWorkflowCalls", func(t *testing.T) {
			sys := auth.SystemContext(context.Background())
			f.clearWaiting(t, f.fifo)
			a := f.checkIn(t, f.fifo, "STANDARD")
			b := f.checkIn(t, f.fifo, "STANDARD")

			called, err := f.svc.CallNext(f.clinician, queue.NewKey("call-1"), f.fifo.ID, f.room1.ID)
			require.NoError(t, err)
			require.Equal(t, a.ID, called.ID)
			v := f.version(t, f.fifo)
			again, err := f.svc.CallNext(f.clinician, queue.NewKey("call-1"), f.fifo.ID, f.room1.ID)
			require.NoError(t, err)
			require.Equal(t, a.ID, again.ID, "the replay returns the ticket the first call called")
			require.Equal(t, v, f.version(t, f.fifo), "and changes nothing")
			require.Equal(t, ticket.StatusWAITING, f.client.Ticket.GetX(sys, b.ID).Status, "nobody else is called")

			_, err = f.svc.StartService(f.clinician, queue.NewKey("start-1"), a.ID)
			require.NoError(t, err)
			done, err := f.svc.CompleteTicket(f.clinician, queue.NewKey("done-1"), a.ID, nil)
			require.NoError(t, err)
			replayed, err := f.svc.StartService(f.clinician, queue.NewKey("start-1"), a.ID)
			require.NoError(t, err, "a replayed start after completion is not a conflict")
			require.Equal(t, ticket.StatusCOMPLETED, replayed.Status, "it returns the ticket as it is now")
			again, err = f.svc.CompleteTicket(f.clinician, queue.NewKey("done-1"), a.ID, nil)
			require.NoError(t, err)
			require.Equal(t, done.ID, again.ID)
			_, err = f.svc.MarkNoShow(f.clinician, queue.NewKey("done-1"), a.ID)
			require.Equal(t, cqerr.Conflict, cqerr.CodeOf(err), "same key, another action")

			moved, err := f.svc.TransferTicket(f.reception, queue.KeyOf(ptrTo("move-1")), b.ID, f.triage.ID, nil)
			require.NoError(t, err)
			movedAgain, err := f.svc.TransferTicket(f.reception, queue.KeyOf(ptrTo("move-1")), b.ID, f.triage.ID, nil)
			require.NoError(t, err)
			require.Equal(t, moved.ID, movedAgain.ID, "one new ticket")

			_, err = f.svc.RecallTicket(f.clinician, queue.NewKey(strings.Repeat("k", queue.MaxKeyLen+1)), a.ID)
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err))
			_, err = f.svc.RecallTicket(f.clinician, queue.NewKey(""), a.ID)
			require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err))
		})

		t.Run("KeysBelongToOneActorActionTargetAndArguments", func(t *testing.T) {
			sys := auth.SystemContext(context.Background())
			f.clearWaiting(t, f.fifo)
			a := f.checkIn(t, f.fifo, "STANDARD")
			b := f.checkIn(t, f.triage, "STANDARD")
			key := queue.NewKey("shared-key")

			called, err := f.svc.CallNext(f.clinician, key, f.fifo.ID, f.room1.ID)
			require.NoError(t, err)
			require.Equal(t, a.ID, called.ID)
			v := f.version(t, f.triage)
			_, err = f.svc.CallNext(f.clinician, key, f.triage.ID, f.room1.ID)
			require.Equal(t, cqerr.Conflict, cqerr.CodeOf(err), "same key and action on another queue is refused, not answered with the first queue's ticket")
			require.Equal(t, ticket.StatusWAITING, f.client.Ticket.GetX(sys, b.ID).Status, "and calls nobody")
			require.Equal(t, v, f.version(t, f.triage), "the refused call rolled back, version bump and all")
			_, err = f.svc.CallNext(f.clinician, key, f.fifo.ID, f.room2.ID)
			require.Equal(t, cqerr.Conflict, cqerr.CodeOf(err), "same key and target, other arguments")

			// Another actor's key with the same text is theirs: their call runs.
			u := f.client.User.Create().SetName("Other").SetEmail("other-clinician@test").SetRole(user.RoleCLINICIAN).
				SetFacilityID(f.facility.ID).SaveX(sys)
			other := auth.NewContext(context.Background(), auth.Viewer{UserID: u.ID, Role: auth.RoleClinician, FacilityID: f.facility.ID})
			c := f.checkIn(t, f.fifo, "STANDARD")
			theirs, err := f.svc.CallNext(other, key, f.fifo.ID, f.room2.ID)
			require.NoError(t, err)
			require.Equal(t, c.ID, theirs.ID)

			d := f.checkIn(t, f.fifo, "STANDARD")
			_, err = f.svc.CancelTicket(f.reception, queue.NewKey("cancel-d"), d.ID, "left")
			require.NoError(t, err)
			_, err = f.svc.CancelTicket(f.reception, queue.NewKey("cancel-d"), d.ID, "another reason")
			require.Equal(t, cqerr.Conflict, cqerr.CodeOf(err), "same key, action and ticket, other arguments")

			// After the window the key is forgotten: the same key calls the next patient.
			e := f.checkIn(t, f.fifo, "STANDARD")
			f.clock.advance(queue.KeyWindow + time.Minute)
			later, err := f.svc.CallNext(f.clinician, key, f.fifo.ID, f.room1.ID)
			require.NoError(t, err)
			require.Equal(t, e.ID, later.ID)
			f.clock.advance(queue.KeyWindow + time.Minute)
			n, err := f.svc.PruneKeys(context.Background())
			require.NoError(t, err)
			require.Positive(t, n)
			n, err = f.svc.PruneKeys(context.Background())
			require.NoError(t, err)
			require.Zero(t, n)

			// The periodic job does the same.
			_, err = f.svc.CancelTicket(f.reception, queue.NewKey("cancel-e"), e.ID, "left")
			require.NoError(t, err)
			require.Positive(t, f.client.IdempotencyKey.Query().CountX(sys))
			f.clock.advance(queue.KeyWindow + time.Minute)
			require.NoError(t, queue.NewPruneKeysWorker(f.svc).Work(context.Background(), &river.Job[queue.PruneKeysArgs]{}))
			require.Zero(t, f.client.IdempotencyKey.Query().CountX(sys))
		})

		t.Run("IdempotentCheckIn", func(t *testing.T) {
			p := f.patient(t, "Retry")
			in := queue.CheckInInput{QueueID: f.fifo.ID, PatientID: &p.ID, IdempotencyKey: ptrTo("kiosk-42-attempt")}
			key := queue.KeyOf(in.IdempotencyKey)
			first, err := f.svc.CheckIn(f.reception, key, in)
			require.NoError(t, err)
			v := f.version(t, f.fifo)
			sys := auth.SystemContext(context.Background())
			count := f.client.Ticket.Query().CountX(sys)
			second, err := f.svc.CheckIn(f.reception, key, in)
			require.NoError(t, err)
			require.Equal(t, first.ID, second.ID)
			require.Equal(t, count, f.client.Ticket.Query().CountX(sys), "nothing created")
			require.Equal(t, v, f.version(t, f.fifo), "nothing changed")
			in.QueueID = f.triage.ID
			_, err = f.svc.CheckIn(f.reception, key, in)
			require.Equal(t, cqerr.Conflict, cqerr.CodeOf(err), "same key, other queue")
		})
	})
}
