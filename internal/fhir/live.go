package fhir

import (
	"context"
	"slices"
	"time"

	"github.com/carequeue/carequeue/ent"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// MaxFeedQueues bounds the queues one feed (encounters or appointments) follows.
const MaxFeedQueues = 100

// EncounterChanged sends the encounters of the queues (all of the viewer's facility when queueIDs is
// empty) as they change: their open encounters first (maybe none), then every encounter that changed,
// each in its newest state (see realtime.Live.TicketChanges). Errors: UNAUTHENTICATED, FORBIDDEN (not
// staff), NOT_FOUND (a queue the viewer cannot see), BAD_USER_INPUT (queueIDs: not queue ids, none for
// a global admin, or more than MaxFeedQueues).
func (s *Service) EncounterChanged(ctx context.Context, queueIDs []pulid.ID) (<-chan []*Encounter, error) {
	ids, err := s.feedQueues(ctx, queueIDs)
	if err != nil {
		return nil, err
	}
	tickets, err := s.live.TicketChanges(ctx, ids, encounterKey)
	if err != nil {
		return nil, err
	}
	return forward(ctx, tickets, func(_ bool, ts []*ent.Ticket) []*Encounter {
		es := make([]*Encounter, len(ts))
		for i, t := range ts {
			es[i] = EncounterOf(t)
		}
		return es
	}), nil
}

// AppointmentChanged sends the appointments of the queues (all of the viewer's facility when queueIDs
// is empty) as they change: first the current ones (maybe none: booked for the facility's today, and
// arrived), then every appointment that changed (booked, rescheduled, arrived, fulfilled, noshow,
// cancelled, whatever its day), each in its newest state (see realtime.Live.AppointmentChanges).
// Errors: as EncounterChanged.
func (s *Service) AppointmentChanged(ctx context.Context, queueIDs []pulid.ID) (<-chan []*Appointment, error) {
	ids, err := s.feedQueues(ctx, queueIDs)
	if err != nil {
		return nil, err
	}
	changes, err := s.live.AppointmentChanges(ctx, ids, appointmentKey)
	if err != nil {
		return nil, err
	}
	return forward(ctx, changes, func(first bool, as []*ent.Appointment) []*Appointment {
		send := make([]*Appointment, 0, len(as))
		for _, a := range as {
			fa := AppointmentOf(a)
			if first && fa.Status != AppointmentBooked && fa.Status != AppointmentArrived {
				continue // the first message is the current appointments
			}
			send = append(send, fa)
		}
		return send
	}), nil
}

// forward maps each message of a feed (first: whether it is the first) until in closes or ctx ends.
func forward[T, R any](ctx context.Context, in <-chan []T, mapping func(first bool, msg []T) []R) <-chan []R {
	out := make(chan []R)
	go func() {
		defer close(out)
		first := true
		for msg := range in {
			select {
			case out <- mapping(first, msg):
			case <-ctx.Done():
				return
			}
			first = false
		}
	}()
	return out
}

// appointmentKey is what an Appointment shows that can change: its status and its record (a
// reschedule, a new reference); final once the status changes no more.
func appointmentKey(a *ent.Appointment) (any, bool) {
	fa := AppointmentOf(a)
	final := fa.Status != AppointmentBooked && fa.Status != AppointmentArrived
	return [2]string{fa.Status, fa.Meta.VersionID}, final
}

// shown is what an Encounter shows of a ticket: a change to anything else (what the patient was last
// told, a reminder flag) is not an encounter change.
type shown struct {
	status                 string
	awaiting               bool
	level                  string
	servicePoint           pulid.ID
	called, started, ended int64
}

func encounterKey(t *ent.Ticket) any {
	nanos := func(at *time.Time) int64 {
		if at == nil {
			return 0
		}
		return at.UnixNano()
	}
	return shown{status: string(t.Status), awaiting: t.AwaitingTriage, level: string(t.TriageLevel), servicePoint: t.ServicePointID,
		called: nanos(t.CalledAt), started: nanos(t.StartedAt), ended: nanos(t.EndedAt)}
}

// feedQueues checks that the viewer is staff and, through the viewer's privacy rules, sees every queue
// named, or lists the queues of the viewer's facility.
func (s *Service) feedQueues(ctx context.Context, named []pulid.ID) ([]pulid.ID, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	tooMany := cqerr.Ef(cqerr.BadUserInput, "follow at most %d queues per subscription", MaxFeedQueues).WithField("queueIDs")
	if len(named) == 0 {
		if v, _ := auth.FromContext(ctx); v.FacilityID == "" {
			return nil, cqerr.E(cqerr.BadUserInput, "name the queues to follow (an account of every facility has no queues of its own)").WithField("queueIDs")
		}
		ids, err := s.client.Queue.Query().Limit(MaxFeedQueues + 1).IDs(ctx)
		if err != nil {
			return nil, err
		}
		if len(ids) > MaxFeedQueues {
			return nil, tooMany
		}
		return ids, nil
	}
	for _, id := range named {
		if err := resourceID("queueIDs", queuePrefix, id); err != nil {
			return nil, err
		}
	}
	ids := slices.Clone(named)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > MaxFeedQueues {
		return nil, tooMany
	}
	n, err := s.client.Queue.Query().Where(entqueue.IDIn(ids...)).Count(ctx)
	if err != nil {
		return nil, err
	}
	if n != len(ids) {
		return nil, cqerr.E(cqerr.NotFound, "queue not found").WithField("queueIDs")
	}
	return ids, nil
}
