package notify

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/ent/schema/pulid"
)

// A ticket message keeps one Notification row per channel, whose id is derived from the job's args
// and the channel (see rowID). That id is how a retried or rescued job finds what an earlier attempt
// did, without a schema change: a SENT row means a provider accepted the message, and the job then
// sends nothing more. The primary key also makes the row's creation a claim: two runs of one job
// cannot both create it. The row is written SENT right after the provider accepts; only a crash in
// between (milliseconds) could lead to a second send.
//
// Matching rows on ticket_id + kind + created_at instead would be wrong: a recall within the retry
// window of the first call's message would find the first call's row and never be sent.

// rowID is the id of a ticket message's row on channel ch (see derivedID).
func rowID(a TicketMessageArgs, ch Channel, jobCreated time.Time) pulid.ID {
	return derivedID(jobCreated, a.TicketID, string(a.MessageKind), strconv.Itoa(a.Version), string(ch))
}

// derivedID is the id of the Notification row of a job: "NT" and a ULID whose time is the job's
// creation and whose 80 "random" bits are the start of SHA-256 of parts, which name the job's event
// (its args) and the channel. The ids in the hash are themselves random, so the id is as unguessable
// as a fresh one.
func derivedID(jobCreated time.Time, parts ...string) pulid.ID {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	var u ulid.ULID
	_ = u.SetTime(ulid.Timestamp(jobCreated)) // fails only after the year 10889
	_ = u.SetEntropy(sum[:10])                // exactly 10 bytes: cannot fail
	return pulid.ID("NT" + u.String())
}

// rows is what earlier attempts of one job recorded, by channel.
type rows struct {
	client  *ent.Client
	args    TicketMessageArgs
	created time.Time
	patient string
	byCh    map[Channel]*ent.Notification
}

func loadRows(ctx context.Context, client *ent.Client, a TicketMessageArgs, created time.Time) (*rows, error) {
	r := &rows{client: client, args: a, created: created, byCh: map[Channel]*ent.Notification{}}
	ns, err := client.Notification.Query().
		Where(notification.IDIn(rowID(a, Push, created), rowID(a, SMS, created))).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading earlier attempts: %w", err)
	}
	for _, n := range ns {
		// By id, not by the row's channel: a row the log sender took is on channel LOG.
		ch := SMS
		if n.ID == rowID(a, Push, created) {
			ch = Push
		}
		r.byCh[ch] = n
	}
	return r, nil
}

// settled reports that an earlier run finished the job: a provider accepted the message, or it was
// dropped or skipped on purpose.
func (r *rows) settled() bool {
	for ch, n := range r.byCh {
		// A push that only reached the log leaves the SMS fallback to do.
		if settled(n.Status) && (ch != Push || n.Status != notification.StatusLOGGED) {
			return true
		}
	}
	return false
}

// settled reports a row's status after which its job has nothing more to do.
func settled(s notification.Status) bool {
	switch s {
	case notification.StatusSENT, notification.StatusDELIVERED, notification.StatusSTALE, notification.StatusSKIPPED, notification.StatusLOGGED:
		return true
	default: // pending, or failed and to be retried
		return false
	}
}

// claim returns the channel's row, creating it PENDING on the first attempt.
func (r *rows) claim(ctx context.Context, ch Channel, recipient, body string) (*ent.Notification, error) {
	if n := r.byCh[ch]; n != nil {
		return n, nil
	}
	n, err := r.create(ctx, ch, notification.StatusPENDING, recipient, body, "")
	if err != nil {
		return nil, err
	}
	r.byCh[ch] = n
	return n, nil
}

// final records a row that is settled from the start (STALE, SKIPPED); an existing row is updated.
func (r *rows) final(ctx context.Context, ch Channel, status notification.Status, reason string) error {
	if n := r.byCh[ch]; n != nil {
		return n.Update().SetStatus(status).SetError(reason).Exec(ctx)
	}
	_, err := r.create(ctx, ch, status, "", "", reason)
	return err
}

func (r *rows) create(ctx context.Context, ch Channel, status notification.Status, recipient, body, reason string) (*ent.Notification, error) {
	c := r.client.Notification.Create().
		SetID(rowID(r.args, ch, r.created)).
		SetChannel(notification.Channel(ch)).
		SetKind(string(r.args.MessageKind)).
		SetStatus(status).
		SetTicketID(r.args.TicketID).
		SetNillableRecipient(nonEmpty(recipient)).
		SetNillableBody(nonEmpty(body)).
		SetNillableError(nonEmpty(shortError(reason)))
	if r.patient != "" {
		c.SetPatientID(r.patient)
	}
	n, err := c.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("recording %s notification: %w", ch, err)
	}
	return n, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// shortError fits a provider's error text into Notification.error, for admins only.
func shortError(s string) string {
	const limit = 1000
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit-3], "") + "..."
}
