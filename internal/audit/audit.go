// Package audit owns the audit log: every mutation records who did what to which record, with the
// state before and after (patient identifiers as keyed hashes), the request id and the client address,
// in the same transaction as the change. Entries are append-only: the schema's hook refuses updates
// and deletes on every database, triggers do the same for anyone bypassing the application, and the
// application's database role may only insert and read them. Each entry is a link of a hash chain
// that Verify checks, so changes made by someone who gets past all of that are found.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
)

// Request describes where a change came from.
type Request struct {
	ID      string
	Address string
}

type requestKey struct{}

// WithRequest returns ctx carrying r; the HTTP middleware sets it.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request in ctx (zero when there is none, e.g. a CLI command).
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}

// Entry is one change to record.
type Entry struct {
	// Action names what happened, e.g. "ticket.callNext", "queue.update".
	Action     string
	EntityType string
	// EntityID defaults to the "id" of After.
	EntityID string
	// FacilityID scopes the entry for facility admins; it defaults to the viewer's facility.
	FacilityID string
	// Before and After are the record's state (any JSON-marshalable value; ent entities leave out
	// sensitive fields); nil when there is none.
	Before, After any
}

// Record writes e with the viewer and request from ctx, through client, which must be bound to the
// transaction of the change (the entry commits or rolls back with it, and the chain's lock lasts until
// then). Patient identifiers in Before and After are stored as keyed hashes (identifiers.go).
func Record(ctx context.Context, client *ent.Client, e Entry) error {
	before, err := toMap(e.Before)
	if err != nil {
		return err
	}
	after, err := toMap(e.After)
	if err != nil {
		return err
	}
	if e.EntityID == "" && after != nil {
		e.EntityID, _ = after["id"].(string)
	}
	v, signedIn := auth.FromContext(ctx)
	if e.FacilityID == "" && signedIn {
		e.FacilityID = string(v.FacilityID)
	}
	req := RequestFrom(ctx)
	row := &ent.AuditEntry{
		ID: pulid.New("AU"), At: storedTime(time.Now()), Action: e.Action, EntityType: e.EntityType,
		EntityID: e.EntityID, FacilityID: e.FacilityID, RequestID: req.ID, Address: req.Address,
		Before: pseudonymise(before), After: pseudonymise(after),
	}
	if signedIn {
		row.ActorID, row.ActorRole = string(v.UserID), string(v.Role)
		if v.ClientID != "" {
			// An API client acts as itself: its id and the actor type API_CLIENT, not a person's role.
			row.ActorID, row.ActorRole = string(v.ClientID), ActorAPIClient
		}
	}
	return appendEntry(ctx, client, row)
}

// ActorAPIClient is the actor_role of entries written by an API client (service account).
const ActorAPIClient = "API_CLIENT"

func toMap(v any) (map[string]any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding audit state: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("encoding audit state: %w", err)
	}
	// Edges are loaded relations, not the record's state.
	delete(m, "edges")
	return m, nil
}
