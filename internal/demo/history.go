package demo

import (
	"context"
	"fmt"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/queue"
)

// visit is one call from a service point and how far it goes.
type visit struct {
	queue, point string
	by           string // the clinician's e-mail
	until        ticket.Status
}

// history is the morning so far, in each queue's call order (morningPlan puts it on the clock: visits
// minutes long, like a real morning's).
var history = []visit{
	{triage, "Resus 1", DoctorEmail, ticket.StatusIN_SERVICE},
	{triage, "Bay 2", DoctorEmail, ticket.StatusIN_SERVICE},
	{triage, "Bay 3", DoctorEmail, ticket.StatusCOMPLETED},
	{triage, "Bay 3", DoctorEmail, ticket.StatusCOMPLETED},
	{triage, "Bay 3", DoctorEmail, ticket.StatusCALLED},
	{clinic, "Room 1", DoctorEmail, ticket.StatusCOMPLETED},
	{clinic, "Room 1", DoctorEmail, ticket.StatusIN_SERVICE},
	{clinic, "Room 2", DoctorEmail, ticket.StatusCALLED},
	{cardiology, "Room 3", DoctorEmail, ticket.StatusIN_SERVICE},
	{bloods, "Phlebotomy 1", NurseEmail, ticket.StatusCOMPLETED},
	{bloods, "Phlebotomy 1", NurseEmail, ticket.StatusCOMPLETED},
	{bloods, "Phlebotomy 1", NurseEmail, ticket.StatusIN_SERVICE},
	{bloods, "Phlebotomy 2", NurseEmail, ticket.StatusCALLED},
	{imaging, "X-Ray", NurseEmail, ticket.StatusCOMPLETED},
	{imaging, "X-Ray", NurseEmail, ticket.StatusCALLED},
}

// serve plays history through the queue workflows as the clinicians, each step at its moment of this
// morning (morningPlan).
func (l *loader) serve(ctx context.Context) (string, error) {
	n := map[ticket.Status]int{}
	called := map[int]*ent.Ticket{}
	for _, st := range l.steps {
		v := history[st.visit]
		as := l.as(ctx, v.by)
		l.at = st.at
		switch st.kind {
		case stepCall:
			t, err := l.morning.CallNext(as, queue.NoKey, l.queues[v.queue].ID, l.points[v.point].ID)
			if err != nil {
				return "", fmt.Errorf("calling %s to %s: %w", v.queue, v.point, err)
			}
			if t == nil {
				return "", fmt.Errorf("calling %s to %s: nobody is waiting", v.queue, v.point)
			}
			called[st.visit] = t
			n[v.until]++
		case stepStart:
			if _, err := l.morning.StartService(as, queue.NoKey, called[st.visit].ID); err != nil {
				return "", fmt.Errorf("starting %s: %w", called[st.visit].Code, err)
			}
		case stepComplete:
			if _, err := l.morning.CompleteTicket(as, queue.NoKey, called[st.visit].ID, nil); err != nil {
				return "", fmt.Errorf("completing %s: %w", called[st.visit].Code, err)
			}
		}
	}
	return fmt.Sprintf("%d calls: %d completed, %d in service, %d called",
		len(history), n[ticket.StatusCOMPLETED], n[ticket.StatusIN_SERVICE], n[ticket.StatusCALLED]), nil
}
