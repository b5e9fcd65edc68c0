package offline

import (
	"strconv"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

func ptr[T any](v T) *T { return &v }

func start(seq int, key string) *Operation {
	return &Operation{Sequence: seq, Kind: enum.ActionStart, IdempotencyKey: key, TicketID: ptr(pulid.ID("TK1"))}
}

func TestCheckBatch(t *testing.T) {
	t.Parallel()
	tooMany := make([]*Operation, MaxBatch+1)
	for i := range tooMany {
		tooMany[i] = start(i, "k"+strconv.Itoa(i))
	}
	for _, c := range []struct {
		name          string
		ops           []*Operation
		field, reason string
	}{
		{"Empty", nil, "", ""},
		{"Consecutive", []*Operation{start(7, "a"), start(8, "b"), start(9, "c")}, "", ""},
		{"EveryKind", []*Operation{
			{Sequence: 1, Kind: enum.ActionCheckIn, IdempotencyKey: "a", CheckIn: &queue.CheckInInput{IdempotencyKey: ptr("a")}},
			{Sequence: 2, Kind: enum.ActionCall, IdempotencyKey: "b", QueueID: ptr(pulid.ID("QU")), ServicePointID: ptr(pulid.ID("SP"))},
			{Sequence: 3, Kind: enum.ActionRecall, IdempotencyKey: "c", TicketID: ptr(pulid.ID("TK"))},
			{Sequence: 4, Kind: enum.ActionComplete, IdempotencyKey: "d", TicketID: ptr(pulid.ID("TK")), Note: ptr("fine")},
			{Sequence: 5, Kind: enum.ActionNoShow, IdempotencyKey: "e", TicketID: ptr(pulid.ID("TK"))},
			{Sequence: 6, Kind: enum.ActionCancel, IdempotencyKey: "f", TicketID: ptr(pulid.ID("TK")), Reason: ptr("left")},
			{Sequence: 7, Kind: enum.ActionTransfer, IdempotencyKey: "g", TicketID: ptr(pulid.ID("TK")), QueueID: ptr(pulid.ID("QU"))},
			{Sequence: 8, Kind: enum.ActionRetriage, IdempotencyKey: "h", TicketID: ptr(pulid.ID("TK")), TriageLevel: ptr(enum.TriageLevelUrgent)},
		}, "", ""},
		{"ErrTooLarge", tooMany, "operations", ReasonTooLarge},
		{"ErrGap", []*Operation{start(1, "a"), start(3, "b")}, "operations[1].sequence", ReasonGap},
		{"ErrOutOfOrder", []*Operation{start(2, "a"), start(1, "b")}, "operations[1].sequence", ReasonGap},
		{"ErrRepeatedSequence", []*Operation{start(1, "a"), start(1, "b")}, "operations[1].sequence", ReasonGap},
		{"ErrDuplicateKey", []*Operation{start(1, "a"), start(2, "b"), start(3, "a")}, "operations[2].idempotencyKey", ReasonDuplicate},
		{"ErrBlankKey", []*Operation{start(1, "  ")}, "operations[0].idempotencyKey", ReasonMalformed},
		{"ErrLongKey", []*Operation{start(1, string(make([]byte, queue.MaxKeyLen+1)))}, "operations[0].idempotencyKey", ReasonMalformed},
		{"ErrEscalate", []*Operation{{Sequence: 1, Kind: enum.ActionEscalate, IdempotencyKey: "a", TicketID: ptr(pulid.ID("TK"))}}, "operations[0].kind", ReasonMalformed},
		{"ErrMissingTicket", []*Operation{{Sequence: 1, Kind: enum.ActionStart, IdempotencyKey: "a"}}, "operations[0].ticketID", ReasonMalformed},
		{"ErrCancelWithoutReason", []*Operation{{Sequence: 1, Kind: enum.ActionCancel, IdempotencyKey: "a", TicketID: ptr(pulid.ID("TK"))}}, "operations[0].reason", ReasonMalformed},
		{"ErrFieldNotTaken", []*Operation{{Sequence: 1, Kind: enum.ActionCall, IdempotencyKey: "a", QueueID: ptr(pulid.ID("QU")),
			ServicePointID: ptr(pulid.ID("SP")), TicketID: ptr(pulid.ID("TK"))}}, "operations[0].ticketID", ReasonMalformed},
		{"ErrCheckInWithoutInput", []*Operation{{Sequence: 1, Kind: enum.ActionCheckIn, IdempotencyKey: "a"}}, "operations[0].checkIn", ReasonMalformed},
		{"ErrCheckInOtherKey", []*Operation{{Sequence: 1, Kind: enum.ActionCheckIn, IdempotencyKey: "a", CheckIn: &queue.CheckInInput{IdempotencyKey: ptr("b")}}},
			"operations[0].checkIn.idempotencyKey", ReasonMalformed},
		{"ErrMalformedAfterGoodOnes", []*Operation{start(1, "a"), start(2, "b"), {Sequence: 3, Kind: enum.ActionRecall, IdempotencyKey: "c"}},
			"operations[2].ticketID", ReasonMalformed},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := CheckBatch(c.ops)
			if c.reason == "" {
				require.NoError(t, err)
				return
			}
			var ce *cqerr.Error
			require.ErrorAs(t, err, &ce)
			require.Equal(t, cqerr.BadUserInput, ce.Code)
			require.Equal(t, c.field, ce.Field)
			require.Equal(t, c.reason, ce.Reason)
			require.NotEmpty(t, ce.Message)
		})
	}
}

func TestCursor(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	at := func(t time.Time) string {
		return cursorPrefix + ulid.MustNew(ulid.Timestamp(t), ulid.DefaultEntropy()).String()
	}
	t.Run("RoundTrips", func(t *testing.T) {
		id := eventAt(now.Add(-time.Hour))
		got, err := decode(encode(id), now)
		require.NoError(t, err)
		require.Equal(t, id, got)
		require.Less(t, string(got), string(pulid.ID(eventPrefix+ulid.MustNew(ulid.Timestamp(now.Add(-time.Hour)), ulid.DefaultEntropy()).String())),
			"the cursor of an instant sorts before every event made then")
	})
	for _, c := range []struct{ name, cursor, reason string }{
		{"ErrGarbage", "not a cursor", ReasonCursorMalformed},
		{"ErrEventID", "TE" + ulid.Make().String(), ReasonCursorMalformed},
		{"ErrNoPrefix", ulid.Make().String(), ReasonCursorMalformed},
		{"ErrBadULID", cursorPrefix + "ZZZZZZZZZZZZZZZZZZZZZZZZZZ", ReasonCursorMalformed},
		{"ErrInjection", cursorPrefix + "' OR 1=1 --", ReasonCursorMalformed},
		{"ErrFuture", at(now.Add(Skew + time.Second)), ReasonCursorFuture},
		{"ErrTooOld", at(now.Add(-Window - time.Second)), ReasonResync},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := decode(c.cursor, now)
			var ce *cqerr.Error
			require.ErrorAs(t, err, &ce)
			require.Equal(t, cqerr.BadUserInput, ce.Code)
			require.Equal(t, "since", ce.Field)
			require.Equal(t, c.reason, ce.Reason)
		})
	}
	t.Run("SkewAllowed", func(t *testing.T) {
		_, err := decode(at(now.Add(Skew-time.Second)), now)
		require.NoError(t, err)
	})
}
