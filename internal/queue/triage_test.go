package queue_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/ent/ticketevent"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/testfactory"
)

// TestAwaitingTriage: kiosk and app check-ins into a TRIAGE queue wait, visibly, for triage at the
// queue's self_check_in_level; staff check-ins and FIFO queues are triaged as they come; retriageTicket
// clears the state, even at the same level.
func TestAwaitingTriage(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.SystemContext(context.Background())
		// An ED queue that takes app check-in and orders untriaged arrivals as URGENT.
		ed := testfactory.Queue(ctx, t, f.client, &testfactory.QueueOpts{DepartmentID: f.dept.ID, Name: "Walk-in ED",
			Prefix: "W", Ordering: entqueue.OrderingTRIAGE_DEADLINE_AWARE, SelfCheckIn: true})
		ed = f.client.Queue.UpdateOne(ed).SetSelfCheckInLevel(enum.TriageLevelUrgent).SaveX(sys)
		require.Equal(t, enum.TriageLevelStandard, f.triage.SelfCheckInLevel, "STANDARD by default")
		bloods := testfactory.Queue(ctx, t, f.client, &testfactory.QueueOpts{DepartmentID: f.dept.ID, Name: "Blood tests",
			Prefix: "B", Ordering: entqueue.OrderingFIFO, SelfCheckIn: true})
		kiosk := testfactory.As(ctx, testfactory.User(ctx, t, f.client, &testfactory.UserOpts{Role: user.RoleKIOSK, FacilityID: f.facility.ID}))
		dob := time.Date(1980, 4, 30, 0, 0, 0, 0, time.UTC)

		atKiosk := func(t *testing.T, q *ent.Queue) *ent.Ticket {
			t.Helper()
			p := testfactory.Patient(ctx, t, f.client, &testfactory.PatientOpts{FacilityID: f.facility.ID, Phone: testfactory.Phone(), DateOfBirth: &dob})
			kt, err := f.svc.KioskCheckIn(kiosk, queue.KioskInput{Phone: &p.Phone, DateOfBirth: ptrTo("1980-04-30"), QueueID: &q.ID})
			require.NoError(t, err)
			return f.client.Ticket.Query().Where(ticket.StatusToken(kt.StatusToken)).OnlyX(sys)
		}
		fromApp := func(t *testing.T, q *ent.Queue) *ent.Ticket {
			t.Helper()
			u := testfactory.User(ctx, t, f.client, &testfactory.UserOpts{Role: user.RolePATIENT})
			p := testfactory.Patient(ctx, t, f.client, &testfactory.PatientOpts{FacilityID: f.facility.ID, AccountID: u.ID})
			// The app sends the default level (STANDARD); a patient's level is not a triage.
			tk, err := f.svc.CheckIn(testfactory.As(ctx, u), queue.NoKey, queue.CheckInInput{QueueID: q.ID, PatientID: &p.ID,
				TriageLevel: ptrTo(enum.TriageLevelStandard)})
			require.NoError(t, err)
			return tk
		}
		byStaff := func(t *testing.T, q *ent.Queue) *ent.Ticket {
			t.Helper()
			p := f.patient(t, "Staff")
			tk, err := f.svc.CheckIn(f.reception, queue.NoKey, queue.CheckInInput{QueueID: q.ID, PatientID: &p.ID,
				TriageLevel: ptrTo(enum.TriageLevelNonUrgent), Source: ptrTo(ticket.SourceKIOSK)})
			require.NoError(t, err)
			return tk
		}

		for _, tc := range []struct {
			name     string
			checkIn  func(t *testing.T, q *ent.Queue) *ent.Ticket
			queue    *ent.Queue
			awaiting bool
			level    enum.TriageLevel
		}{
			{"KioskIntoTriageQueue", atKiosk, f.triage, true, enum.TriageLevelStandard},
			{"KioskIntoDeadlineAwareQueueAtItsLevel", atKiosk, ed, true, enum.TriageLevelUrgent},
			{"AppIntoTriageQueueAtItsLevel", fromApp, ed, true, enum.TriageLevelUrgent},
			{"KioskIntoFIFOQueue", atKiosk, bloods, false, enum.TriageLevelStandard},
			{"AppIntoFIFOQueue", fromApp, bloods, false, enum.TriageLevelStandard},
			{"StaffCheckInIsTriagedWhateverTheSource", byStaff, ed, false, enum.TriageLevelNonUrgent},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tk := tc.checkIn(t, tc.queue)
				require.Equal(t, tc.awaiting, tk.AwaitingTriage)
				require.Equal(t, tc.level, tk.TriageLevel)
				require.Equal(t, tk.CheckedInAt, tk.ArrivedAt)
				require.Equal(t, queue.Deadline(tk.ArrivedAt, nil, queue.Level(tc.level), queue.TargetsOf(tc.queue)).UTC(), tk.TargetAt.UTC(),
					"ordered as the level it carries")
			})
		}

		t.Run("RetriageAtTheSameLevelConfirms", func(t *testing.T) {
			tk := atKiosk(t, ed)
			require.True(t, tk.AwaitingTriage)
			re, err := f.svc.RetriageTicket(f.clinician, queue.NoKey, tk.ID, enum.TriageLevelUrgent, nil)
			require.NoError(t, err)
			require.False(t, re.AwaitingTriage)
			require.Equal(t, enum.TriageLevelUrgent, re.TriageLevel)
			require.Equal(t, tk.TargetAt.UTC(), re.TargetAt.UTC())
		})

		t.Run("ListedAsNeedingAttentionUntilTriaged", func(t *testing.T) {
			tk := atKiosk(t, f.triage)
			reasonOf := func() queue.AttentionReason {
				items, err := f.svc.NeedsAttention(f.reception, f.dept.ID)
				require.NoError(t, err)
				for _, it := range items {
					if it.Ticket.ID == tk.ID {
						return it.Reason
					}
				}
				return ""
			}
			require.Equal(t, queue.AttentionAwaitingTriage, reasonOf())
			_, err := f.svc.RetriageTicket(f.reception, queue.NoKey, tk.ID, enum.TriageLevelStandard, ptrTo("seen at reception"))
			require.NoError(t, err)
			require.Empty(t, reasonOf(), "triaged: nothing left to prompt")
		})

		t.Run("TransferWithoutLevelStaysUntriaged", func(t *testing.T) {
			tk := atKiosk(t, f.triage)
			moved, err := f.svc.TransferTicket(f.reception, queue.NoKey, tk.ID, ed.ID, nil)
			require.NoError(t, err)
			require.True(t, moved.AwaitingTriage, "moving a patient is not triaging them")
			require.Equal(t, enum.TriageLevelUrgent, moved.TriageLevel, "ordered as the new queue's self check-in level")

			tk = atKiosk(t, f.triage)
			moved, err = f.svc.TransferTicket(f.reception, queue.NoKey, tk.ID, ed.ID, ptrTo(enum.TriageLevelVeryUrgent))
			require.NoError(t, err)
			require.False(t, moved.AwaitingTriage, "a level given with the transfer is a triage")
			require.Equal(t, enum.TriageLevelVeryUrgent, moved.TriageLevel)
		})
	})
}

