package offline

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/ent/ticketevent"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// The feed's bounds.
const (
	// Window is how far back a cursor may point; an older one is refused RESYNC_REQUIRED.
	Window = 24 * time.Hour
	// Settle is how far behind the clock a final cursor stays. Event ids carry the time they were made,
	// before their transaction commits; a workflow transaction ends within the request's deadline
	// (10 s by default) or a job's timeout (1 min), so an event not yet visible when a page is read is
	// never older than Settle, and the next pull still finds it.
	Settle = 2 * time.Minute
	// Skew is how far ahead of this replica's clock a cursor another replica made may be.
	Skew = time.Minute
	// DefaultPage and MaxPage bound first.
	DefaultPage = 100
	MaxPage     = 200
)

// The reasons of a refused pull.
const (
	ReasonCursorMalformed = "CURSOR_MALFORMED"
	ReasonCursorFuture    = "CURSOR_FROM_FUTURE"
	ReasonResync          = "RESYNC_REQUIRED"
)

// cursorPrefix versions the cursor's format.
const cursorPrefix = "c1_"

// eventPrefix is TicketEvent's id prefix (ent/schema/ticketevent.go).
const eventPrefix = "TE"

// Page is a page of the change feed (GraphQL SyncPullResult).
type Page struct {
	Events  []*ent.TicketEvent
	Tickets []*ent.Ticket
	Cursor  string
	HasMore bool
}

// Pull returns the ticket events the viewer may see after since (oldest first, at most first) and the
// tickets they touched as they are now. Without since it returns no events and the cursor to start
// from. Errors: BAD_USER_INPUT field since (CURSOR_MALFORMED, CURSOR_FROM_FUTURE, RESYNC_REQUIRED when
// older than Window) or field first.
func (s *Service) Pull(ctx context.Context, since *string, first *int) (*Page, error) {
	if err := signedIn(ctx); err != nil {
		return nil, err
	}
	n := DefaultPage
	if first != nil {
		n = *first
	}
	if n < 1 || n > MaxPage {
		return nil, cqerr.Ef(cqerr.BadUserInput, "first must be 1 to %d", MaxPage).WithField("first")
	}
	now := s.o.Now()
	settled := eventAt(now.Add(-Settle))
	if since == nil {
		return &Page{Events: []*ent.TicketEvent{}, Tickets: []*ent.Ticket{}, Cursor: encode(settled)}, nil
	}
	after, err := decode(*since, now)
	if err != nil {
		return nil, err
	}
	events, err := s.o.Client.TicketEvent.Query().
		Where(ticketevent.IDGT(after)).
		Order(ent.Asc(ticketevent.FieldID)).
		Limit(n + 1).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the change feed: %w", err)
	}
	p := &Page{HasMore: len(events) > n}
	p.Events = events[:min(n, len(events))]
	last := after
	if len(p.Events) > 0 {
		last = p.Events[len(p.Events)-1].ID
	}
	p.Cursor = encode(last)
	if !p.HasMore && last > settled {
		p.Cursor = encode(settled)
	}
	ids := make([]pulid.ID, 0, len(p.Events))
	seen := map[pulid.ID]bool{}
	for _, e := range p.Events {
		if !seen[e.TicketID] {
			seen[e.TicketID] = true
			ids = append(ids, e.TicketID)
		}
	}
	if p.Tickets, err = s.o.Client.Ticket.Query().Where(ticket.IDIn(ids...)).Order(ent.Asc(ticket.FieldID)).All(ctx); err != nil {
		return nil, fmt.Errorf("reading the feed's tickets: %w", err)
	}
	return p, nil
}

// eventAt is the smallest event id made at t: every event made at t or later sorts after it.
func eventAt(t time.Time) pulid.ID {
	var u ulid.ULID
	_ = u.SetTime(ulid.Timestamp(t)) // fails only after the year 10889
	return pulid.ID(eventPrefix + u.String())
}

func encode(id pulid.ID) string { return cursorPrefix + strings.TrimPrefix(string(id), eventPrefix) }

// decode reads a cursor made by encode and checks it against the feed's window as of now.
func decode(c string, now time.Time) (pulid.ID, error) {
	raw, ok := strings.CutPrefix(c, cursorPrefix)
	u, err := ulid.ParseStrict(raw)
	if !ok || err != nil {
		return "", cqerr.E(cqerr.BadUserInput, "since is not a cursor this feed gave").WithField("since").WithReason(ReasonCursorMalformed)
	}
	at := ulid.Time(u.Time())
	switch {
	case at.After(now.Add(Skew)):
		return "", cqerr.E(cqerr.BadUserInput, "since points to the future: it is not a cursor this feed gave").
			WithField("since").WithReason(ReasonCursorFuture)
	case at.Before(now.Add(-Window)):
		return "", cqerr.E(cqerr.BadUserInput, "since is older than the feed's 24 hours: fetch everything again and pull from a new cursor").
			WithField("since").WithReason(ReasonResync)
	}
	return pulid.ID(eventPrefix + u.String()), nil
}
