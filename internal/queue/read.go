package queue

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/department"
	"github.com/carequeue/carequeue/ent/predicate"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

const (
	// boardWindow is how long a call stays on the waiting-room board.
	boardWindow = 30 * time.Minute
	boardLines  = 8
	// recentWindow and recentLines bound the board's "last calls": the calls of the last hours, whatever
	// happened to the ticket since, so a patient who looked away can check where a code was sent.
	recentWindow = 4 * time.Hour
	recentLines  = 5
)

// line is a queue's waiting line reduced to what positions and estimates need. It is computed past
// the privacy rules (a patient's position depends on everyone ahead) and exposes only numbers.
type line struct {
	version   int
	positions map[pulid.ID]int
	waits     map[pulid.ID]Wait
	// breaches holds the breach forecasts of the waiting tickets that have one (see ForecastBreach).
	breaches map[pulid.ID]*BreachForecast
}

func (o *line) position(id pulid.ID) *int {
	if p, ok := o.positions[id]; ok {
		return &p
	}
	return nil
}

func (o *line) estimate(id pulid.ID) *int {
	if w, ok := o.waits[id]; ok {
		m := w.Minutes()
		return &m
	}
	return nil
}

func (o *line) wait(id pulid.ID) *Wait {
	if w, ok := o.waits[id]; ok {
		return &w
	}
	return nil
}

// readLine computes the waiting line of q from its open tickets, read here unless known (3 statements
// at most: open tickets, the queue's history, open service points). See Estimator for the estimates.
func (s *Service) readLine(ctx context.Context, q *ent.Queue, known bool, waiting, called []*ent.Ticket) (*line, error) {
	sys := auth.SystemContext(ctx)
	if !known {
		open, err := s.client.Ticket.Query().
			Where(ticket.QueueID(q.ID), ticket.StatusIn(ticket.StatusWAITING, ticket.StatusCALLED, ticket.StatusIN_SERVICE)).
			Select(ticket.FieldID, ticket.FieldStatus, ticket.FieldTriageLevel, ticket.FieldCheckedInAt, ticket.FieldArrivedAt, ticket.FieldTargetAt, ticket.FieldCalledAt).
			All(sys)
		if err != nil {
			return nil, fmt.Errorf("reading open tickets: %w", err)
		}
		waiting, called = nil, nil
		for _, t := range open {
			if t.Status == ticket.StatusWAITING {
				waiting = append(waiting, t)
			} else {
				called = append(called, t)
			}
		}
	}
	now := s.now()
	sit, err := s.situation(ctx, q, now, waiting, called)
	if err != nil {
		return nil, err
	}
	o := &line{version: int(q.Version), positions: make(map[pulid.ID]int, len(waiting)), waits: make(map[pulid.ID]Wait, len(waiting))}
	for id, p := range sit.Order.Positions(sit.Waiting) {
		o.positions[pulid.ID(id)] = p
	}
	for id, w := range (Estimator{Seed: seedOf(string(q.ID))}).Estimate(sit) {
		o.waits[pulid.ID(id)] = w
	}
	o.breaches = forecastBreaches(now, waiting, o.waits)
	return o, nil
}

// Snapshot returns the queue's state for staff dashboards: its waiting tickets in call order with
// positions and estimates, and its called tickets. Errors: NOT_FOUND, UNAUTHENTICATED (nobody signed
// in), FORBIDDEN (not staff).
func (s *Service) Snapshot(ctx context.Context, queueID pulid.ID) (*Snapshot, error) {
	if v, ok := auth.FromContext(ctx); !ok {
		return nil, cqerr.E(cqerr.Unauthenticated, "sign in required")
	} else if !v.IsStaff() {
		return nil, cqerr.E(cqerr.Forbidden, "queue snapshots are for staff; patients follow their own ticket")
	}
	// Read as the viewer: a queue of another facility is NOT_FOUND. Its tickets then belong to the
	// viewer's facility (check-in keeps patients and queues in one facility), so the shared read fits.
	q, err := s.client.Queue.Get(ctx, queueID)
	if err != nil {
		return nil, notFound(err, "queue")
	}
	st, err := s.readState(ctx, q, nil, nil)
	if err != nil {
		return nil, err
	}
	return st.Snapshot, nil
}

// fillPositions fills in the snapshot's positions and estimates and sorts its tickets: waiting in call order,
// called by call time. It primes the request's cache (see WithCache).
func (s *Service) fillPositions(ctx context.Context, snap *Snapshot) error {
	o, err := s.readLine(ctx, snap.Queue, true, snap.Waiting, snap.Called)
	if err != nil {
		return err
	}
	snap.positions, snap.waits, snap.breaches = o.positions, o.waits, o.breaches
	slices.SortFunc(snap.Waiting, func(a, b *ent.Ticket) int { return o.positions[a.ID] - o.positions[b.ID] })
	slices.SortFunc(snap.Called, func(a, b *ent.Ticket) int { return timeCmp(a.CalledAt, b.CalledAt) })
	primeCache(ctx, snap.Queue.ID, o)
	return nil
}

