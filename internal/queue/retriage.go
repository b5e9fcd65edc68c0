package queue

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// MaxRetriageReason is the longest reason a re-triage records, in characters.
const MaxRetriageReason = 500

// RetriageTicket triages a waiting or called ticket: it sets the level (the same level confirms it) and
// clears awaiting_triage, and the deadline moves with the level, still counted from the ticket's arrival.
// The RETRIAGE event records the actor, the level before (from_triage_level), the new level and the
// reason (nil or empty: none given). Errors: BAD_USER_INPUT (unknown level; reason longer than
// MaxRetriageReason characters, field reason), NOT_FOUND, CONFLICT, FORBIDDEN.
func (s *Service) RetriageTicket(ctx context.Context, key Key, id pulid.ID, level enum.TriageLevel, reason *string) (*ent.Ticket, error) {
	if err := ticket.TriageLevelValidator(level); err != nil {
		return nil, cqerr.E(cqerr.BadUserInput, "unknown triage level").WithField("triageLevel")
	}
	if reason != nil && *reason == "" {
		reason = nil
	}
	if reason != nil && utf8.RuneCountInString(*reason) > MaxRetriageReason {
		return nil, cqerr.Ef(cqerr.BadUserInput, "the reason is too long (at most %d characters)", MaxRetriageReason).WithField("reason")
	}
	var noted eventDetail
	r := newRequest(key, ActionRetriage, id, level, reason)
	return s.transitionNoting(ctx, r, id, "ticket.retriage", &noted, func(ctx context.Context, tx *store.Tx, u *ent.TicketUpdateOne, t *ent.Ticket, q *ent.Queue) error {
		var scheduled *time.Time
		if t.AppointmentID != "" {
			a, err := tx.Client.Appointment.Get(auth.SystemContext(ctx), t.AppointmentID)
			if err != nil {
				return fmt.Errorf("reading appointment: %w", err)
			}
			scheduled = &a.ScheduledAt
		}
		from := t.TriageLevel
		noted = eventDetail{fromLevel: &from, reason: reason}
		u.SetTriageLevel(level).SetAwaitingTriage(false).
			SetTargetAt(Deadline(t.ArrivedAt, scheduled, Level(level), TargetsOf(q)))
		return nil
	})
}
