package audit

import (
	"context"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
)

// Trail writes the entries that belong to no mutation: reads of patient data and authorization
// denials, each batch in a transaction of its own. The viewer in ctx is the actor, but the write
// passes the privacy rules as the system: an anonymous caller's reads (a kiosk, a code sign-in) and a
// refused caller's denials must be recorded too.
type Trail struct{ db *store.DB }

// NewTrail returns a Trail writing to db.
func NewTrail(db *store.DB) *Trail { return &Trail{db: db} }

// maxReadIDs caps the patients listed in one read entry; a larger read is split over several.
const maxReadIDs = 500

// Reads records that the viewer read the patients ids through operation (the GraphQL operation's
// name, or "anonymous"): one entry per maxReadIDs patients, naming the patient when there is one.
func (t *Trail) Reads(ctx context.Context, operation string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return t.db.InTx(auth.SystemContext(ctx), func(ctx context.Context, tx *store.Tx) error {
		for start := 0; start < len(ids); start += maxReadIDs {
			batch := ids[start:min(start+maxReadIDs, len(ids))]
			e := Entry{Action: "patient.read", EntityType: "Patient",
				After: map[string]any{"operation": operation, "patients": batch, "count": len(batch)}}
			if len(batch) == 1 {
				e.EntityID = batch[0]
			}
			if err := Record(ctx, tx.Client, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// Denied records that the viewer was refused something (a privacy rule or a role check) in
// operation, at path (the GraphQL field), with the message the client got.
func (t *Trail) Denied(ctx context.Context, operation, path, message string) error {
	return t.db.InTx(auth.SystemContext(ctx), func(ctx context.Context, tx *store.Tx) error {
		return Record(ctx, tx.Client, Entry{Action: "access.denied", EntityType: "Operation",
			After: map[string]any{"operation": operation, "path": path, "message": message}})
	})
}

// Refused records that a request was refused as a whole before it changed anything (a sync batch with
// a gap or a malformed operation): operation, the path of the input at fault, the reason code and the
// message the client got. No input values are copied.
func (t *Trail) Refused(ctx context.Context, operation, path, reason, message string) error {
	return t.db.InTx(auth.SystemContext(ctx), func(ctx context.Context, tx *store.Tx) error {
		return Record(ctx, tx.Client, Entry{Action: "request.refused", EntityType: "Operation",
			After: map[string]any{"operation": operation, "path": path, "reason": reason, "message": message}})
	})
}
