package queue

import (
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
)

// Snapshot is a queue's whole state at one version: what dashboards show and what queueChanged sends.
// Positions and estimates are computed once for every waiting ticket, so serving a snapshot to many
// watchers costs no further queries.
type Snapshot struct {
	Queue   *ent.Queue
	Version int
	// Waiting tickets in call order.
	Waiting []*ent.Ticket
	// Called holds CALLED and IN_SERVICE tickets, earliest call first.
	Called []*ent.Ticket
	// Warnings about the queue's recent running (see Warnings), computed with the snapshot so that
	// every watcher of a change gets them without a further query.
	Warnings []*Warning

	positions map[pulid.ID]int
	waits     map[pulid.ID]Wait
	breaches  map[pulid.ID]*BreachForecast
}

// Position returns a waiting ticket's 1-based position, or nil when the ticket is not waiting.
func (s *Snapshot) Position(id pulid.ID) *int { return s.line().position(id) }

// EstimatedWaitMinutes returns a waiting ticket's estimate, or nil when the ticket is not waiting.
func (s *Snapshot) EstimatedWaitMinutes(id pulid.ID) *int { return s.line().estimate(id) }

// Place returns where ticket id stands (all nil when it is not waiting).
func (s *Snapshot) Place(id pulid.ID) Place { return s.line().place(id) }

func (s *Snapshot) line() *line {
	return &line{version: s.Version, positions: s.positions, waits: s.waits, breaches: s.breaches}
}

// WaitRange is an estimated wait as people read it, "about 40–70 min": whole minutes, Low rounded down
// and High up.
type WaitRange struct {
	LowMinutes, HighMinutes int
}

// Place is where a waiting ticket stands: its position, the estimate in minutes (the median, see Wait),
// the estimate's range (nil while the queue has too little history: "not enough data yet") and the
// estimator's full answer for staff (breach risk) and the breach forecast, nil unless a breach is
// likely. All are nil for a ticket that is not waiting.
type Place struct {
	Position             *int
	EstimatedWaitMinutes *int
	EstimatedWait        *WaitRange
	Wait                 *Wait
	Breach               *BreachForecast
}

// place returns where ticket id stands in o.
func (o *line) place(id pulid.ID) Place {
	p := Place{Position: o.position(id), EstimatedWaitMinutes: o.estimate(id), Wait: o.wait(id), Breach: o.breaches[id]}
	if p.Wait != nil {
		if lo, hi, ok := p.Wait.RangeMinutes(); ok {
			p.EstimatedWait = &WaitRange{LowMinutes: lo, HighMinutes: hi}
		}
	}
	return p
}

// update returns ticket t's update at o's version.
func (o *line) update(t *ent.Ticket) *TicketUpdate {
	p := o.place(t.ID)
	return &TicketUpdate{Ticket: t, Position: p.Position, EstimatedWaitMinutes: p.EstimatedWaitMinutes,
		EstimatedWait: p.EstimatedWait, Breach: p.Breach, Version: o.version}
}

// TicketUpdate is one ticket's state for its watcher.
type TicketUpdate struct {
	Ticket               *ent.Ticket
	Position             *int
	EstimatedWaitMinutes *int
	EstimatedWait        *WaitRange
	// Breach is the ticket's breach forecast (Ticket.breachForecast), for staff watching it.
	Breach  *BreachForecast
	Version int
}

// PublicStatus is what the public status page shows: a code and a place, no names.
type PublicStatus struct {
	Code                 string
	Status               ticket.Status
	Position             *int
	EstimatedWaitMinutes *int
	EstimatedWait        *WaitRange
	ServicePointName     *string
	// Language is the patient's (BCP 47), so the public page speaks it.
	Language string
	// NextToken is the status token of the ticket a transfer opened (query only; see the schema).
	NextToken *string

	ticketID, queueID pulid.ID
}

// TicketID and QueueID say which ticket and queue the status belongs to; they are not shown to the
// public, but watchers subscribe with them.
func (p *PublicStatus) TicketID() pulid.ID { return p.ticketID }

// QueueID is the queue of the ticket.
func (p *PublicStatus) QueueID() pulid.ID { return p.queueID }

// Board is a department's waiting-room display: ticket codes only.
type Board struct {
	DepartmentID pulid.ID
	// DepartmentName and FacilityName say where the board hangs (a TV in a shared waiting room).
	DepartmentName string
	FacilityName   string
	// NowCalling is the calls not answered yet; RecentCalls the last few calls, answered or not.
	NowCalling   []BoardEntry
	RecentCalls  []BoardEntry
	WaitingCount int
	// Language is the facility's (BCP 47): the board's words and spoken call-outs.
	Language string
	// Locale and Timezone are the facility's: the board's clock reads as the hospital's clocks do.
	Locale, Timezone string
	// Change, when not 0, numbers the department change this board was read for (not in the schema):
	// two boards that read the same are still two messages when something in the department changed,
	// since a watcher may select more through the board than its entries (needs attention).
	Change int64
}

// BoardEntry is one "now calling" line.
type BoardEntry struct {
	Code             string
	ServicePointName string
	CalledAt         time.Time
}
