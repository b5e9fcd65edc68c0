package queue

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// TransferTicket closes the ticket (TRANSFERRED) and opens a linked WAITING ticket for the same patient
// in the target queue (lab, pharmacy), keeping the triage level unless a new one is given. It returns
// the new ticket. Both queues are locked, always in id order so that two opposite transfers cannot
// deadlock, and both get a new version.
//
// Errors: NOT_FOUND, BAD_USER_INPUT (same queue, other facility), CONFLICT (ticket closed, target queue
// closed, patient already in the target queue), FORBIDDEN.
func (s *Service) TransferTicket(ctx context.Context, ticketID, queueID pulid.ID, level *ticket.TriageLevel) (*ent.Ticket, error) {
	if level != nil {
		if err := ticket.TriageLevelValidator(*level); err != nil {
			return nil, cqerr.E(cqerr.BadUserInput, "unknown triage level").WithField("triageLevel")
		}
	}
	old, err := s.client.Ticket.Get(ctx, ticketID)
	if err != nil {
		return nil, notFound(err, "ticket")
	}
	key, err := idempotencyKey(ctx)
	if err != nil {
		return nil, err
	}
	if old.QueueID == queueID {
		return nil, cqerr.E(cqerr.BadUserInput, "the ticket is already in this queue; choose another queue").WithField("queueID")
	}
	ctx = auth.WithAction(ctx, string(ActionTransfer))
	var created, replayed *ent.Ticket
	var events []Event
	err = s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		ids := []pulid.ID{old.QueueID, queueID}
		slices.Sort(ids)
		locked := map[pulid.ID]*ent.Queue{}
		for _, id := range ids {
			q, err := lockQueue(ctx, tx, id)
			if err != nil {
				return err
			}
			locked[id] = q
			events = append(events, Event{QueueID: q.ID, DepartmentID: q.DepartmentID, Version: int(q.Version)})
		}
		// The new ticket's event holds the key (the transfer's result is the new ticket).
		if replayed, err = replay(ctx, tx, key, ActionCheckIn); err != nil || replayed != nil {
			return cmp.Or(err, errNoChange)
		}
		from, to := locked[old.QueueID], locked[queueID]
		t, err := tx.Client.Ticket.Get(ctx, ticketID)
		if err != nil {
			return notFound(err, "ticket")
		}
		if _, err := Next(t.Code, Status(t.Status), ActionTransfer); err != nil {
			return err
		}
		if !to.Active {
			return cqerr.Ef(cqerr.Conflict, "queue %s is closed", to.Name).WithField("queueID")
		}
		fromFacility, err := facilityOf(ctx, tx, from)
		if err != nil {
			return err
		}
		toFacility, err := facilityOf(ctx, tx, to)
		if err != nil {
			return err
		}
		if fromFacility != toFacility {
			return cqerr.E(cqerr.BadUserInput, "transfers stay within one facility").WithField("queueID")
		}
		open, err := tx.Client.Ticket.Query().
			Where(ticket.QueueID(to.ID), ticket.PatientID(t.PatientID), ticket.StatusIn(ticket.StatusWAITING, ticket.StatusCALLED, ticket.StatusIN_SERVICE)).
			Exist(auth.SystemContext(ctx))
		if err != nil {
			return fmt.Errorf("reading open tickets: %w", err)
		}
		if open {
			return cqerr.E(cqerr.Conflict, "the patient is already in the target queue").WithField("queueID")
		}
		before := *t
		now := s.now()
		closed, err := tx.Client.Ticket.UpdateOne(t).SetStatus(ticket.StatusTRANSFERRED).SetEndedAt(now).Save(ctx)
		if err != nil {
			return fmt.Errorf("closing ticket: %w", err)
		}
		if err := s.record(ctx, tx, from, &change{ticket: closed, event: ActionTransfer, from: Status(before.Status), auditOf: "ticket.transfer", before: &before}, ActionTransfer); err != nil {
			return err
		}
		newLevel := t.TriageLevel
		if level != nil {
			newLevel = *level
		}
		day, seq, err := nextSeq(ctx, tx, to, now)
		if err != nil {
			return err
		}
		created, err = tx.Client.Ticket.Create().
			SetQueueID(to.ID).
			SetPatientID(t.PatientID).
			SetPreviousID(t.ID).
			SetServiceDay(day).
			SetSeq(seq).
			SetCode(FormatCode(to.Prefix, seq)).
			SetTriageLevel(newLevel).
			SetSource(ticket.SourceTRANSFER).
			SetCheckedInAt(now).
			SetTargetAt(Deadline(now, nil, Level(newLevel), TargetsOf(to))).
			SetStatusToken(newStatusToken()).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("creating transferred ticket: %w", err)
		}
		if err := s.record(ctx, tx, to, &change{ticket: created, event: ActionCheckIn, auditOf: "ticket.transferIn", idempotencyKey: key}, ActionTransfer); err != nil {
			return err
		}
		events[slices.Index(ids, from.ID)].TicketIDs = []pulid.ID{closed.ID}
		events[slices.Index(ids, to.ID)].TicketIDs = []pulid.ID{created.ID}
		if s.pub != nil {
			for _, ev := range events {
				tx.OnCommit(func() { s.pub.Publish(context.WithoutCancel(ctx), ev) })
			}
		}
		return nil
	})
	if errors.Is(err, errNoChange) {
		return replayed, nil
	}
	if err != nil {
		return nil, err
	}
	return created, nil
}