func timeCmp(a, b *time.Time) int {
	switch {
	case a == nil || b == nil:
		return 0
	case a.Before(*b):
		return -1
	case a.After(*b):
		return 1
	}
	return 0
}

// TicketPosition returns a ticket's position and estimated wait in minutes, or nils when it is not
// waiting. Within one request the queue's waiting line is computed once however many tickets ask (see
// WithCache).
func (s *Service) TicketPosition(ctx context.Context, t *ent.Ticket) (*int, *int, error) {
	p, err := s.TicketPlace(ctx, t)
	return p.Position, p.EstimatedWaitMinutes, err
}

// TicketPlace is TicketPosition with the estimate's range and breach risk.
func (s *Service) TicketPlace(ctx context.Context, t *ent.Ticket) (Place, error) {
	if t.Status != ticket.StatusWAITING {
		return Place{}, nil
	}
	o, err := s.cachedLine(ctx, t.QueueID)
	if err != nil {
		return Place{}, err
	}
	return o.place(t.ID), nil
}

func (s *Service) cachedLine(ctx context.Context, queueID pulid.ID) (*line, error) {
	c, _ := ctx.Value(cacheKey{}).(*cache)
	if c != nil {
		c.mu.Lock()
		defer c.mu.Unlock() // one computation per queue even when sibling fields resolve concurrently
		if o, ok := c.lines[queueID]; ok {
			return o, nil
		}
	}
	q, err := s.client.Queue.Get(auth.SystemContext(ctx), queueID)
	if err != nil {
		return nil, fmt.Errorf("reading queue: %w", err)
	}
	o, err := s.readLine(ctx, q, false, nil, nil)
	if err != nil {
		return nil, err
	}
	if c != nil {
		c.lines[queueID] = o
	}
	return o, nil
}

type cacheKey struct{}

type cache struct {
	mu    sync.Mutex
	lines map[pulid.ID]*line
	// spans holds the recent service spans of a department's queues, by department then queue
	// (see QueueWarnings).
	spans map[pulid.ID]map[pulid.ID][]ServiceSpan
}

// WithCache returns ctx with a per-request cache of waiting lines. Install it per query or mutation
// operation, not per subscription: a subscription lives across changes.
func WithCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, cacheKey{}, &cache{lines: map[pulid.ID]*line{}, spans: map[pulid.ID]map[pulid.ID][]ServiceSpan{}})
}

func primeCache(ctx context.Context, queueID pulid.ID, o *line) {
	if c, _ := ctx.Value(cacheKey{}).(*cache); c != nil {
		c.mu.Lock()
		c.lines[queueID] = o
		c.mu.Unlock()
	}
}

// TicketUpdate returns a ticket's state for its watcher. Errors: NOT_FOUND (missing or not the viewer's).
func (s *Service) TicketUpdate(ctx context.Context, ticketID pulid.ID) (*TicketUpdate, error) {
	t, err := s.client.Ticket.Get(ctx, ticketID)
	if err != nil {
		return nil, notFound(err, "ticket")
	}
	o, err := s.cachedLine(ctx, t.QueueID)
	if err != nil {
		return nil, err
	}
	return o.update(t), nil
}

// PublicStatus returns what the SMS link's page shows, by the ticket's secret token; nil when no ticket
// has it. No sign-in is needed and nothing personal is returned.
func (s *Service) PublicStatus(ctx context.Context, token string) (*PublicStatus, error) {
	if len(token) == 0 || len(token) > 64 {
		return nil, nil
	}
	sys := auth.SystemContext(ctx)
	t, err := s.client.Ticket.Query().Where(ticket.StatusToken(token)).WithServicePoint().WithPatient().WithNext().Only(sys)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading ticket by token: %w", err)
	}
	var p Place
	if t.Status == ticket.StatusWAITING {
		o, err := s.cachedLine(ctx, t.QueueID)
		if err != nil {
			return nil, err
		}
		p = o.place(t.ID)
	}
	return publicStatus(t, p), nil
}

// publicStatus is the public view of t: code, status, place; the room once called.
func publicStatus(t *ent.Ticket, p Place) *PublicStatus {
	ps := &PublicStatus{Code: t.Code, Status: t.Status, Position: p.Position, EstimatedWaitMinutes: p.EstimatedWaitMinutes,
		EstimatedWait: p.EstimatedWait, Language: "en", ticketID: t.ID, queueID: t.QueueID}
	if p := t.Edges.Patient; p != nil && p.Language != "" {
		ps.Language = p.Language
	}
	if n := t.Edges.Next; n != nil && t.Status == ticket.StatusTRANSFERRED {
		ps.NextToken = &n.StatusToken
	}
	if sp := t.Edges.ServicePoint; sp != nil && (t.Status == ticket.StatusCALLED || t.Status == ticket.StatusIN_SERVICE) {
		ps.ServicePointName = &sp.Name
	}
	return ps
}

