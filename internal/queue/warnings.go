package queue

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/predicate"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
)

// WarningKind names a queue warning (GraphQL QueueWarningKind).
type WarningKind string

// The queue warnings.
const (
	// WarningUrgentShareHigh: the urgent group (IMMEDIATE, VERY_URGENT) took more than the queue's
	// urgent_share_limit_percent of its service time over the last ShareWindow. The TRIAGE orderings
	// serve that group first by design; this is how staff notice that everyone else is being starved.
	WarningUrgentShareHigh WarningKind = "URGENT_SHARE_HIGH"
)

// MarshalGQL writes the kind as its GraphQL enum value.
func (k WarningKind) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(k))) }

// UnmarshalGQL reads a QueueWarningKind value.
func (k *WarningKind) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || WarningKind(s) != WarningUrgentShareHigh {
		return fmt.Errorf("%v is not a valid QueueWarningKind", v)
	}
	*k = WarningKind(s)
	return nil
}

// Warning is one thing staff should know about a queue's recent running.
type Warning struct {
	Kind WarningKind
	// SharePercent and LimitPercent, for URGENT_SHARE_HIGH: the urgent group's share of the service
	// time over the window (rounded to the nearest percent) and the queue's limit.
	SharePercent *int
	LimitPercent *int
}

// ShareWindow is the span the urgent group's share of service time is measured over.
const ShareWindow = time.Hour

// MinShareServed is the fewest patients served in the window (at a service point at some time in it)
// whose service time makes a share worth a warning. With 2 patients, 1 urgent one is "50 %"; with 3,
// one long urgent case alone passes most limits: a share of so few is one patient's doing, not the
// urgent group starving the rest. 4 is as many as a queue with a single room and 15–20 minute
// services sees in an hour, so a higher minimum would silence the warning there altogether.
const MinShareServed = 4

// ServiceSpan is one ticket's time at a service point: from its call to its end, or to now while it
// is still called or in service (End zero).
type ServiceSpan struct {
	Level      Level
	Start, End time.Time
}

// UrgentShare returns how much service time the urgent group and everyone together took in the
// window (now-window, now], and how many patients were served in it: each span counts for its overlap
// with the window only, and a span without one (ended before the window) not at all.
func UrgentShare(spans []ServiceSpan, now time.Time, window time.Duration) (urgent, total time.Duration, served int) {
	from := now.Add(-window)
	for _, s := range spans {
		end := s.End
		if end.IsZero() || end.After(now) {
			end = now
		}
		start := s.Start
		if start.Before(from) {
			start = from
		}
		if !end.After(start) {
			continue
		}
		d := end.Sub(start)
		total += d
		served++
		if s.Level.Urgent() {
			urgent += d
		}
	}
	return urgent, total, served
}

// Warnings returns the warnings of a queue whose urgent group may take at most limitPercent of the
// service time, given its service spans, at now. A queue that served fewer than MinShareServed
// patients in the window has no share worth the name and so no warning; the share must exceed the
// limit, not merely reach it (a limit of 100 never warns).
func Warnings(spans []ServiceSpan, now time.Time, limitPercent int) []*Warning {
	out := []*Warning{}
	urgent, total, served := UrgentShare(spans, now, ShareWindow)
	if served < MinShareServed || total <= 0 || urgent*100 <= total*time.Duration(limitPercent) {
		return out
	}
	share := int(math.Round(float64(urgent) * 100 / float64(total)))
	limit := limitPercent
	return append(out, &Warning{Kind: WarningUrgentShareHigh, SharePercent: &share, LimitPercent: &limit})
}

// readWarnings computes q's warnings at now, in one statement.
func (s *Service) readWarnings(ctx context.Context, q *ent.Queue, now time.Time) ([]*Warning, error) {
	spans, err := s.readSpans(ctx, ticket.QueueID(q.ID), now)
	if err != nil {
		return nil, err
	}
	return Warnings(spans[q.ID], now, q.UrgentShareLimitPercent), nil
}

// readSpans returns the service spans in the window ending at now of the tickets matching which, by
// queue: the tickets that were at a service point at some time in the window.
func (s *Service) readSpans(ctx context.Context, which predicate.Ticket, now time.Time) (map[pulid.ID][]ServiceSpan, error) {
	ts, err := s.client.Ticket.Query().
		Where(which,
			ticket.StatusNEQ(ticket.StatusWAITING),
			ticket.CalledAtNotNil(), ticket.CalledAtLT(now),
			ticket.Or(ticket.EndedAtIsNil(), ticket.EndedAtGT(now.Add(-ShareWindow)))).
		Select(ticket.FieldQueueID, ticket.FieldTriageLevel, ticket.FieldCalledAt, ticket.FieldEndedAt).
		All(auth.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("reading recent services: %w", err)
	}
	out := map[pulid.ID][]ServiceSpan{}
	for _, t := range ts {
		sp := ServiceSpan{Level: Level(t.TriageLevel), Start: *t.CalledAt}
		if t.EndedAt != nil {
			sp.End = *t.EndedAt
		}
		out[t.QueueID] = append(out[t.QueueID], sp)
	}
	return out, nil
}

// QueueWarnings returns the warnings of a queue the caller has already read through the viewer's
// privacy rules (Queue.warnings). Staff see them; other viewers get none. Within a request (see
// WithCache) the service spans of all the queues of q's department are read at once, so a list of
// queues costs one statement per department, not one per queue.
func (s *Service) QueueWarnings(ctx context.Context, q *ent.Queue) ([]*Warning, error) {
	if v, ok := auth.FromContext(ctx); !ok || !v.IsStaff() {
		return []*Warning{}, nil
	}
	now := s.now()
	c, _ := ctx.Value(cacheKey{}).(*cache)
	if c == nil {
		return s.readWarnings(ctx, q, now)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	spans, ok := c.spans[q.DepartmentID]
	if !ok {
		var err error
		if spans, err = s.readSpans(ctx, ticket.HasQueueWith(entqueue.DepartmentID(q.DepartmentID)), now); err != nil {
			return nil, err
		}
		c.spans[q.DepartmentID] = spans
	}
	return Warnings(spans[q.ID], now, q.UrgentShareLimitPercent), nil
}
