package offline

import (
	"fmt"
	"strings"

	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

// MaxBatch is the most operations one syncPush takes: about a shift of a busy reception desk, and
// what one request can apply within its deadline (docs/BENCHMARKS.md).
const MaxBatch = 1000

// The reasons (extensions.reason) of a batch refused as a whole.
const (
	ReasonTooLarge  = "BATCH_TOO_LARGE"
	ReasonGap       = "SEQUENCE_GAP"
	ReasonDuplicate = "DUPLICATE_KEY"
	ReasonMalformed = "MALFORMED_OPERATION"
)

// Operation is one queued workflow action (GraphQL SyncOperationInput): Kind says which of the other
// fields it takes, exactly the arguments of the kind's mutation.
type Operation struct {
	Sequence       int
	Kind           enum.Action
	IdempotencyKey string
	CheckIn        *queue.CheckInInput
	QueueID        *pulid.ID
	ServicePointID *pulid.ID
	TicketID       *pulid.ID
	Note           *string
	Reason         *string
	TriageLevel    *enum.TriageLevel
}

// field names one of an operation's optional fields as GraphQL does.
type field string

const (
	fCheckIn        field = "checkIn"
	fQueueID        field = "queueID"
	fServicePointID field = "servicePointID"
	fTicketID       field = "ticketID"
	fNote           field = "note"
	fReason         field = "reason"
	fTriageLevel    field = "triageLevel"
)

// shape is what a kind takes: the fields it requires and those it may have.
type shape struct{ required, optional []field }

// shapes are the kinds a client may queue. ESCALATE is the system's.
var shapes = map[enum.Action]shape{
	enum.ActionCheckIn:  {required: []field{fCheckIn}},
	enum.ActionCall:     {required: []field{fQueueID, fServicePointID}},
	enum.ActionRecall:   {required: []field{fTicketID}},
	enum.ActionStart:    {required: []field{fTicketID}},
	enum.ActionComplete: {required: []field{fTicketID}, optional: []field{fNote}},
	enum.ActionNoShow:   {required: []field{fTicketID}},
	enum.ActionCancel:   {required: []field{fTicketID, fReason}},
	enum.ActionTransfer: {required: []field{fTicketID, fQueueID}, optional: []field{fTriageLevel}},
	enum.ActionRetriage: {required: []field{fTicketID, fTriageLevel}, optional: []field{fReason}},
}

// set lists the optional fields op carries.
func (op *Operation) set() map[field]bool {
	return map[field]bool{
		fCheckIn: op.CheckIn != nil, fQueueID: op.QueueID != nil, fServicePointID: op.ServicePointID != nil,
		fTicketID: op.TicketID != nil, fNote: op.Note != nil, fReason: op.Reason != nil, fTriageLevel: op.TriageLevel != nil,
	}
}

// CheckBatch refuses a batch that must not be applied at all, with BAD_USER_INPUT, a reason and the
// field at fault: more than MaxBatch operations, sequences that are not consecutive, a key used twice
// or out of bounds, a kind clients cannot queue, a field the kind needs missing or one it does not
// take given. It looks at the shape only: whether an operation can be applied is its workflow's call.
func CheckBatch(ops []*Operation) error {
	if len(ops) > MaxBatch {
		return cqerr.Ef(cqerr.BadUserInput, "a sync batch takes at most %d operations; send the rest in another batch", MaxBatch).
			WithField("operations").WithReason(ReasonTooLarge)
	}
	keys := make(map[string]int, len(ops))
	for i, op := range ops {
		at := fmt.Sprintf("operations[%d]", i)
		if i > 0 && op.Sequence != ops[i-1].Sequence+1 {
			return cqerr.Ef(cqerr.BadUserInput, "operation %d has sequence %d after %d: sequences must be consecutive, an operation is missing or out of order",
				i, op.Sequence, ops[i-1].Sequence).WithField(at + ".sequence").WithReason(ReasonGap)
		}
		if strings.TrimSpace(op.IdempotencyKey) == "" || len(op.IdempotencyKey) > queue.MaxKeyLen {
			return cqerr.Ef(cqerr.BadUserInput, "idempotencyKey must be 1 to %d characters", queue.MaxKeyLen).
				WithField(at + ".idempotencyKey").WithReason(ReasonMalformed)
		}
		if j, dup := keys[op.IdempotencyKey]; dup {
			return cqerr.Ef(cqerr.BadUserInput, "operations %d and %d have the same idempotencyKey: each action needs its own", j, i).
				WithField(at + ".idempotencyKey").WithReason(ReasonDuplicate)
		}
		keys[op.IdempotencyKey] = i
		if err := checkShape(op); err != nil {
			return cqerr.Under(err, at)
		}
	}
	return nil
}

func checkShape(op *Operation) error {
	sh, ok := shapes[op.Kind]
	if !ok {
		return cqerr.Ef(cqerr.BadUserInput, "%s cannot be sent in a sync batch", op.Kind).WithField("kind").WithReason(ReasonMalformed)
	}
	has := op.set()
	for _, f := range sh.required {
		if !has[f] {
			return cqerr.Ef(cqerr.BadUserInput, "%s needs %s", op.Kind, f).WithField(string(f)).WithReason(ReasonMalformed)
		}
		delete(has, f)
	}
	for _, f := range sh.optional {
		delete(has, f)
	}
	for _, f := range []field{fCheckIn, fQueueID, fServicePointID, fTicketID, fNote, fReason, fTriageLevel} {
		if has[f] {
			return cqerr.Ef(cqerr.BadUserInput, "%s does not take %s", op.Kind, f).WithField(string(f)).WithReason(ReasonMalformed)
		}
	}
	if op.CheckIn != nil && op.CheckIn.IdempotencyKey != nil && *op.CheckIn.IdempotencyKey != op.IdempotencyKey {
		return cqerr.E(cqerr.BadUserInput, "checkIn.idempotencyKey must be null or the operation's idempotencyKey").
			WithField("checkIn.idempotencyKey").WithReason(ReasonMalformed)
	}
	return nil
}
