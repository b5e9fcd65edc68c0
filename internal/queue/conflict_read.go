package queue

import (
	"context"
	"fmt"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/department"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/ticketevent"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// explain turns Next's CONFLICT for action a on ticket t (read under q's lock) into what happened to
// the ticket: the service point, the time in the facility's locale and zone and, for staff, who moved
// it (ConflictMessage). Other errors pass through. It reads past the privacy rules only what it says:
// a service point's and a staff member's name.
func (s *Service) explain(ctx context.Context, tx *store.Tx, q *ent.Queue, t *ent.Ticket, a Action, err error) error {
	if cqerr.CodeOf(err) != cqerr.Conflict {
		return err
	}
	h, rerr := s.happened(ctx, tx, q, t)
	if rerr != nil {
		// The plain message is still true: a failed read must not turn a conflict into an INTERNAL.
		s.log.WarnContext(ctx, "reading what happened to a ticket", "ticket", t.ID, "err", rerr)
		return err
	}
	return cqerr.E(cqerr.Conflict, ConflictMessage(a, h))
}

// happened reads Happened for t.
func (s *Service) happened(ctx context.Context, tx *store.Tx, q *ent.Queue, t *ent.Ticket) (Happened, error) {
	sys := auth.SystemContext(ctx)
	h := Happened{Code: t.Code, Status: Status(t.Status)}
	switch h.Status {
	case StatusCalled:
		h.At = deref(t.CalledAt)
	case StatusInService:
		h.At = deref(t.StartedAt)
	case StatusWaiting:
		return h, nil // nothing more to say: nobody has called it
	default:
		h.At = deref(t.EndedAt)
	}
	if t.ServicePointID != "" && (h.Status == StatusCalled || h.Status == StatusInService) {
		sp, err := tx.Client.ServicePoint.Get(sys, t.ServicePointID)
		if err != nil {
			return h, fmt.Errorf("reading service point: %w", err)
		}
		h.Point = sp.Name
	}
	f, err := tx.Client.Department.Query().Where(department.ID(q.DepartmentID)).QueryFacility().Only(sys)
	if err != nil {
		return h, fmt.Errorf("reading facility: %w", err)
	}
	h.Locale = f.Locale
	if h.Zone, err = LoadLocation(f.Timezone); err != nil {
		h.Zone = time.UTC
	}
	// Who did it is for colleagues; a patient or a kiosk is told what happened, not by whom.
	if v, ok := auth.FromContext(ctx); !ok || !v.IsStaff() {
		return h, nil
	}
	ev, err := tx.Client.TicketEvent.Query().
		Where(ticketevent.TicketID(t.ID), ticketevent.ToStatus(string(t.Status))).
		Order(ent.Desc(ticketevent.FieldAt), ent.Desc(ticketevent.FieldID)).
		First(sys)
	switch {
	case ent.IsNotFound(err):
		return h, nil
	case err != nil:
		return h, fmt.Errorf("reading ticket event: %w", err)
	}
	if ev.ActorID == "" {
		return h, nil // the system (a job) did it
	}
	u, err := tx.Client.User.Get(sys, pulid.ID(ev.ActorID))
	if ent.IsNotFound(err) {
		return h, nil
	}
	if err != nil {
		return h, fmt.Errorf("reading user: %w", err)
	}
	if u.Role != user.RolePATIENT && u.Role != user.RoleKIOSK {
		h.By = u.Name
	}
	return h, nil
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
