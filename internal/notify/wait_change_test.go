package notify_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/device"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

func TestWaitChangeMessages(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			testWaitChangeMessages(t, d)
		})
	}
}

// withHistory gives the fixture's queue six services of 8 to 14 minutes in the last two hours, so
// its waiting tickets have a range rather than "not enough data yet".
func withHistory(t *testing.T, f *fixture) {
	t.Helper()
	start := time.Now().Add(-2 * time.Hour)
	for i, took := range []int{10, 12, 8, 14, 11, 9} {
		called := start.Add(time.Duration(i) * 15 * time.Minute)
		ended := called.Add(time.Duration(took) * time.Minute)
		testfactory.Ticket(t.Context(), t, f.client, &testfactory.TicketOpts{
			QueueID: f.queue.ID, Status: ticket.StatusCOMPLETED, CheckedInAt: called.Add(-5 * time.Minute),
			CalledAt: &called, StartedAt: &called, EndedAt: &ended, ServicePointID: f.room.ID,
		})
	}
}

// tell rewrites what ticket tk's patient was last told, as if a message had said "low–high min"
// minutesAgo.
func (f *fixture) tell(t *testing.T, tk *ent.Ticket, minutesAgo, low, high int) {
	t.Helper()
	f.client.Ticket.UpdateOneID(tk.ID).SetWaitToldAt(time.Now().Add(-time.Duration(minutesAgo) * time.Minute)).
		SetWaitToldLow(low).SetWaitToldHigh(high).ExecX(sys)
}

// place is where tk stands now, as the workers read it.
func (f *fixture) place(t *testing.T, tk *ent.Ticket) queue.Place {
	t.Helper()
	p, err := f.svc.TicketPlace(sys, f.client.Ticket.GetX(sys, tk.ID))
	require.NoError(t, err)
	return p
}

