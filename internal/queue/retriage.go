package queue

import (
	"context"
	"fmt"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// RetriageTicket changes a waiting or called ticket's triage level; its deadline moves with it.
// Errors: NOT_FOUND, CONFLICT, FORBIDDEN.
func (s *Service) RetriageTicket(ctx context.Context, key Key, id pulid.ID, level ticket.TriageLevel) (*ent.Ticket, error) {
	if err := ticket.TriageLevelValidator(level); err != nil {
		return nil, cqerr.E(cqerr.BadUserInput, "unknown triage level").WithField("triageLevel")
	}
	return s.transition(ctx, newRequest(key, ActionRetriage, id, level), id, "ticket.retriage", func(ctx context.Context, tx *store.Tx, u *ent.TicketUpdateOne, t *ent.Ticket, q *ent.Queue) error {
		var scheduled *time.Time
		if t.AppointmentID != "" {
			a, err := tx.Client.Appointment.Get(auth.SystemContext(ctx), t.AppointmentID)
			if err != nil {
				return fmt.Errorf("reading appointment: %w", err)
			}
			scheduled = &a.ScheduledAt
		}
		u.SetTriageLevel(level).SetTargetAt(Deadline(t.CheckedInAt, scheduled, Level(level), TargetsOf(q)))
		return nil
	})
}
