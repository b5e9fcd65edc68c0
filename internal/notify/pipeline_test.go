package notify_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/device"
	"github.com/carequeue/carequeue/ent/notification"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

func TestPipeline(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			testPipeline(t, d)
		})
	}
}

func testPipeline(t *testing.T, d store.Dialect) {
	t.Run("CheckInSendsOneSMSWithCodeAndStatusLink", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		tk := f.checkIn(t, f.patient(t, "+14155550100"))
		f.settle(t)

		got := f.twilio.received()
		require.Len(t, got, 1)
		require.Equal(t, "+14155550100", got[0].to)
		require.Contains(t, got[0].body, tk.Code)
		require.Contains(t, got[0].body, publicURL+"/t/"+tk.StatusToken)
		rows := f.notifications(t, tk, notify.CheckedIn)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSENT, rows[0].Status)
		require.Equal(t, notification.ChannelSMS, rows[0].Channel)
		require.Equal(t, fmt.Sprintf("SM%032d", 0), rows[0].ProviderID)
		require.Equal(t, 1, rows[0].Attempts)
		require.Equal(t, []string{"completed"}, f.jobStates(t))
	})

	t.Run("NoProviderReadsAsLoggedNeverSent", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d, func(o *notify.Options) { o.SMS, o.Push = nil, nil })
		tk := f.checkIn(t, f.patient(t, "+14155550100"))
		f.settle(t)
		rows := f.notifications(t, tk, notify.CheckedIn)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusLOGGED, rows[0].Status)
		require.Equal(t, notification.ChannelLOG, rows[0].Channel)
		require.Contains(t, rows[0].Error, "no provider configured")
		require.Nil(t, rows[0].SentAt, "nothing was sent")
		require.Equal(t, []string{"completed"}, f.jobStates(t), "not retried")
	})
	t.Run("LoggedPushStillFallsBackToSMS", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d, func(o *notify.Options) { o.Push = nil })
		p := f.patient(t, "+14155550100")
		f.client.Device.Create().SetPlatform(device.PlatformANDROID).SetPushToken("phone").SetPatientID(p.ID).ExecX(sys)
		tk := f.checkIn(t, p)
		f.settle(t)
		require.Len(t, f.twilio.received(), 1, "the SMS went out")
		rows := f.notifications(t, tk, notify.CheckedIn)
		require.Len(t, rows, 2)
		got := map[notification.Channel]notification.Status{}
		for _, n := range rows {
			got[n.Channel] = n.Status
		}
		require.Equal(t, map[notification.Channel]notification.Status{
			notification.ChannelLOG: notification.StatusLOGGED, notification.ChannelSMS: notification.StatusSENT,
		}, got)
	})
	t.Run("RolledBackWorkflowEnqueuesNothing", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		p := f.patient(t, "+14155550100")
		boom := errors.New("workflow failed after the insert")
		err := f.db.InTx(sys, func(ctx context.Context, tx *store.Tx) error {
			tk := testfactory.Ticket(ctx, t, tx.Client, &testfactory.TicketOpts{QueueID: f.queue.ID, PatientID: p.ID})
			require.NoError(t, f.enq.TicketChanged(ctx, tx, 1, tk, queue.ActionCheckIn))
			return boom
		})
		require.ErrorIs(t, err, boom)
		var n int
		require.NoError(t, f.db.SQL.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM river_job").Scan(&n))
		require.Zero(t, n)
		time.Sleep(200 * time.Millisecond) // a worker that could see a job would have sent by now
		require.Empty(t, f.twilio.received())
	})

	t.Run("AheadMessageOncePerTicket", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		var tks []*ent.Ticket
		for i := range 5 {
			tks = append(tks, f.checkIn(t, f.patient(t, fmt.Sprintf("+1415555010%d", i))))
		}
		f.settle(t)
		f.client.Queue.UpdateOneID(f.queue.ID).SetNotifyAhead(3).ExecX(sys)
		require.Equal(t, tks[0].ID, f.callNext(t).ID)
		f.settle(t)
		require.Equal(t, tks[1].ID, f.callNext(t).ID)
		f.settle(t)

		want := []int{0, 1, 1, 1, 1} // the first was called before anyone was told; then 2-4, then 5
		for i, tk := range tks {
			rows := f.notifications(t, tk, notify.Ahead)
			require.Len(t, rows, want[i], "ahead messages of ticket %d", i+1)
			for _, r := range rows {
				require.Equal(t, notification.StatusSENT, r.Status)
			}
			require.Equal(t, want[i] == 1, f.client.Ticket.GetX(sys, tk.ID).NotifiedAhead)
		}
		require.Len(t, f.twilio.received(), 5+2+4, "check-ins, calls, ahead messages")
	})

	t.Run("ArrivalNearTheFrontGetsOneMessage", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		f.client.Queue.UpdateOneID(f.queue.ID).SetNotifyAhead(3).ExecX(sys)
		var tks []*ent.Ticket
		for i := range 5 {
			tks = append(tks, f.checkIn(t, f.patient(t, fmt.Sprintf("+1415555020%d", i))))
			f.settle(t)
		}
		for i, tk := range tks {
			require.Empty(t, f.notifications(t, tk, notify.Ahead), "ticket %d: its check-in message gave its position", i+1)
			require.Equal(t, i < 3, f.client.Ticket.GetX(sys, tk.ID).NotifiedAhead, "ticket %d", i+1)
		}
		f.callNext(t)
		f.settle(t)
		require.Len(t, f.notifications(t, tks[3], notify.Ahead), 1, "the fourth moves up to third")
		require.Empty(t, f.notifications(t, tks[4], notify.Ahead))
		require.Len(t, f.twilio.received(), 5+1+1, "check-ins, the call, one ahead message")
	})

	t.Run("SpanishPatientGetsSpanish", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		tk := f.checkIn(t, f.patient(t, "+14155550100", func(o *testfactory.PatientOpts) { o.Language = "es-MX" }))
		f.settle(t) // a call before the check-in message ran would drop it as no longer true
		f.callNext(t)
		f.settle(t)
		got := f.twilio.received()
		require.Len(t, got, 2)
		require.Contains(t, got[0].body, "Turno "+tk.Code+" registrado")
		require.Contains(t, got[1].body, tk.Code)
		require.Contains(t, got[1].body, "Room 3")
		require.Equal(t, got[1].body, notify.Render(notify.Message{Kind: notify.Called, Language: "es", Code: tk.Code,
			ServicePoint: "Room 3", QueueName: "Lab", StatusURL: publicURL + "/t/" + tk.StatusToken}))
	})

	t.Run("OptedOutIsSkipped", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		tk := f.checkIn(t, f.patient(t, "+14155550100", func(o *testfactory.PatientOpts) { o.NoSMS = true }))
		f.settle(t)
		require.Empty(t, f.twilio.received())
		rows := f.notifications(t, tk, notify.CheckedIn)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSKIPPED, rows[0].Status)
		require.Contains(t, rows[0].Error, "opted out")
	})

	t.Run("ServerErrorIsRetriedAndSentOnce", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		f.twilio.setReply(func(n int) (int, string) {
			if n == 0 {
				return http.StatusInternalServerError, `{"code":20500,"message":"Internal Server Error","status":500}`
			}
			return http.StatusCreated, `{"sid":"SMok","status":"queued"}`
		})
		tk := f.checkIn(t, f.patient(t, "+14155550100"))
		f.settle(t)
		require.Len(t, f.twilio.received(), 2)
		rows := f.notifications(t, tk, notify.CheckedIn)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSENT, rows[0].Status)
		require.Equal(t, "SMok", rows[0].ProviderID)
		require.Equal(t, 2, rows[0].Attempts)
		require.Equal(t, []string{"completed"}, f.jobStates(t))
	})

	t.Run("OutageIsRiddenOutAndSentOnce", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		// Twilio answers 503 to every try but the last allowed one (a minute-long outage at the
		// production retry spacing, see TestRetryPolicy; milliseconds here).
		f.twilio.setReply(func(n int) (int, string) {
			if n < notify.MaxAttempts-1 {
				return http.StatusServiceUnavailable, `{"code":20503,"message":"Service Unavailable","status":503}`
			}
			return http.StatusCreated, `{"sid":"SMlast","status":"queued"}`
		})
		tk := f.checkIn(t, f.patient(t, "+14155550100"))
		f.settle(t)
		require.Len(t, f.twilio.received(), notify.MaxAttempts)
		rows := f.notifications(t, tk, notify.CheckedIn)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSENT, rows[0].Status)
		require.Equal(t, notify.MaxAttempts, rows[0].Attempts)
		require.Equal(t, []string{"completed"}, f.jobStates(t))
	})

	t.Run("DeviceOfTheAccountGetsPushForAnyOfItsRecords", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		account := testfactory.User(t.Context(), t, f.client, &testfactory.UserOpts{Role: user.RolePATIENT})
		ofAccount := func(o *testfactory.PatientOpts) { o.AccountID = account.ID }
		first := f.patient(t, "+14155550100", ofAccount)
		second := f.patient(t, "+14155550100", ofAccount)
		f.client.Device.Create().SetPlatform(device.PlatformANDROID).SetPushToken("phone").SetPatientID(first.ID).ExecX(sys)
		tk := f.checkIn(t, second)
		f.settle(t)
		require.Equal(t, []string{"phone"}, f.push.sent())
		require.Empty(t, f.twilio.received())
		rows := f.notifications(t, tk, notify.CheckedIn)
		require.Len(t, rows, 1)
		require.Equal(t, notification.ChannelPUSH, rows[0].Channel)
	})

	t.Run("RejectedNumberFailsWithoutRetry", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		f.twilio.setReply(func(int) (int, string) {
			return http.StatusBadRequest, `{"code":21211,"message":"The 'To' number is not a valid phone number.","status":400}`
		})
		tk := f.checkIn(t, f.patient(t, "+14155550100"))
		f.settle(t)
		require.Len(t, f.twilio.received(), 1)
		rows := f.notifications(t, tk, notify.CheckedIn)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusFAILED, rows[0].Status)
		require.Contains(t, rows[0].Error, "21211")
		require.Equal(t, 1, rows[0].Attempts)
		require.Equal(t, []string{"cancelled"}, f.jobStates(t))
	})

	t.Run("LateMessageIsDroppedAsStale", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		f.late.Store(int64(notify.DefaultDeadline + time.Minute))
		tk := f.checkIn(t, f.patient(t, "+14155550100"))
		f.settle(t)
		require.Empty(t, f.twilio.received())
		rows := f.notifications(t, tk, notify.CheckedIn)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSTALE, rows[0].Status)
		require.Equal(t, []string{"cancelled"}, f.jobStates(t))
	})

	t.Run("MessageNoLongerTrueIsDroppedAsStale", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		tk := f.checkIn(t, f.patient(t, "+14155550100"))
		f.settle(t)
		// A "called" message for a ticket that is waiting (as when a call is undone before the job runs).
		require.NoError(t, f.db.InTx(sys, func(ctx context.Context, tx *store.Tx) error {
			return f.enq.TicketChanged(ctx, tx, int(tx.Client.Queue.GetX(ctx, f.queue.ID).Version), tk, queue.ActionCall)
		}))
		f.settle(t)
		require.Len(t, f.twilio.received(), 1, "the check-in message only")
		rows := f.notifications(t, tk, notify.Called)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSTALE, rows[0].Status)
		require.Contains(t, rows[0].Error, "WAITING")
		require.Equal(t, []string{"completed", "cancelled"}, f.jobStates(t))
	})

	t.Run("UnregisteredDeviceIsRemovedAndSMSFallsBack", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		p := f.patient(t, "+14155550100")
		dead := f.client.Device.Create().SetPlatform(device.PlatformANDROID).SetPushToken("dead").SetPatientID(p.ID).SaveX(sys)
		tk := f.checkIn(t, p)
		f.settle(t)
		require.Equal(t, []string{"dead"}, f.push.sent())
		require.False(t, f.client.Device.Query().Where(device.ID(dead.ID)).ExistX(sys), "device removed")
		require.Len(t, f.twilio.received(), 1)
		rows := f.notifications(t, tk, notify.CheckedIn) // ordered by channel: PUSH, SMS
		require.Len(t, rows, 2)
		require.Equal(t, notification.ChannelPUSH, rows[0].Channel)
		require.Equal(t, notification.StatusFAILED, rows[0].Status)
		require.Contains(t, rows[0].Error, "unregistered")
		require.Equal(t, notification.StatusSENT, rows[1].Status)
	})

	t.Run("PushDeliveredSendsNoSMS", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		p := f.patient(t, "+14155550100")
		f.client.Device.Create().SetPlatform(device.PlatformIOS).SetPushToken("good").SetPatientID(p.ID).ExecX(sys)
		tk := f.checkIn(t, p)
		f.settle(t)
		f.callNext(t)
		f.settle(t)
		require.Equal(t, []string{"good", "good"}, f.push.sent())
		require.Empty(t, f.twilio.received())
		rows := f.notifications(t, tk, notify.Called)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSENT, rows[0].Status)
		require.Equal(t, "projects/p/messages/good", rows[0].ProviderID)
		require.Equal(t, ticket.StatusCALLED, f.client.Ticket.GetX(sys, tk.ID).Status)
	})

	t.Run("TransferMessagesOnlyTheNewTicket", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		pharmacy := testfactory.Queue(t.Context(), t, f.client, &testfactory.QueueOpts{DepartmentID: f.queue.DepartmentID,
			Name: "Pharmacy", Prefix: "P", Ordering: entqueue.OrderingFIFO, NotifyAhead: new(0)})
		old := f.checkIn(t, f.patient(t, "+14155550100"))
		f.settle(t)
		moved, err := f.svc.TransferTicket(f.clinician, queue.NoKey, old.ID, pharmacy.ID, nil)
		require.NoError(t, err)
		f.settle(t)
		require.Empty(t, f.notifications(t, old, notify.Transferred))
		rows := f.notifications(t, moved, notify.Transferred)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSENT, rows[0].Status)
		got := f.twilio.received()
		require.Len(t, got, 2)
		require.Contains(t, got[1].body, moved.Code)
	})

	t.Run("CancelSendsCancelled", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		tk := f.checkIn(t, f.patient(t, "+14155550100"))
		f.settle(t)
		_, err := f.svc.CancelTicket(f.reception, queue.NoKey, tk.ID, "left")
		require.NoError(t, err)
		f.settle(t)
		rows := f.notifications(t, tk, notify.Cancelled)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSENT, rows[0].Status)
		require.Len(t, f.twilio.received(), 2)
	})
}
