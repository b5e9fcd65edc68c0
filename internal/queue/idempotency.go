package queue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/idempotencykey"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// MaxKeyLen bounds a client's idempotency key (a UUID is 36 characters).
const MaxKeyLen = 128

// KeyWindow is how long a key is remembered. A retry within it returns the first result; after it the
// key is forgotten and may be used again (the offline dashboard replays within minutes).
const KeyWindow = 24 * time.Hour

// Key is a client's idempotency key for one workflow call. Every workflow takes one: the zero Key
// means the client sent none, and the call simply runs.
//
// The rule: the same actor repeating the same key for the same action on the same target with the same
// arguments, within KeyWindow, gets the first call's ticket as it is now and changes nothing; the same
// key with anything else is CONFLICT. Keys belong to their actor, so two clients choosing the same key
// never see each other's results.
type Key struct {
	value string
	given bool
}

// NoKey is the zero Key: the call has no idempotency key.
var NoKey Key

// KeyOf is the key a client sent (nil: none). Its validity is checked when a workflow runs.
func KeyOf(s *string) Key {
	if s == nil {
		return Key{}
	}
	return Key{value: *s, given: true}
}

// NewKey is KeyOf for a key known to be sent.
func NewKey(s string) Key { return Key{value: s, given: true} }

// String is the key, "" for none.
func (k Key) String() string { return k.value }

func (k Key) validate() error {
	if k.given && (strings.TrimSpace(k.value) == "" || len(k.value) > MaxKeyLen) {
		return cqerr.Ef(cqerr.BadUserInput, "idempotencyKey must be 1 to %d characters", MaxKeyLen).WithField("idempotencyKey")
	}
	return nil
}

// request is one keyed workflow call: what the key must match when it is used again.
type request struct {
	key    Key
	action Action
	// target is what the call acts on: the queue of a check-in or callNext, the ticket of the others,
	// the facility of a kiosk's check-in (whose queue is found only after the patient).
	target pulid.ID
	// hash is the SHA-256 of the call's other arguments.
	hash string
}

// newRequest describes a call of action on target with args (anything JSON can encode; not the key).
func newRequest(key Key, action Action, target pulid.ID, args ...any) request {
	r := request{key: key, action: action, target: target}
	if key.value != "" {
		b, err := json.Marshal(args)
		if err != nil {
			// The arguments are plain values and IDs; a failure here is a programming error, and an
			// unhashable call must not match another.
			panic(fmt.Sprintf("queue: hashing workflow arguments: %v", err))
		}
		sum := sha256.Sum256(b)
		r.hash = hex.EncodeToString(sum[:])
	}
	return r
}

var keyReused = cqerr.E(cqerr.Conflict, "this idempotency key was already used for another request; use a new key for a new action").
	WithField("idempotencyKey")

// replay returns the ticket an earlier call with the request's key returned, read as the viewer now, or
// nil when the key is new (or expired, in which case it is forgotten here). Workflows call it under the
// queue lock, so a concurrent retry waits for the first call and then finds its key. Errors: CONFLICT
// (keyReused), NOT_FOUND (the first result is no longer visible to the viewer).
func (s *Service) replay(ctx context.Context, c *ent.Client, r request) (*ent.Ticket, error) {
	if r.key.value == "" {
		return nil, nil
	}
	sys := auth.SystemContext(ctx)
	k, err := c.IdempotencyKey.Query().
		Where(idempotencykey.ActorID(actorID(ctx)), idempotencykey.Key(r.key.value)).
		Only(sys)
	switch {
	case ent.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("reading idempotency key: %w", err)
	case s.now().Sub(k.CreatedAt) > KeyWindow:
		if err := c.IdempotencyKey.DeleteOne(k).Exec(sys); err != nil {
			return nil, fmt.Errorf("forgetting expired idempotency key: %w", err)
		}
		return nil, nil
	}
	// An empty target or hash was not recorded (a key carried over from before they were kept).
	if k.Action != r.action || (k.TargetID != "" && k.TargetID != string(r.target)) || (k.RequestHash != "" && k.RequestHash != r.hash) {
		return nil, keyReused
	}
	t, err := c.Ticket.Get(ctx, k.TicketID)
	if err != nil {
		return nil, notFound(err, "ticket")
	}
	return t, nil
}

// remember stores the request's key with the ticket the call returns. Two calls with one key on
// different targets do not share a queue lock; the second insert breaks the unique (actor, key) index
// and is refused the same way replay refuses it.
func (s *Service) remember(ctx context.Context, tx *store.Tx, r request, result pulid.ID) error {
	if r.key.value == "" {
		return nil
	}
	err := tx.Client.IdempotencyKey.Create().
		SetActorID(actorID(ctx)).
		SetKey(r.key.value).
		SetAction(r.action).
		SetTargetID(string(r.target)).
		SetRequestHash(r.hash).
		SetTicketID(result).
		SetCreatedAt(s.now()).
		Exec(auth.SystemContext(ctx))
	if ent.IsConstraintError(err) {
		return keyReused
	}
	if err != nil {
		return fmt.Errorf("storing idempotency key: %w", err)
	}
	return nil
}

// PruneKeys deletes the keys older than KeyWindow and returns how many it deleted.
func (s *Service) PruneKeys(ctx context.Context) (int, error) {
	n, err := s.client.IdempotencyKey.Delete().
		Where(idempotencykey.CreatedAtLT(s.now().Add(-KeyWindow))).
		Exec(auth.SystemContext(ctx))
	if err != nil {
		return 0, fmt.Errorf("pruning idempotency keys: %w", err)
	}
	return n, nil
}
