package queue

import (
	"context"
	"fmt"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// TransferTicket closes the ticket (TRANSFERRED) and opens a linked WAITING ticket for the same patient
// in the target queue (lab, pharmacy), keeping the triage level unless a new one is given. The new
// ticket keeps the visit's arrived_at when the target queue keeps arrival (transfer_keeps_arrival), so
// its deadline counts from the first arrival; otherwise the transfer is a new arrival. A ticket still
// awaiting triage that is transferred without a level into a TRIAGE-ordered queue still awaits triage
// there, ordered as that queue's self_check_in_level; a level given with the transfer triages it. It returns the new ticket. Both queues are locked and both get a new version.
//
// Errors: NOT_FOUND, BAD_USER_INPUT (same queue, other facility), CONFLICT (ticket closed, target queue
// closed, patient already in the target queue), FORBIDDEN.
func (s *Service) TransferTicket(ctx context.Context, key Key, ticketID, queueID pulid.ID, level *enum.TriageLevel) (*ent.Ticket, error) {
	if err := key.validate(); err != nil {
		return nil, err
	}
	if level != nil {
		if err := ticket.TriageLevelValidator(*level); err != nil {
			return nil, cqerr.E(cqerr.BadUserInput, "unknown triage level").WithField("triageLevel")
		}
	}
	old, err := s.client.Ticket.Get(ctx, ticketID)
	if err != nil {
		return nil, notFound(err, "ticket")
	}
	if old.QueueID == queueID {
		return nil, cqerr.E(cqerr.BadUserInput, "the ticket is already in this queue; choose another queue").WithField("queueID")
	}
	r := newRequest(key, ActionTransfer, ticketID, queueID, level)
	return s.workflowOn(ctx, r, []pulid.ID{old.QueueID, queueID}, func(ctx context.Context, tx *store.Tx, qs map[pulid.ID]*ent.Queue) ([]*change, error) {
		from, to := qs[old.QueueID], qs[queueID]
		t, err := tx.Client.Ticket.Get(ctx, ticketID)
		if err != nil {
			return nil, notFound(err, "ticket")
		}
		if _, err := Next(t.Code, Status(t.Status), ActionTransfer); err != nil {
			return nil, s.explain(ctx, tx, from, t, ActionTransfer, err)
		}
		if !to.Active {
			return nil, cqerr.Ef(cqerr.Conflict, "queue %s is closed", to.Name).WithField("queueID")
		}
		fromFacility, err := facilityOf(ctx, tx, from)
		if err != nil {
			return nil, err
		}
		toFacility, err := facilityOf(ctx, tx, to)
		if err != nil {
			return nil, err
		}
		if fromFacility != toFacility {
			return nil, cqerr.E(cqerr.BadUserInput, "transfers stay within one facility").WithField("queueID")
		}
		if err := notAlreadyIn(ctx, tx, to, t.PatientID, "queueID"); err != nil {
			return nil, err
		}
		before := *t
		now := s.now()
		closed, err := tx.Client.Ticket.UpdateOne(t).SetStatus(ticket.StatusTRANSFERRED).SetEndedAt(now).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("closing ticket: %w", err)
		}
		newLevel := t.TriageLevel
		if level != nil {
			newLevel = *level
		}
		n := newTicket{patientID: t.PatientID, level: newLevel, source: ticket.SourceTRANSFER, now: now, previous: t.ID}
		if t.AwaitingTriage && level == nil && triageOrdered(to) {
			// Nobody has triaged the patient yet: moving them does not, so they stay visibly untriaged.
			n.level, n.awaitingTriage = to.SelfCheckInLevel, true
		}
		if to.TransferKeepsArrival {
			// The transfer continues the visit: the target clock keeps running from the first arrival.
			n.arrivedAt = t.ArrivedAt
		}
		created, err := s.newTicket(ctx, tx, to, n)
		if err != nil {
			return nil, err
		}
		return []*change{
			{ticket: closed, event: ActionTransfer, from: Status(before.Status), auditOf: "ticket.transfer", before: &before},
			{ticket: created, event: ActionCheckIn, auditOf: "ticket.transferIn"},
		}, nil
	})
}