func testWaitChangeMessages(t *testing.T, d store.Dialect) {
	// setup checks five patients in behind the history and lets their check-in messages go.
	setup := func(t *testing.T) (*fixture, []*ent.Ticket) {
		t.Helper()
		f := newFixture(t, d)
		withHistory(t, f)
		var tks []*ent.Ticket
		for i := range 5 {
			tks = append(tks, f.checkIn(t, f.patient(t, fmt.Sprintf("+1415555030%d", i))))
		}
		f.settle(t)
		return f, tks
	}
	// change is a queue change that leaves the first five where they are: one more check-in behind them.
	change := func(t *testing.T, f *fixture) {
		t.Helper()
		f.checkIn(t, f.patient(t, "+14155550399"))
		f.settle(t)
	}
	waitChanged := func(t *testing.T, f *fixture) []sms {
		t.Helper()
		var out []sms
		for _, m := range f.twilio.received() {
			if strings.Contains(m.body, "your wait has changed") {
				out = append(out, m)
			}
		}
		return out
	}

	t.Run("CheckInTellsTheRangeAndRemembersIt", func(t *testing.T) {
		t.Parallel()
		f, tks := setup(t)
		last := f.client.Ticket.GetX(sys, tks[4].ID)
		require.NotNil(t, last.WaitToldAt, "the check-in message told a range")
		require.Positive(t, last.WaitToldHigh)
		got := f.twilio.received()
		require.Len(t, got, 5)
		require.Equal(t, notify.Render(notify.Message{Kind: notify.CheckedIn, Code: last.Code, QueueName: "Lab", Position: new(5),
			Wait:      &queue.WaitRange{LowMinutes: last.WaitToldLow, HighMinutes: last.WaitToldHigh},
			StatusURL: publicURL + "/t/" + last.StatusToken}), bodyTo(t, got, "+14155550304"))
		require.Contains(t, bodyTo(t, got, "+14155550304"), " min wait")
		require.Empty(t, waitChanged(t, f), "what the patients were just told has not changed")
	})

	t.Run("LargeChangeSendsExactlyOneMessage", func(t *testing.T) {
		t.Parallel()
		f, tks := setup(t)
		p := f.place(t, tks[4])
		require.NotNil(t, p.EstimatedWait)
		require.GreaterOrEqual(t, p.EstimatedWait.HighMinutes, 2*notify.WaitChangeMinutes, "fifth in line behind 8–14 minute services")
		// Told "20–40 min" 40 minutes ago: they expect to be called any minute now.
		f.tell(t, tks[4], 40, 20, 40)
		change(t, f)

		got := waitChanged(t, f)
		require.Len(t, got, 1)
		require.Equal(t, "+14155550304", got[0].to)
		rows := f.notifications(t, tks[4], notify.WaitChanged)
		require.Len(t, rows, 1)
		require.Equal(t, notification.StatusSENT, rows[0].Status)
		// What the message said is the new reference.
		told := f.client.Ticket.GetX(sys, tks[4].ID)
		require.WithinDuration(t, time.Now(), *told.WaitToldAt, time.Minute)
		require.InDelta(t, p.EstimatedWait.HighMinutes, told.WaitToldHigh, 5, "today's range, not the one told before")
		require.Equal(t, notify.Render(notify.Message{Kind: notify.WaitChanged, Code: tks[4].Code,
			Wait:      &queue.WaitRange{LowMinutes: told.WaitToldLow, HighMinutes: told.WaitToldHigh},
			StatusURL: publicURL + "/t/" + tks[4].StatusToken}), got[0].body)

		change(t, f)
		require.Len(t, waitChanged(t, f), 1, "a second change right after sends none")
	})

	t.Run("JitterSendsNone", func(t *testing.T) {
		t.Parallel()
		f, tks := setup(t)
		high := f.place(t, tks[4]).EstimatedWait.HighMinutes
		// Told 40 minutes ago a range whose upper end is, after those 40 minutes, within a few
		// minutes of today's.
		f.tell(t, tks[4], 40, high+40-20, high+40+5)
		change(t, f)
		change(t, f)
		require.Empty(t, waitChanged(t, f))
		require.Empty(t, f.notifications(t, tks[4], notify.WaitChanged))
	})

	t.Run("SecondChangeWithinThirtyMinutesSendsNone", func(t *testing.T) {
		t.Parallel()
		f, tks := setup(t)
		f.tell(t, tks[4], 40, 20, 40)
		change(t, f)
		require.Len(t, waitChanged(t, f), 1)
		// The wait moves as much again ten minutes later: the patient heard from us ten minutes ago.
		f.tell(t, tks[4], 10, 0, 0)
		change(t, f)
		require.Len(t, waitChanged(t, f), 1)
		require.Len(t, f.notifications(t, tks[4], notify.WaitChanged), 1)
	})

	t.Run("WithinNotifyAheadTheTurnNearMessageSpeaks", func(t *testing.T) {
		t.Parallel()
		f, tks := setup(t)
		f.tell(t, tks[1], 40, 20, 40)
		f.tell(t, tks[4], 40, 20, 40)
		f.client.Queue.UpdateOneID(f.queue.ID).SetNotifyAhead(2).ExecX(sys)
		change(t, f)
		require.Empty(t, f.notifications(t, tks[1], notify.WaitChanged), "second in line: turn near instead")
		require.Len(t, f.notifications(t, tks[4], notify.WaitChanged), 1)
	})

	t.Run("PushWhenTheAppIsRegistered", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d)
		withHistory(t, f)
		for i := range 4 {
			f.checkIn(t, f.patient(t, fmt.Sprintf("+1415555050%d", i)))
		}
		p := f.patient(t, "+14155550509")
		f.client.Device.Create().SetPlatform(device.PlatformANDROID).SetPushToken("app").SetPatientID(p.ID).ExecX(sys)
		tk := f.checkIn(t, p)
		f.settle(t)
		f.tell(t, tk, 40, 20, 40)
		change(t, f)
		require.Equal(t, []string{"app", "app"}, f.push.sent(), "the check-in and the wait change")
		rows := f.notifications(t, tk, notify.WaitChanged)
		require.Len(t, rows, 1)
		require.Equal(t, notification.ChannelPUSH, rows[0].Channel)
		require.Equal(t, notification.StatusSENT, rows[0].Status)
		require.True(t, strings.HasPrefix(rows[0].Body, "Your wait has changed\n"), rows[0].Body)
		require.Empty(t, bodiesTo(f.twilio.received(), "+14155550509"), "no SMS once the push went")
	})

	t.Run("NoRangeNoMessage", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, d) // no history: "not enough data yet"
		var tks []*ent.Ticket
		for i := range 3 {
			tks = append(tks, f.checkIn(t, f.patient(t, fmt.Sprintf("+1415555040%d", i))))
		}
		f.settle(t)
		require.Nil(t, f.client.Ticket.GetX(sys, tks[2].ID).WaitToldAt, "nothing told without a range")
		for _, m := range f.twilio.received() {
			require.NotContains(t, m.body, " min", "no made-up number")
		}
		f.tell(t, tks[2], 40, 100, 200)
		change(t, f)
		require.Empty(t, f.notifications(t, tks[2], notify.WaitChanged))
	})
}

// bodiesTo are the texts of the SMS sent to phone.
func bodiesTo(got []sms, phone string) []string {
	var out []string
	for _, m := range got {
		if m.to == phone {
			out = append(out, m.body)
		}
	}
	return out
}

// bodyTo is the text of the one SMS sent to phone.
func bodyTo(t *testing.T, got []sms, phone string) string {
	t.Helper()
	out := bodiesTo(got, phone)
	require.Len(t, out, 1, phone)
	return out[0]
}
