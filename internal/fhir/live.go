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

// MaxFeedQueues bounds the queues one encounter feed follows.
const MaxFeedQueues = 100

// EncounterChanged sends the encounters of the queues (all of the viewer's facility when queueIDs is
// empty) as they change: their open encounters first (maybe none), then every encounter that changed,
// each in its newest state (see realtime.Live.TicketChanges). Errors: UNAUTHENTICATED, FORBIDDEN (not
// staff), NOT_FOUND (a queue the viewer cannot see), BAD_USER_INPUT (queueIDs: not queue ids, none for
// a global admin, or more than MaxFeedQueues).
func (s *Service) EncounterChanged(ctx context.Context, queueIDs []pulid.ID) (<-chan []*Encounter, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	ids, err := s.feedQueues(ctx, queueIDs)
	if err != nil {
		return nil, err
	}
	tickets, err := s.live.TicketChanges(ctx, ids, encounterKey)
	if err != nil {
		return nil, err
	}
	out := make(chan []*Encounter)
	go func() {
		defer close(out)
		for ts := range tickets {
			es := make([]*Encounter, len(ts))
			for i, t := range ts {
				es[i] = EncounterOf(t)
			}
			select {
			case out <- es:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
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

// feedQueues checks, through the viewer's privacy rules, that the viewer sees every queue named, or
// lists the queues of the viewer's facility.
func (s *Service) feedQueues(ctx context.Context, named []pulid.ID) ([]pulid.ID, error) {
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
