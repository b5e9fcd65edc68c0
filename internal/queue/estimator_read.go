package queue

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/predicate"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/servicepoint"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
)

// The read side of the estimator: what a queue's waiting line needs, in a constant number of bounded
// statements whatever the number of tickets or watchers.

// historyLimit bounds the rows of the history statement (a week of a busy emergency department's
// arrivals in the learning windows is well under it).
const historyLimit = 20_000

// situation assembles the estimator's input for q at now from its open tickets (waiting and at a
// service point), in at most 2 statements: the queue's recent history (finished services and
// check-ins, one statement) and its open service points.
func (s *Service) situation(ctx context.Context, q *ent.Queue, now time.Time, waiting, called []*ent.Ticket) (Situation, error) {
	sys := auth.SystemContext(ctx)
	sit := Situation{Order: OrderOf(q, now), Waiting: entries(waiting),
		Fallback: time.Duration(q.DefaultServiceMinutes) * time.Minute}
	for _, t := range called {
		if t.CalledAt != nil {
			sit.Busy = append(sit.Busy, Busy{Level: Level(t.TriageLevel), Elapsed: now.Sub(*t.CalledAt)})
		}
	}
	hist, err := s.history(sys, q, now)
	if err != nil {
		return Situation{}, err
	}
	var done []*ticketRow
	arrivals := make([]Arrival, 0, len(hist))
	for i := range hist {
		t := &hist[i]
		if t.CalledAt != nil && t.EndedAt != nil && t.EndedAt.After(now.Add(-ServiceHistory)) &&
			(t.Status == ticket.StatusCOMPLETED || t.Status == ticket.StatusNO_SHOW || t.Status == ticket.StatusTRANSFERRED) {
			done = append(done, t)
		}
		arrivals = append(arrivals, Arrival{At: t.CheckedInAt, Level: Level(t.TriageLevel)})
	}
	// Newest service times first: LearnServiceTimes keeps the first ServiceSamples.
	slices.SortFunc(done, func(a, b *ticketRow) int { return b.EndedAt.Compare(*a.EndedAt) })
	recent := make([]Occupancy, len(done))
	for i, t := range done {
		recent[i] = Occupancy{Level: Level(t.TriageLevel), Took: t.EndedAt.Sub(*t.CalledAt)}
	}
	sit.Service = LearnServiceTimes(recent)
	sit.Arrivals = LearnArrivals(now, q.CreatedAt, arrivals) // it keeps only the check-ins of its windows
	if sit.OpenPoints, err = s.openPoints(sys, q.ID); err != nil {
		return Situation{}, err
	}
	return sit, nil
}

// openPoints counts the open, active service points serving queue id.
func (s *Service) openPoints(sys context.Context, id pulid.ID) (int, error) {
	n, err := s.client.ServicePoint.Query().
		Where(servicepoint.HasQueuesWith(entqueue.ID(id)), servicepoint.Open(true), servicepoint.Active(true)).
		Count(sys)
	if err != nil {
		return 0, fmt.Errorf("counting open service points: %w", err)
	}
	return n, nil
}

// history reads q's tickets that finished a service within ServiceHistory or checked in within the
// ArrivalWindows, newest check-ins first (the limit, if ever reached, drops the oldest). The
// service_day bound keeps the scan on the (queue_id, service_day, seq) index, to the last nine days
// whatever the facility's time zone.
func (s *Service) history(sys context.Context, q *ent.Queue, now time.Time) ([]ticketRow, error) {
	ws := ArrivalWindows(now)
	inWindow := make([]predicate.Ticket, 0, len(ws)+1)
	earliest := now.Add(-ServiceHistory)
	for _, w := range ws {
		inWindow = append(inWindow, ticket.And(ticket.CheckedInAtGTE(w.From), ticket.CheckedInAtLT(w.To)))
		if w.From.Before(earliest) {
			earliest = w.From
		}
	}
	inWindow = append(inWindow, ticket.And(ticket.CalledAtNotNil(), ticket.EndedAtGT(now.Add(-ServiceHistory))))
	var ts []ticketRow // the columns it learns from, not whole tickets: read on every change of the queue
	err := s.client.Ticket.Query().
		Where(ticket.QueueID(q.ID), ticket.ServiceDayGTE(ServiceDay(earliest.Add(-24*time.Hour), time.UTC)), ticket.Or(inWindow...)).
		Order(ent.Desc(ticket.FieldCheckedInAt)).
		Limit(historyLimit).
		Select(ticket.FieldStatus, ticket.FieldTriageLevel, ticket.FieldCheckedInAt, ticket.FieldCalledAt, ticket.FieldEndedAt).
		Scan(sys, &ts)
	if err != nil {
		return nil, fmt.Errorf("reading the queue's history: %w", err)
	}
	return ts, nil
}

// seedOf gives each queue its own reproducible futures: the same situation always gets the same
// estimates, and the estimator's sampling error differs from queue to queue instead of leaning every
// queue the same way.
func seedOf(id string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	return h.Sum64()
}
