package notify_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

const wardPhone = "+447700900999"

// TestStaffAnnouncements runs the escalation job's work (EscalateOverdue, AnnounceWarnings) as the
// worker does, against the real notification pipeline and the fake Twilio.
func TestStaffAnnouncements(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			testStaffAnnouncements(t, d)
		})
	}
}

// waitingSince checks a patient without a phone (so patients get no SMS) into q ago ago, by a service
// whose clock runs that far behind, as if they had waited that long.
func (f *fixture) waitingSince(t *testing.T, q *ent.Queue, ago time.Duration, level ...enum.TriageLevel) *ent.Ticket {
	t.Helper()
	in := queue.CheckInInput{QueueID: q.ID, PatientID: &f.patient(t, "").ID}
	if len(level) > 0 {
		in.TriageLevel = &level[0]
	}
	past := queue.NewService(f.db, queue.Options{Jobs: f.enq, Now: func() time.Time { return time.Now().Add(-ago) }})
	tk, err := past.CheckIn(f.reception, queue.NoKey, in)
	require.NoError(t, err)
	return tk
}

// escalate runs one escalation and waits for the jobs it caused.
func (f *fixture) escalate(t *testing.T) int {
	t.Helper()
	n, err := f.svc.EscalateOverdue(context.Background())
	require.NoError(t, err)
	f.settle(t)
	return n
}

// staffRows returns the Notification rows of a staff message kind, oldest first.
func (f *fixture) staffRows(t *testing.T, kind string) []*ent.Notification {
	t.Helper()
	return f.client.Notification.Query().Where(notification.Kind(kind)).Order(ent.Asc(notification.FieldCreatedAt), ent.Asc(notification.FieldID)).AllX(sys)
}

