package queue

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/department"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// AttentionReason says why a waiting patient is on the needs-attention list (GraphQL AttentionReason).
// The values are in list order: a patient with several reasons is listed once, under the first.
type AttentionReason string

// The reasons, most pressing first.
const (
	// AttentionPastMaxWait: escalated, still waiting past the queue's maximum wait.
	AttentionPastMaxWait AttentionReason = "PAST_MAX_WAIT"
	// AttentionAwaitingTriage: a self check-in nobody has triaged yet.
	AttentionAwaitingTriage AttentionReason = "AWAITING_TRIAGE"
	// AttentionBreachPredicted: will probably be called after their target time, or already past it.
	AttentionBreachPredicted AttentionReason = "BREACH_PREDICTED"
)

var attentionReasons = []AttentionReason{AttentionPastMaxWait, AttentionAwaitingTriage, AttentionBreachPredicted}

// MarshalGQL writes the reason as its GraphQL enum value.
func (r AttentionReason) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(r))) }

// UnmarshalGQL reads an AttentionReason value.
func (r *AttentionReason) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !slices.Contains(attentionReasons, AttentionReason(s)) {
		return fmt.Errorf("%v is not a valid AttentionReason", v)
	}
	*r = AttentionReason(s)
	return nil
}

// AttentionItem is one waiting patient staff should look at now.
type AttentionItem struct {
	Ticket *ent.Ticket
	Reason AttentionReason
	// Since orders the items of one reason, earliest first: the arrival for PAST_MAX_WAIT (longest wait
	// first) and AWAITING_TRIAGE (oldest first), the target time for BREACH_PREDICTED (soonest first).
	Since time.Time
}

// AttentionFor returns why waiting ticket t needs attention, given its breach forecast (nil: none);
// ok is false when it does not. A ticket with several reasons gets the most pressing one.
func AttentionFor(t *ent.Ticket, breach *BreachForecast) (item *AttentionItem, ok bool) {
	if t.Status != ticket.StatusWAITING {
		return nil, false
	}
	switch {
	case t.EscalatedAt != nil:
		return &AttentionItem{Ticket: t, Reason: AttentionPastMaxWait, Since: arrivalOf(t)}, true
	case t.AwaitingTriage:
		return &AttentionItem{Ticket: t, Reason: AttentionAwaitingTriage, Since: arrivalOf(t)}, true
	case breach != nil:
		return &AttentionItem{Ticket: t, Reason: AttentionBreachPredicted, Since: breach.TargetAt}, true
	}
	return nil, false
}

// SortAttention puts items in list order: by reason (PAST_MAX_WAIT, AWAITING_TRIAGE, BREACH_PREDICTED),
// then by Since, earliest first, then by ticket id, so that every replica lists them alike.
func SortAttention(items []*AttentionItem) {
	slices.SortStableFunc(items, func(a, b *AttentionItem) int {
		if c := cmp.Compare(slices.Index(attentionReasons, a.Reason), slices.Index(attentionReasons, b.Reason)); c != 0 {
			return c
		}
		if c := a.Since.Compare(b.Since); c != 0 {
			return c
		}
		return cmp.Compare(a.Ticket.ID, b.Ticket.ID)
	})
}

// NeedsAttention returns the waiting patients of a department that staff should look at now, in list
// order (see SortAttention). Every change that adds, moves or removes an item is a queue change, so a
// dashboard refetches it on queueChanged. It reads a constant number of statements per queue of the
// department, and primes the request's cache so that the tickets' positions and estimates cost nothing
// more. Errors: UNAUTHENTICATED, FORBIDDEN (not staff), NOT_FOUND (no such department in the viewer's facility).
func (s *Service) NeedsAttention(ctx context.Context, departmentID pulid.ID) ([]*AttentionItem, error) {
	if v, ok := auth.FromContext(ctx); !ok {
		return nil, cqerr.E(cqerr.Unauthenticated, "sign in required")
	} else if !v.IsStaff() {
		return nil, cqerr.E(cqerr.Forbidden, "the needs-attention list is for staff")
	}
	// Read as the viewer: a department of another facility is NOT_FOUND, and so are its queues and
	// tickets.
	if ok, err := s.client.Department.Query().Where(department.ID(departmentID)).Exist(ctx); err != nil {
		return nil, fmt.Errorf("reading department: %w", err)
	} else if !ok {
		return nil, cqerr.E(cqerr.NotFound, "department not found")
	}
	qs, err := s.client.Queue.Query().Where(entqueue.DepartmentID(departmentID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading queues: %w", err)
	}
	byID := make(map[pulid.ID]*ent.Queue, len(qs))
	ids := make([]pulid.ID, 0, len(qs))
	for _, q := range qs {
		byID[q.ID] = q
		ids = append(ids, q.ID)
	}
	open, err := s.client.Ticket.Query().
		Where(ticket.QueueIDIn(ids...), ticket.StatusIn(ticket.StatusWAITING, ticket.StatusCALLED, ticket.StatusIN_SERVICE)).
		// The list shows who the patients are: their records come in one statement, not one per item.
		WithPatient().
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading open tickets: %w", err)
	}
	waiting, called := map[pulid.ID][]*ent.Ticket{}, map[pulid.ID][]*ent.Ticket{}
	for _, t := range open {
		t.Edges.Queue = byID[t.QueueID]
		if t.Status == ticket.StatusWAITING {
			waiting[t.QueueID] = append(waiting[t.QueueID], t)
		} else {
			called[t.QueueID] = append(called[t.QueueID], t)
		}
	}
	items := []*AttentionItem{}
	for _, q := range qs {
		if len(waiting[q.ID]) == 0 {
			continue
		}
		o, err := s.readLine(ctx, q, true, waiting[q.ID], called[q.ID])
		if err != nil {
			return nil, err
		}
		primeCache(ctx, q.ID, o)
		for _, t := range waiting[q.ID] {
			if it, ok := AttentionFor(t, o.breaches[t.ID]); ok {
				items = append(items, it)
			}
		}
	}
	SortAttention(items)
	return items, nil
}
