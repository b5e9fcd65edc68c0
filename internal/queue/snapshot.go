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

	positions map[pulid.ID]int
	estimates map[pulid.ID]int
}

// Position returns a waiting ticket's 1-based position, or nil when the ticket is not waiting.
func (s *Snapshot) Position(id pulid.ID) *int {
	if p, ok := s.positions[id]; ok {
		return &p
	}
	return nil
}

// EstimatedWaitMinutes returns a waiting ticket's estimate, or nil when the ticket is not waiting.
func (s *Snapshot) EstimatedWaitMinutes(id pulid.ID) *int {
	if m, ok := s.estimates[id]; ok {
		return &m
	}
	return nil
}

// TicketUpdate is one ticket's state for its watcher.
type TicketUpdate struct {
	Ticket               *ent.Ticket
	Position             *int
	EstimatedWaitMinutes *int
	Version              int
}

// PublicStatus is what the public status page shows: a code and a place, no names.
type PublicStatus struct {
	Code                 string
	Status               ticket.Status
	Position             *int
	EstimatedWaitMinutes *int
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
	NowCalling   []BoardEntry
	WaitingCount int
	// Language is the facility's (BCP 47): the board's words and spoken call-outs.
	Language string
}

// BoardEntry is one "now calling" line.
type BoardEntry struct {
	Code             string
	ServicePointName string
	CalledAt         time.Time
}
