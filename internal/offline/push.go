package offline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

// Status is what became of one operation (GraphQL SyncOperationStatus).
type Status string

// The statuses of an operation.
const (
	Applied Status = "APPLIED"
	Failed  Status = "FAILED"
	Skipped Status = "SKIPPED"
)

// The reasons of a SKIPPED operation.
const (
	ReasonNotReached      = "NOT_REACHED"
	ReasonDependsOnFailed = "DEPENDS_ON_FAILED"
)

// MarshalGQL writes the status as its enum value.
func (s Status) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(s))) }

// UnmarshalGQL reads a SyncOperationStatus (the type is output only; this completes the interface).
func (s *Status) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok || (Status(str) != Applied && Status(str) != Failed && Status(str) != Skipped) {
		return fmt.Errorf("%v is not a SyncOperationStatus", v)
	}
	*s = Status(str)
	return nil
}

// OpError is why an operation failed or was skipped (GraphQL SyncError).
type OpError struct {
	Code      string
	Message   string
	Field     *string
	Reason    *string
	DependsOn *int
}

// Result is the outcome of one operation (GraphQL SyncOperationResult).
type Result struct {
	Sequence       int
	IdempotencyKey string
	Status         Status
	Ticket         *ent.Ticket
	Error          *OpError
}

// deadlineMargin is the time an operation is given at least: one started later would likely be cut
// off by the request's deadline and come back UNAVAILABLE, so it is left NOT_REACHED instead.
const deadlineMargin = time.Second

// Push applies the batch in order, each operation through its workflow in a transaction of its own,
// with its key (see queue.Key): a replay returns the first result, the key reused for anything else
// fails CONFLICT. After a failure the batch goes on, but later operations on the same ticket are
// SKIPPED (DEPENDS_ON_FAILED); after an UNAVAILABLE or INTERNAL failure, or when the request's deadline
// is near, the rest is SKIPPED (NOT_REACHED). A batch CheckBatch refuses is refused whole
// (BAD_USER_INPUT, recorded in the audit log) and changes nothing.
func (s *Service) Push(ctx context.Context, ops []*Operation) ([]*Result, error) {
	if err := signedIn(ctx); err != nil {
		return nil, err
	}
	if err := CheckBatch(ops); err != nil {
		var ce *cqerr.Error
		if errors.As(err, &ce) {
			s.record(ctx, "syncPush."+ce.Field, ce.Reason, ce.Message)
		}
		return nil, err
	}
	out := make([]*Result, 0, len(ops))
	failedOn := map[pulid.ID]int{} // ticket → sequence of the failed operation on it
	stopped := false
	for i, op := range ops {
		r := &Result{Sequence: op.Sequence, IdempotencyKey: op.IdempotencyKey}
		out = append(out, r)
		if !stopped && nearDeadline(ctx) {
			stopped = true
		}
		if stopped {
			r.skip(ReasonNotReached, "not tried: the batch stopped before it; send it again", nil)
			continue
		}
		if op.TicketID != nil {
			if seq, ok := failedOn[*op.TicketID]; ok {
				r.skip(ReasonDependsOnFailed, fmt.Sprintf("not tried: operation %d on the same ticket failed", seq), &seq)
				continue
			}
		}
		t, err := s.apply(ctx, op)
		if err == nil {
			r.Status, r.Ticket = Applied, t
			continue
		}
		e := s.o.Explain(ctx, err)
		r.Status, r.Error = Failed, &OpError{Code: string(e.Code), Message: e.Message, Field: nonEmpty(e.Field), Reason: nonEmpty(e.Reason)}
		switch e.Code {
		case cqerr.Unavailable, cqerr.Internal:
			stopped = true
		case cqerr.Forbidden:
			s.denied(ctx, fmt.Sprintf("syncPush.operations[%d]", i), e.Message)
		default:
			// The operation's own refusal: the batch goes on.
		}
		if op.TicketID != nil {
			failedOn[*op.TicketID] = op.Sequence
		}
	}
	return out, nil
}

func (r *Result) skip(reason, msg string, dependsOn *int) {
	r.Status = Skipped
	r.Error = &OpError{Code: string(cqerr.Conflict), Message: msg, Reason: &reason, DependsOn: dependsOn}
	if reason == ReasonNotReached {
		r.Error.Code = string(cqerr.Unavailable)
	}
}

func nearDeadline(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && time.Until(d) < deadlineMargin
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// apply runs op's workflow, exactly as its mutation's resolver does.
func (s *Service) apply(ctx context.Context, op *Operation) (*ent.Ticket, error) {
	q, key := s.o.Queue, queue.NewKey(op.IdempotencyKey)
	switch op.Kind {
	case enum.ActionCheckIn:
		in := *op.CheckIn
		in.IdempotencyKey = &op.IdempotencyKey
		return q.CheckIn(ctx, key, in)
	case enum.ActionCall:
		return q.CallNext(ctx, key, *op.QueueID, *op.ServicePointID)
	case enum.ActionRecall:
		return q.RecallTicket(ctx, key, *op.TicketID)
	case enum.ActionStart:
		return q.StartService(ctx, key, *op.TicketID)
	case enum.ActionComplete:
		return q.CompleteTicket(ctx, key, *op.TicketID, op.Note)
	case enum.ActionNoShow:
		return q.MarkNoShow(ctx, key, *op.TicketID)
	case enum.ActionCancel:
		return q.CancelTicket(ctx, key, *op.TicketID, *op.Reason)
	case enum.ActionTransfer:
		return q.TransferTicket(ctx, key, *op.TicketID, *op.QueueID, op.TriageLevel)
	case enum.ActionRetriage:
		return q.RetriageTicket(ctx, key, *op.TicketID, *op.TriageLevel, op.Reason)
	default:
		// CheckBatch lets no other kind through.
		return nil, fmt.Errorf("sync: unexpected kind %s", op.Kind)
	}
}