// Board returns a department's waiting-room board: its name and facility's, the calls still
// waiting to be answered, the last few calls and the number waiting, ticket codes only. The board
// hangs in a public room and carries nothing personal, so anyone may read it. Errors: NOT_FOUND.
func (s *Service) Board(ctx context.Context, departmentID pulid.ID) (*Board, error) {
	b, _, err := s.BoardVersions(ctx, departmentID)
	return b, err
}

// BoardVersions is Board with the version of each of the department's queues that the board shows:
// a change event whose version is at most its queue's here is already on the board.
func (s *Service) BoardVersions(ctx context.Context, departmentID pulid.ID) (*Board, map[pulid.ID]int, error) {
	sys := auth.SystemContext(ctx)
	// The department and its facility name the board; the facility says its language, locale and zone.
	d, err := s.client.Department.Query().Where(department.ID(departmentID)).WithFacility().Only(sys)
	if ent.IsNotFound(err) {
		return nil, nil, cqerr.E(cqerr.NotFound, "department not found")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading department: %w", err)
	}
	f := d.Edges.Facility
	if f == nil {
		return nil, nil, fmt.Errorf("department %s has no facility", departmentID)
	}
	b := &Board{DepartmentID: departmentID, DepartmentName: d.Name, FacilityName: f.Name,
		Language: f.Language, Locale: f.Locale, Timezone: f.Timezone}
	// The three reads are separate statements: a call committed between them would give a torn board
	// (the call in "recent" but not "now calling"), shown for a moment and then corrected. Every change
	// to a department's tickets bumps its queue's version in the same transaction, so the reads are
	// taken again when the versions moved while they ran (a sequence lock; a few tries, then the
	// newest read stands, as the next change or refresh corrects it).
	before, _, err := s.departmentVersion(sys, departmentID)
	if err != nil {
		return nil, nil, err
	}
	for try := 0; ; try++ {
		if err := s.boardLines(sys, departmentID, b); err != nil {
			return nil, nil, err
		}
		after, versions, err := s.departmentVersion(sys, departmentID)
		if err != nil {
			return nil, nil, err
		}
		if before == after {
			return b, versions, nil
		}
		if try == 2 {
			return b, nil, nil // torn: no version is known to be on the board
		}
		before = after // a retry starts from the versions just read
	}
}

// boardLines reads the board's entries and waiting count into b.
func (s *Service) boardLines(ctx context.Context, departmentID pulid.ID, b *Board) error {
	inDept := ticket.HasQueueWith(entqueue.DepartmentID(departmentID))
	now := s.now()
	var err error
	b.NowCalling, err = s.boardEntries(ctx, boardLines, inDept, ticket.StatusEQ(ticket.StatusCALLED), ticket.CalledAtGT(now.Add(-boardWindow)))
	if err != nil {
		return fmt.Errorf("reading called tickets: %w", err)
	}
	b.RecentCalls, err = s.boardEntries(ctx, recentLines, inDept, ticket.CalledAtGT(now.Add(-recentWindow)))
	if err != nil {
		return fmt.Errorf("reading recent calls: %w", err)
	}
	b.WaitingCount, err = s.client.Ticket.Query().Where(inDept, ticket.StatusEQ(ticket.StatusWAITING)).Count(ctx)
	if err != nil {
		return fmt.Errorf("counting waiting tickets: %w", err)
	}
	return nil
}

// departmentVersion is the sum of the department's queue versions, which grows with every committed
// change to the department's tickets, and each queue's version.
func (s *Service) departmentVersion(ctx context.Context, departmentID pulid.ID) (int, map[pulid.ID]int, error) {
	qs, err := s.client.Queue.Query().Where(entqueue.DepartmentID(departmentID)).Select(entqueue.FieldID, entqueue.FieldVersion).All(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("reading the department's queue versions: %w", err)
	}
	sum, versions := 0, make(map[pulid.ID]int, len(qs))
	for _, q := range qs {
		sum += int(q.Version)
		versions[q.ID] = int(q.Version)
	}
	return sum, versions, nil
}

// boardEntries is the board's lines for the tickets matching where: newest call first, at most limit.
func (s *Service) boardEntries(ctx context.Context, limit int, where ...predicate.Ticket) ([]BoardEntry, error) {
	tickets, err := s.client.Ticket.Query().Where(where...).Order(ent.Desc(ticket.FieldCalledAt)).Limit(limit).WithServicePoint().All(ctx)
	if err != nil {
		return nil, err
	}
	entries := make([]BoardEntry, 0, len(tickets))
	for _, t := range tickets {
		e := BoardEntry{Code: t.Code, CalledAt: *t.CalledAt}
		if sp := t.Edges.ServicePoint; sp != nil {
			e.ServicePointName = sp.Name
		}
		entries = append(entries, e)
	}
	return entries, nil
}
