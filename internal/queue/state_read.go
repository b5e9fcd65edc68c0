package queue

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/patient"
	"github.com/carequeue/carequeue/ent/predicate"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/ent/servicepoint"
	"github.com/carequeue/carequeue/ent/ticket"
)

// stamp is what tells whether a row changed since a state read it: ent sets updated_at on every
// update of a ticket or a patient.
type stamp struct {
	ID        pulid.ID  `json:"id"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ticketRow holds the columns of a ticket that the reads selecting them fill in (the others stay
// zero): calling the next ticket orders the waiting line by five of them, and the estimator learns from
// five of the queue's history. ent's whole tickets for those reads, every waiting ticket or every
// check-in of the arrival windows on every call or change, were a fifth of the server's allocation with
// 10,000 distinct watchers.
type ticketRow struct { // flat: ent's Scan does not look into embedded structs
	ID          pulid.ID         `json:"id"`
	Status      ticket.Status    `json:"status"`
	TriageLevel enum.TriageLevel `json:"triage_level"`
	CheckedInAt time.Time        `json:"checked_in_at"`
	ArrivedAt   *time.Time       `json:"arrived_at"`
	TargetAt    *time.Time       `json:"target_at"`
	CalledAt    *time.Time       `json:"called_at"`
	EndedAt     *time.Time       `json:"ended_at"`
}

type ticketStamp struct { // flat: ent's Scan does not look into embedded structs
	ID             pulid.ID  `json:"id"`
	UpdatedAt      time.Time `json:"updated_at"`
	PatientID      pulid.ID  `json:"patient_id"`
	ServicePointID pulid.ID  `json:"service_point_id"`
}

// readTickets reads q's tickets matching pred, with their patient and service point (sys: past the
// privacy rules). Without prev it reads them whole (3 statements). With prev, the queue's previous
// state, it reads whole only the tickets that are new to it or whose row or patient's row changed
// since (their updated_at moved: a call changes one ticket of a line of hundreds) and takes the
// others from prev, with the service points read afresh (their names may change): 2 narrow statements
// (ids and stamps of the tickets and of their patients), then 1 for the service points and 3 for the
// changed tickets when there are any. A change of a line of 500 scans a few full rows instead of
// 1,000, which was half of what the server allocated with 10,000 patients' phones watching.
//
// The tickets taken from prev are copies (prev's are being read by its watchers).
func (s *Service) readTickets(sys context.Context, q *ent.Queue, pred predicate.Ticket, prev *State) ([]*ent.Ticket, error) {
	if prev == nil {
		return s.wholeTickets(sys, ticket.QueueID(q.ID), pred)
	}
	var stamps []ticketStamp
	err := s.client.Ticket.Query().Where(ticket.QueueID(q.ID), pred).
		Select(ticket.FieldID, ticket.FieldUpdatedAt, ticket.FieldPatientID, ticket.FieldServicePointID).Scan(sys, &stamps)
	if err != nil {
		return nil, fmt.Errorf("reading tickets: %w", err)
	}
	if len(stamps) == 0 {
		return nil, nil
	}
	patientIDs := make([]pulid.ID, 0, len(stamps))
	var pointIDs []pulid.ID
	for _, st := range stamps {
		patientIDs = append(patientIDs, st.PatientID)
		if st.ServicePointID != "" && !slices.Contains(pointIDs, st.ServicePointID) {
			pointIDs = append(pointIDs, st.ServicePointID) // a handful: the queue's service points
		}
	}
	var pstamps []stamp
	if err := s.client.Patient.Query().Where(patient.IDIn(patientIDs...)).
		Select(patient.FieldID, patient.FieldUpdatedAt).Scan(sys, &pstamps); err != nil {
		return nil, fmt.Errorf("reading patients: %w", err)
	}
	current := make(map[pulid.ID]time.Time, len(pstamps))
	for _, ps := range pstamps {
		current[ps.ID] = ps.UpdatedAt
	}
	// A ticket is read whole when it is new to the state, or it or its patient changed.
	var changed []pulid.ID
	kept := make([]*ent.Ticket, 0, len(stamps))
	for _, st := range stamps {
		t := prev.tickets[st.ID]
		if t == nil || !t.UpdatedAt.Equal(st.UpdatedAt) || t.Edges.Patient == nil || !t.Edges.Patient.UpdatedAt.Equal(current[st.PatientID]) {
			changed = append(changed, st.ID)
			continue
		}
		kept = append(kept, t)
	}
	out := make([]*ent.Ticket, 0, len(stamps))
	if len(changed) > 0 {
		fresh, err := s.wholeTickets(sys, ticket.IDIn(changed...))
		if err != nil {
			return nil, err
		}
		out = append(out, fresh...)
	}
	points := make(map[pulid.ID]*ent.ServicePoint, len(pointIDs))
	if len(kept) > 0 && len(pointIDs) > 0 {
		sps, err := s.client.ServicePoint.Query().Where(servicepoint.IDIn(pointIDs...)).All(sys)
		if err != nil {
			return nil, fmt.Errorf("reading service points: %w", err)
		}
		for _, sp := range sps {
			points[sp.ID] = sp
		}
	}
	for _, t := range kept {
		cp := *t
		cp.Edges.ServicePoint = points[t.ServicePointID]
		out = append(out, &cp)
	}
	return out, nil
}

// wholeTickets reads the tickets matching where with their patient and service point, as edges ent
// knows loaded: a ticket at no service point then resolves it as null, not by a query per watcher.
func (s *Service) wholeTickets(sys context.Context, where ...predicate.Ticket) ([]*ent.Ticket, error) {
	ts, err := s.client.Ticket.Query().Where(where...).WithPatient().WithServicePoint().All(sys)
	if err != nil {
		return nil, fmt.Errorf("reading tickets: %w", err)
	}
	return ts, nil
}
