package demo

import (
	"context"
	"fmt"

	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/queue"
)

// visit is one call from a service point and how far it goes.
type visit struct {
	queue, point string
	by           string // the clinician's e-mail
	until        ticket.Status
}

// history is the morning so far, in order. No queue gets more than two completions: their service
// times are milliseconds long (Load does not sleep), and from queue.MinServiceSamples completions on
// the estimates would trust them and promise every patient a one-minute wait. Below that, estimates
// use each queue's default service time, which is what a real morning would show.
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

// serve plays history through the queue workflows as the clinicians.
func (l *loader) serve(ctx context.Context) (string, error) {
	n := map[ticket.Status]int{}
	for _, v := range history {
		as := l.as(ctx, v.by)
		t, err := l.q.CallNext(as, queue.NoKey, l.queues[v.queue].ID, l.points[v.point].ID)
		if err != nil {
			return "", fmt.Errorf("calling %s to %s: %w", v.queue, v.point, err)
		}
		if t == nil {
			return "", fmt.Errorf("calling %s to %s: nobody is waiting", v.queue, v.point)
		}
		if v.until != ticket.StatusCALLED {
			if _, err := l.q.StartService(as, queue.NoKey, t.ID); err != nil {
				return "", fmt.Errorf("starting %s: %w", t.Code, err)
			}
		}
		if v.until == ticket.StatusCOMPLETED {
			if _, err := l.q.CompleteTicket(as, queue.NoKey, t.ID, nil); err != nil {
				return "", fmt.Errorf("completing %s: %w", t.Code, err)
			}
		}
		n[v.until]++
	}
	return fmt.Sprintf("%d calls: %d completed, %d in service, %d called",
		len(history), n[ticket.StatusCOMPLETED], n[ticket.StatusIN_SERVICE], n[ticket.StatusCALLED]), nil
}
