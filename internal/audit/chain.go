package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/auditchainhead"
	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/internal/auth"
)

// headID is the chain head's one row.
const headID = 1

// The hash versions. Version 1 is a plain SHA-256: whoever can write the table can rewrite the whole
// chain and recompute every hash, caught only against a copy of the head kept elsewhere. Version 2 is
// an HMAC-SHA256 under the chain key (UseChainKey), which only the server holds: a rewrite without the
// key is caught by Verify alone. Entries are written as version 2; version 1 is what entries written
// before the chain was keyed carry (Options.UnkeyedThrough).
const (
	unkeyedVersion = 1
	keyedVersion   = 2
)

// chainKey is the key of version 2 hashes, process-wide like identifierKey and for the same reason.
var chainKey = newProcessKey()

// UseChainKey sets the key the chain's hashes are computed under; cmd/carequeue derives it from the
// server secret, for the server and for `carequeue audit verify`. Until it is called a random key is
// used: entries then verify only in the process that wrote them. An empty key is ignored.
func UseChainKey(key []byte) { chainKey.set(key) }

// link is an entry in its canonical form: the bytes its hash covers. The field order is fixed by the
// struct and map keys are sorted by encoding/json, so the same entry always encodes the same way.
// Changing this form breaks every stored hash: add a new version instead.
type link struct {
	Version    int            `json:"v"`
	Seq        int64          `json:"seq"`
	PrevHash   string         `json:"prev"`
	ID         string         `json:"id"`
	At         string         `json:"at"`
	ActorID    string         `json:"actor_id"`
	ActorRole  string         `json:"actor_role"`
	Action     string         `json:"action"`
	EntityType string         `json:"entity_type"`
	EntityID   string         `json:"entity_id"`
	FacilityID string         `json:"facility_id"`
	RequestID  string         `json:"request_id"`
	Address    string         `json:"address"`
	Before     map[string]any `json:"before"`
	After      map[string]any `json:"after"`
}

// storedTime is how a time survives both databases unchanged: PostgreSQL keeps microseconds.
func storedTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// hash is l's hash under its version: keyed with key for version 2, plain SHA-256 for version 1. The
// version is part of the hashed form, so the two never collide.
func (l link) hash(key []byte) (string, error) {
	b, err := json.Marshal(l)
	if err != nil {
		return "", fmt.Errorf("encoding audit entry for its hash: %w", err)
	}
	var h hash.Hash
	if l.Version == unkeyedVersion {
		h = sha256.New()
	} else {
		h = hmac.New(sha256.New, key)
	}
	h.Write([]byte(l.PrevHash))
	h.Write([]byte{0})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)), nil
}

func linkOf(e *ent.AuditEntry, version int) link {
	return link{
		Version: version, Seq: e.Seq, PrevHash: e.PrevHash, ID: string(e.ID), At: storedTime(e.At).Format(time.RFC3339Nano),
		ActorID: e.ActorID, ActorRole: e.ActorRole, Action: e.Action, EntityType: e.EntityType, EntityID: e.EntityID,
		FacilityID: e.FacilityID, RequestID: e.RequestID, Address: e.Address, Before: e.Before, After: e.After,
	}
}

// advanceQuery bumps the chain head and returns its new seq in one statement (an upsert, so a new
// database needs no seed row); PostgreSQL and SQLite (3.35+) both take it. The values are constants:
// no placeholders, whose syntax the dialects do not share.
var advanceQuery = fmt.Sprintf(`INSERT INTO %[1]s (%[2]s, %[3]s) VALUES (%[4]d, 1) ON CONFLICT (%[2]s) DO UPDATE SET %[3]s = %[1]s.%[3]s + 1 RETURNING %[3]s`,
	auditchainhead.Table, auditchainhead.FieldID, auditchainhead.FieldSeq, headID)

// advanceHead takes the chain head's row lock, for the rest of client's transaction, and returns the
// seq of the entry to write. The head is the one row every audited change in the hospital writes:
// callers take it as late in their transaction as they can.
func advanceHead(ctx context.Context, client *ent.Client) (int64, error) {
	rows, err := client.QueryContext(ctx, advanceQuery)
	if err != nil {
		return 0, fmt.Errorf("advancing the audit chain: %w", err)
	}
	defer rows.Close()
	var seq int64
	if !rows.Next() {
		return 0, fmt.Errorf("advancing the audit chain: no seq returned: %w", rows.Err())
	}
	if err := rows.Scan(&seq); err != nil {
		return 0, fmt.Errorf("reading the audit chain head: %w", err)
	}
	return seq, rows.Close()
}

// appendEntry writes e as the next link of the chain through client, which must be bound to the
// transaction the entry belongs to: the head's row lock is what keeps concurrent writers in single
// file, and it lasts until that transaction ends.
func appendEntry(ctx context.Context, client *ent.Client, e *ent.AuditEntry) error {
	sys := auth.SystemContext(ctx)
	seq, err := advanceHead(sys, client)
	if err != nil {
		return err
	}
	e.Seq = seq
	if e.Seq > 1 {
		// Its hash alone: the entry's before and after states are the bulk of the row.
		prev, err := client.AuditEntry.Query().Where(auditentry.Seq(e.Seq - 1)).Select(auditentry.FieldHash).Only(sys)
		switch {
		case ent.IsNotFound(err):
			// The entry before is gone (deleted below the application). Refusing to write would stop
			// every audited change in the hospital; the gap stays visible to verify instead.
		case err != nil:
			return fmt.Errorf("reading the previous audit entry: %w", err)
		default:
			e.PrevHash = prev.Hash
		}
	}
	if e.Hash, err = linkOf(e, keyedVersion).hash(chainKey.get()); err != nil {
		return err
	}
	c := client.AuditEntry.Create().
		SetID(e.ID).SetAt(e.At).SetAction(e.Action).SetEntityType(e.EntityType).SetEntityID(e.EntityID).
		SetFacilityID(e.FacilityID).SetRequestID(e.RequestID).SetAddress(e.Address).
		SetActorID(e.ActorID).SetActorRole(e.ActorRole).
		SetSeq(e.Seq).SetPrevHash(e.PrevHash).SetHash(e.Hash)
	if e.Before != nil {
		c.SetBefore(e.Before)
	}
	if e.After != nil {
		c.SetAfter(e.After)
	}
	// The viewer's context, not the system's: the privacy policy still decides who may write entries.
	if err := c.Exec(ctx); err != nil {
		return fmt.Errorf("writing audit entry for %s: %w", e.Action, err)
	}
	return nil
}
