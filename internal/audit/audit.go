// Package audit owns the audit log: every mutation records who did what to which record, with the
// state before and after, the request id and the client address, in the same transaction as the change.
// Entries are append-only: the schema's hook refuses updates and deletes on every database, and a
// trigger does the same on PostgreSQL for anyone bypassing the application.
package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/carequeue/carequeue/ent"
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

// Record writes e with the viewer and request from ctx, through client (bind it to the transaction
// of the change).
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
	c := client.AuditEntry.Create().
		SetAction(e.Action).
		SetEntityType(e.EntityType).
		SetEntityID(e.EntityID).
		SetFacilityID(e.FacilityID).
		SetRequestID(req.ID).
		SetAddress(req.Address)
	if signedIn {
		c.SetActorID(string(v.UserID)).SetActorRole(string(v.Role))
	}
	if before != nil {
		c.SetBefore(before)
	}
	if after != nil {
		c.SetAfter(after)
	}
	if err := c.Exec(ctx); err != nil {
		return fmt.Errorf("writing audit entry for %s: %w", e.Action, err)
	}
	return nil
}

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
