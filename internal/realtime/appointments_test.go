package realtime_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/appointment"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/inmem"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

// TestSlowAppointmentReaderSkipsNothing: a reader of AppointmentChanges that falls behind receives
// every appointment the changes it missed touched, even one that only a state replaced before it was
// read showed (a visit cancelled, then another patient called).
func TestSlowAppointmentReaderSkipsNothing(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			h := newHospital(t, d, 1)
			walkIn := h.tickets[0]
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := newReplicaEvery(t, ctx, h.db, inmem.NewBroker(1024), time.Hour)
			client := h.db.Client()
			visits := make([]*ent.Ticket, 2)
			for i := range visits {
				a := testfactory.Appointment(ctx, t, client, &testfactory.AppointmentOpts{QueueID: h.q.ID, ScheduledAt: time.Now(), Status: appointment.StatusCHECKED_IN})
				visits[i] = testfactory.Ticket(ctx, t, client, &testfactory.TicketOpts{QueueID: h.q.ID, PatientID: a.PatientID, AppointmentID: a.ID})
			}
			shown := func(as []*ent.Appointment) []string {
				out := make([]string, len(as))
				for i, a := range as {
					var ts []ticket.Status
					for _, tk := range a.Edges.Tickets {
						ts = append(ts, tk.Status)
					}
					out[i] = fmt.Sprint(a.ID, ts)
				}
				return out
			}
			key := func(a *ent.Appointment) (any, bool) {
				s := shown([]*ent.Appointment{a})[0]
				return s, false
			}
			subCtx, stop := context.WithCancel(h.clinician)
			defer stop()
			feed, err := r.live.AppointmentChanges(subCtx, []pulid.ID{h.q.ID}, key)
			require.NoError(t, err)
			want := func(i int, st ticket.Status) string {
				return fmt.Sprint(visits[i].AppointmentID, []ticket.Status{st})
			}
			require.ElementsMatch(t, []string{want(0, ticket.StatusWAITING), want(1, ticket.StatusWAITING)}, shown(<-feed), "the arrived appointments first")

			walker, err := r.live.TicketChanged(subCtx, walkIn.ID)
			require.NoError(t, err)
			<-walker
			// The feed is not read: the first cancellation waits to be sent, the second is replaced
			// by the call before the feed takes it.
			for _, v := range visits {
				_, err := r.svc.CancelTicket(h.clinician, queue.NoKey, v.ID, "left")
				require.NoError(t, err)
			}
			_, err = r.svc.CallNext(h.clinician, queue.NoKey, h.q.ID, h.room.ID)
			require.NoError(t, err)
			await(t, walker, func(u *queue.TicketUpdate) bool { return u.Ticket.Status == ticket.StatusCALLED })

			var got []string
			for len(got) < 2 {
				select {
				case as := <-feed:
					got = append(got, shown(as)...)
				case <-time.After(10 * time.Second):
					require.Fail(t, "missing appointment changes", "got %v", got)
				}
			}
			require.ElementsMatch(t, []string{want(0, ticket.StatusCANCELLED), want(1, ticket.StatusCANCELLED)}, got)
		})
	}
}
