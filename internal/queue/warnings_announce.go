package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/carequeue/carequeue/ent"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/ent/ticket"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/store"
)

// ShareAnnounceSpacing is the least time between two announcements of a queue's URGENT_SHARE_HIGH
// warning: a share hovering around the limit turns the warning on and off every few minutes, and the
// nurse in charge needs to hear of it once, not with every flicker.
const ShareAnnounceSpacing = ShareWindow

// ShareStep is what one check of a queue's urgent share does to its stored warning state
// (Queue.urgent_share_high_since, urgent_share_announced_at).
type ShareStep int

// The steps.
const (
	ShareKeep       ShareStep = iota // nothing changed
	ShareStart                       // the warning came on: record it and announce it
	ShareStartQuiet                  // it came on again within ShareAnnounceSpacing of the last announcement: record it only
	ShareEnd                         // the warning went off: record it, so that its next start is news
)

// NextShareStep returns the step of a queue whose warning is high now, was on since since (nil: it
// was off) and was last announced at announced (nil: never), at now.
func NextShareStep(high bool, since, announced *time.Time, now time.Time) ShareStep {
	switch {
	case high && since == nil && (announced == nil || now.Sub(*announced) >= ShareAnnounceSpacing):
		return ShareStart
	case high && since == nil:
		return ShareStartQuiet
	case !high && since != nil:
		return ShareEnd
	default:
		return ShareKeep
	}
}

// AnnounceWarnings checks every active queue's urgent share and hands each URGENT_SHARE_HIGH warning
// that has just started to the Announcer, in the transaction that records the start (so a start is
// announced once, whichever of two runs records it). It reads the service spans of all queues in one
// statement, acts as the system and returns how many starts it announced.
func (s *Service) AnnounceWarnings(ctx context.Context) (int, error) {
	sys := auth.SystemContext(ctx)
	now := s.now()
	qs, err := s.client.Queue.Query().Where(entqueue.Active(true)).All(sys)
	if err != nil {
		return 0, fmt.Errorf("reading queues: %w", err)
	}
	spans, err := s.readSpans(sys, ticket.HasQueueWith(entqueue.Active(true)), now)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, q := range qs {
		ws := Warnings(spans[q.ID], now, q.UrgentShareLimitPercent)
		step := NextShareStep(len(ws) > 0, q.UrgentShareHighSince, q.UrgentShareAnnouncedAt, now)
		if step == ShareKeep {
			continue
		}
		var w *Warning
		if len(ws) > 0 {
			w = ws[0]
		}
		announced, err := s.applyShareStep(sys, q, step, w, now)
		if err != nil {
			errs = append(errs, err) // one queue's failure must not silence the others
			continue
		}
		if announced {
			n++
			s.log.InfoContext(ctx, "urgent share warning started", "queue_id", q.ID, "share_percent", *w.SharePercent,
				"limit_percent", *w.LimitPercent)
		}
	}
	return n, errors.Join(errs...)
}

// applyShareStep records step on q and, for ShareStart, announces w; it reports whether it announced.
// The update is conditional on the state it read, so of two runs only one records (and announces) it.
func (s *Service) applyShareStep(ctx context.Context, q *ent.Queue, step ShareStep, w *Warning, now time.Time) (bool, error) {
	announced := false
	err := s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		u := tx.Client.Queue.Update().Where(entqueue.ID(q.ID))
		if step == ShareEnd {
			u.Where(entqueue.UrgentShareHighSinceNotNil()).ClearUrgentShareHighSince()
		} else {
			u.Where(entqueue.UrgentShareHighSinceIsNil()).SetUrgentShareHighSince(now)
		}
		if step == ShareStart {
			u.SetUrgentShareAnnouncedAt(now)
		}
		n, err := u.Save(ctx)
		if err != nil {
			return fmt.Errorf("recording queue %s's urgent share warning: %w", q.ID, err)
		}
		if n == 0 || step != ShareStart || s.announce == nil {
			return nil
		}
		announced = true
		return s.announce.UrgentShareHigh(ctx, tx, q, w, now)
	})
	return announced && err == nil, err
}