func testStaffAnnouncements(t *testing.T, d store.Dialect) {
	// withContact gives the fixture's department (Emergency) the ward phone and its queue a 4 h maximum.
	withContact := func(t *testing.T) *fixture {
		t.Helper()
		f := newFixture(t, d)
		f.client.Department.UpdateOneID(f.queue.DepartmentID).SetEscalationPhone(wardPhone).ExecX(sys)
		f.queue = f.client.Queue.UpdateOne(f.queue).SetMaxWaitMinutes(240).SaveX(sys)
		return f
	}

	t.Run("OneSMSPerDepartmentAndRunNoRepeat", func(t *testing.T) {
		t.Parallel()
		f := withContact(t)
		// A second queue of the same department with another maximum, and a department without a contact.
		minors := testfactory.Queue(context.Background(), t, f.client, &testfactory.QueueOpts{DepartmentID: f.queue.DepartmentID, Name: "Minors", Prefix: "M", NotifyAhead: new(0)})
		outpatients := testfactory.Queue(context.Background(), t, f.client, &testfactory.QueueOpts{
			DepartmentID: testfactory.Department(context.Background(), t, f.client, &testfactory.DepartmentOpts{FacilityID: f.facility.ID, Name: "Outpatients"}).ID,
			Name:         "Clinic", Prefix: "O", NotifyAhead: new(0),
		})
		f.client.Queue.UpdateOne(outpatients).SetMaxWaitMinutes(60).ExecX(sys)

		first := f.waitingSince(t, f.queue, 4*time.Hour+12*time.Minute+30*time.Second)
		second := f.waitingSince(t, f.queue, 4*time.Hour+2*time.Minute+30*time.Second)
		f.waitingSince(t, f.queue, time.Hour)
		other := f.waitingSince(t, minors, 6*time.Hour+5*time.Minute+30*time.Second) // past Minors' default 6 h
		f.waitingSince(t, outpatients, 2*time.Hour)
		f.settle(t)
		require.Empty(t, f.twilio.received(), "the patients have no phone: nothing so far")

		require.Equal(t, 4, f.escalate(t), "three in Emergency, one in Outpatients")
		got := f.twilio.received()
		require.Len(t, got, 1, "one SMS for Emergency, none for Outpatients (no contact)")
		require.Equal(t, wardPhone, got[0].to)
		require.Equal(t, "CareQueue Emergency: 3 patients waited past their queue's maximum wait: "+
			other.Code+" (6 h 5 min), "+first.Code+" (4 h 12 min), "+second.Code+" (4 h 2 min). Open the Needs attention list.", got[0].body)
		rows := f.staffRows(t, notify.Escalated)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSENT, rows[0].Status)
		require.Equal(t, notification.ChannelSMS, rows[0].Channel)
		require.Equal(t, got[0].body, rows[0].Body)
		require.NotEmpty(t, rows[0].ProviderID, "delivery reports find the row by it")
		require.Equal(t, 1, rows[0].Attempts)
		require.Empty(t, rows[0].PatientID)

		require.Zero(t, f.escalate(t), "the next run finds nobody new")
		require.Len(t, f.twilio.received(), 1, "and sends nothing")

		later := f.waitingSince(t, f.queue, 5*time.Hour+30*time.Second)
		require.Equal(t, 1, f.escalate(t))
		got = f.twilio.received()
		require.Len(t, got, 2)
		require.Equal(t, "CareQueue Emergency: 1 patient waited past the 4 h maximum: "+later.Code+" (5 h). Open the Needs attention list.", got[1].body)
	})

	t.Run("InTheFacilitysLanguage", func(t *testing.T) {
		t.Parallel()
		f := withContact(t)
		f.client.Facility.UpdateOne(f.facility).SetLanguage("es").ExecX(sys)
		tk := f.waitingSince(t, f.queue, 4*time.Hour+12*time.Minute+30*time.Second)
		require.Equal(t, 1, f.escalate(t))
		got := f.twilio.received()
		require.Len(t, got, 1)
		require.Equal(t, "CareQueue Emergency: 1 paciente ha superado el tope de espera de 4 h: "+tk.Code+" (4 h 12 min). Revise el panel de avisos.", got[0].body)
	})

	t.Run("NoContactNoSMS", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		f.client.Queue.UpdateOne(f.queue).SetMaxWaitMinutes(30).ExecX(sys)
		f.waitingSince(t, f.queue, time.Hour)
		require.Equal(t, 1, f.escalate(t))
		require.Empty(t, f.twilio.received())
		require.Empty(t, f.staffRows(t, notify.Escalated))
		var jobs int
		require.NoError(t, f.db.SQL.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM river_job WHERE kind = 'notify_escalation'").Scan(&jobs))
		require.Zero(t, jobs, "nothing is queued for a department nobody can be told in")
	})

	t.Run("ServerErrorIsRetriedAndSentOnce", func(t *testing.T) {
		t.Parallel()
		f := withContact(t)
		f.twilio.setReply(func(n int) (int, string) {
			if n == 0 {
				return http.StatusInternalServerError, `{"code":20500,"message":"Internal Server Error","status":500}`
			}
			return http.StatusCreated, `{"sid":"SMok","status":"queued"}`
		})
		f.waitingSince(t, f.queue, 5*time.Hour)
		require.Equal(t, 1, f.escalate(t))
		require.Len(t, f.twilio.received(), 2, "the failed try and the retry")
		rows := f.staffRows(t, notify.Escalated)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSENT, rows[0].Status)
		require.Equal(t, "SMok", rows[0].ProviderID)
		require.Equal(t, 2, rows[0].Attempts)
	})

	t.Run("RescuedJobSendsOnce", func(t *testing.T) {
		t.Parallel()
		f := withContact(t)
		f.waitingSince(t, f.queue, 5*time.Hour)
		require.Equal(t, 1, f.escalate(t))
		require.Len(t, f.twilio.received(), 1)
		// As if the worker had crashed after sending but before River recorded the job's completion.
		_, err := f.db.SQL.ExecContext(t.Context(), "UPDATE river_job SET state = 'available', finalized_at = NULL WHERE kind = 'notify_escalation'")
		require.NoError(t, err)
		f.settle(t)
		require.Len(t, f.twilio.received(), 1, "the row of the first run says it was sent")
		require.Len(t, f.staffRows(t, notify.Escalated), 1)
	})

	t.Run("LateSMSIsDroppedAsStale", func(t *testing.T) {
		t.Parallel()
		f := withContact(t)
		f.late.Store(int64(time.Hour)) // hold the job back: it is STALE, not sent, when it is this late
		f.waitingSince(t, f.queue, 5*time.Hour)
		require.Equal(t, 1, f.escalate(t))
		require.Empty(t, f.twilio.received())
		rows := f.staffRows(t, notify.Escalated)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSTALE, rows[0].Status)
	})

	t.Run("UrgentShareStartIsAnnouncedOnce", func(t *testing.T) {
		t.Parallel()
		f := withContact(t)
		f.client.Queue.UpdateOne(f.queue).SetUrgentShareLimitPercent(60).ExecX(sys)
		for range queue.MinShareServed {
			f.waitingSince(t, f.queue, time.Minute, enum.TriageLevelVeryUrgent)
		}
		f.waitingSince(t, f.queue, time.Minute)
		announce := func() int {
			n, err := f.svc.AnnounceWarnings(context.Background())
			require.NoError(t, err)
			f.settle(t)
			return n
		}
		// FIFO: the very urgent patients one after another, the last still at the service point, so the
		// urgent group holds all the service time; until MinShareServed of them, that is no share.
		for i := range queue.MinShareServed {
			tk := f.callNext(t)
			time.Sleep(5 * time.Millisecond) // some service time, all of it urgent
			if i < queue.MinShareServed-1 {
				require.Zero(t, announce(), "%d served: too few for a share", i+1)
				_, err := f.svc.StartService(f.clinician, queue.NoKey, tk.ID)
				require.NoError(t, err)
				_, err = f.svc.CompleteTicket(f.clinician, queue.NoKey, tk.ID, nil)
				require.NoError(t, err)
			}
		}
		f.settle(t)
		require.Empty(t, f.twilio.received())
		require.Equal(t, 1, announce())
		got := f.twilio.received()
		require.Len(t, got, 1)
		require.Equal(t, wardPhone, got[0].to)
		require.Equal(t, "CareQueue Emergency: in Lab, urgent patients took 100% of the last hour's service time (limit 60%). Others may be waiting long: check the queue.", got[0].body)
		require.Zero(t, announce(), "still on: not news")
		require.Len(t, f.twilio.received(), 1)
		rows := f.staffRows(t, notify.UrgentShareHigh)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSENT, rows[0].Status)

		// The warning goes off (the limit is raised) and on again within the hour: recorded, not re-sent.
		f.client.Queue.UpdateOne(f.queue).SetUrgentShareLimitPercent(100).ExecX(sys)
		require.Zero(t, announce())
		require.Nil(t, f.client.Queue.GetX(sys, f.queue.ID).UrgentShareHighSince)
		f.client.Queue.UpdateOne(f.queue).SetUrgentShareLimitPercent(60).ExecX(sys)
		require.Zero(t, announce())
		require.NotNil(t, f.client.Queue.GetX(sys, f.queue.ID).UrgentShareHighSince)
		require.Len(t, f.twilio.received(), 1)
	})
}