// TestRetriageRecords: a re-triage records who, why, and the level before and after.
func TestRetriageRecords(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		sys := auth.SystemContext(context.Background())
		events := func(t *testing.T, tk *ent.Ticket) []*ent.TicketEvent {
			t.Helper()
			return f.client.TicketEvent.Query().Where(ticketevent.TicketID(tk.ID), ticketevent.ActionEQ(enum.ActionRetriage)).
				Order(ent.Asc(ticketevent.FieldAt)).AllX(sys)
		}

		t.Run("WhoWhyFromAndTo", func(t *testing.T) {
			tk := f.checkIn(t, f.triage, "STANDARD")
			_, err := f.svc.RetriageTicket(f.clinician, queue.NoKey, tk.ID, enum.TriageLevelVeryUrgent, ptrTo("chest pain on exertion"))
			require.NoError(t, err)
			_, err = f.svc.RetriageTicket(f.reception, queue.NoKey, tk.ID, enum.TriageLevelVeryUrgent, ptrTo(""))
			require.NoError(t, err)
			es := events(t, tk)
			require.Len(t, es, 2)
			clinician, _ := auth.FromContext(f.clinician)
			reception, _ := auth.FromContext(f.reception)
			require.Equal(t, string(clinician.UserID), es[0].ActorID)
			require.Equal(t, enum.TriageLevelStandard, *es[0].FromTriageLevel)
			require.Equal(t, "VERY_URGENT", es[0].TriageLevel)
			require.Equal(t, "chest pain on exertion", *es[0].Reason)
			require.Equal(t, string(reception.UserID), es[1].ActorID)
			require.Equal(t, enum.TriageLevelVeryUrgent, *es[1].FromTriageLevel, "a confirmation records the same level")
			require.Nil(t, es[1].Reason, "an empty reason is none")
		})

		t.Run("OtherEventsHaveNoFromLevel", func(t *testing.T) {
			tk := f.checkIn(t, f.triage, "URGENT")
			e := f.client.TicketEvent.Query().Where(ticketevent.TicketID(tk.ID)).OnlyX(sys)
			require.Equal(t, enum.ActionCheckIn, e.Action)
			require.Nil(t, e.FromTriageLevel)
			require.Nil(t, e.Reason)
		})

		t.Run("ReasonUpTo500Characters", func(t *testing.T) {
			tk := f.checkIn(t, f.triage, "STANDARD")
			long := strings.Repeat("é", queue.MaxRetriageReason) // 1000 bytes, 500 characters
			_, err := f.svc.RetriageTicket(f.clinician, queue.NoKey, tk.ID, enum.TriageLevelUrgent, &long)
			require.NoError(t, err)

			before := f.version(t, f.triage)
			tooLong := long + "x"
			_, err = f.svc.RetriageTicket(f.clinician, queue.NoKey, tk.ID, enum.TriageLevelStandard, &tooLong)
			var e *cqerr.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, cqerr.BadUserInput, e.Code)
			require.Equal(t, "reason", e.Field)
			require.Equal(t, before, f.version(t, f.triage), "nothing changed")
			require.Equal(t, enum.TriageLevelUrgent, f.client.Ticket.GetX(sys, tk.ID).TriageLevel)
		})
	})
}

