package queue

import (
	"context"
	"slices"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/store"
)

// ChangeAppointments is how a write of appointments outside the queue workflows (booking, editing,
// cancelling, marking missed: the admin service) reaches the live feeds. Inside tx, before the
// appointments are written, it locks the queues (in id order, as workflows do, so that a check-in of the
// same appointment waits rather than deadlocks) and bumps their versions; the returned changed names the
// appointments written, and once tx commits each queue publishes one Event carrying them. Errors:
// NOT_FOUND (a queue the viewer cannot see).
func (s *Service) ChangeAppointments(ctx context.Context, tx *store.Tx, queueIDs ...pulid.ID) (changed func(appointmentIDs ...pulid.ID), err error) {
	ids := slices.Clone(queueIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	events := make([]*Event, 0, len(ids))
	for _, id := range ids {
		q, err := lockQueue(ctx, tx, s.db.Dialect, id, true)
		if err != nil {
			return nil, err
		}
		events = append(events, &Event{QueueID: q.ID, DepartmentID: q.DepartmentID, Version: int(q.Version)})
	}
	if s.pub != nil {
		tx.OnCommit(func() {
			for _, e := range events {
				s.pub.Publish(context.WithoutCancel(ctx), *e)
			}
		})
	}
	return func(appointmentIDs ...pulid.ID) {
		for _, e := range events {
			e.AppointmentIDs = append(e.AppointmentIDs, appointmentIDs...)
		}
	}, nil
}