// TestTransferKeepsArrival: a transfer continues the visit, so the target clock keeps counting from the
// first arrival, unless the target queue says a transfer is a new arrival.
func TestTransferKeepsArrival(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.SystemContext(context.Background())
		xray := testfactory.Queue(ctx, t, f.client, &testfactory.QueueOpts{DepartmentID: f.dept.ID, Name: "X-ray", Prefix: "X"})
		restart := testfactory.Queue(ctx, t, f.client, &testfactory.QueueOpts{DepartmentID: f.dept.ID, Name: "Fracture clinic", Prefix: "F"})
		restart = f.client.Queue.UpdateOne(restart).SetTransferKeepsArrival(false).SaveX(sys)
		require.True(t, xray.TransferKeepsArrival, "on by default")

		tk := f.checkIn(t, f.triage, "URGENT")
		require.Equal(t, tk.CheckedInAt, tk.ArrivedAt)
		f.clock.advance(45 * time.Minute)
		inXray, err := f.svc.TransferTicket(f.reception, queue.NoKey, tk.ID, xray.ID, nil)
		require.NoError(t, err)
		require.Equal(t, tk.ArrivedAt.UTC(), inXray.ArrivedAt.UTC(), "the visit's arrival")
		require.True(t, inXray.CheckedInAt.After(tk.CheckedInAt.Add(44*time.Minute)), "checked in to X-ray now")
		require.Equal(t, tk.ArrivedAt.Add(60*time.Minute).UTC(), inXray.TargetAt.UTC(), "URGENT's hour counts from arrival")

		f.clock.advance(30 * time.Minute)
		again, err := f.svc.TransferTicket(f.reception, queue.NoKey, inXray.ID, f.fifo.ID, ptrTo(enum.TriageLevelStandard))
		require.NoError(t, err)
		require.Equal(t, tk.ArrivedAt.UTC(), again.ArrivedAt.UTC(), "kept along a chain of transfers")
		require.Equal(t, tk.ArrivedAt.Add(120*time.Minute).UTC(), again.TargetAt.UTC())

		re, err := f.svc.RetriageTicket(f.clinician, queue.NoKey, again.ID, enum.TriageLevelVeryUrgent, nil)
		require.NoError(t, err)
		require.Equal(t, tk.ArrivedAt.Add(10*time.Minute).UTC(), re.TargetAt.UTC(), "a re-triage counts from arrival too")

		t.Run("MaxWaitCountsFromArrival", func(t *testing.T) {
			first := f.checkIn(t, f.triage, "NON_URGENT")
			f.clock.advance(5 * time.Hour)
			moved, err := f.svc.TransferTicket(f.reception, queue.NoKey, first.ID, xray.ID, nil)
			require.NoError(t, err)
			f.clock.advance(61 * time.Minute) // 6 h 1 min since arrival, 61 min since the transfer
			_, err = f.svc.EscalateOverdue(context.Background())
			require.NoError(t, err)
			require.NotNil(t, f.client.Ticket.GetX(sys, moved.ID).EscalatedAt, "past the 6-hour maximum since arrival")
		})

		f.clock.advance(5 * time.Minute)
		fresh, err := f.svc.TransferTicket(f.reception, queue.NoKey, again.ID, restart.ID, nil)
		require.NoError(t, err)
		require.Equal(t, fresh.CheckedInAt.UTC(), fresh.ArrivedAt.UTC(), "this queue starts the clock again")
		require.Equal(t, fresh.CheckedInAt.Add(10*time.Minute).UTC(), fresh.TargetAt.UTC())
	})
}
