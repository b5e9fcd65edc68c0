package notify

import (
	"time"

	"github.com/carequeue/carequeue/internal/queue"
)

// ShouldNotifyAhead reports whether a waiting ticket at the 1-based position should now get the
// "turn near" message: once per ticket (alreadyNotified is the ticket's own record of it), as soon as
// its position is at or inside the queue's notifyAhead. Checking "at or inside" rather than "equal"
// matters: a ticket can jump past the exact position when several are called at once, a higher
// triage level arrives, or a patient checks in already close to the front. notifyAhead 0 turns the
// message off for the queue.
func ShouldNotifyAhead(position, notifyAhead int, alreadyNotified bool) bool {
	return !alreadyNotified && notifyAhead > 0 && position >= 1 && position <= notifyAhead
}

// Channel is a way to reach a patient; the values are those of Notification.channel.
type Channel string

// The delivery channels for ticket messages.
const (
	Push Channel = "PUSH"
	SMS  Channel = "SMS"
)

// Channels returns, in order of preference, the channels to try for a ticket message; nil means
// stay quiet. The sender tries them in turn and stops at the first that delivers:
//
//   - Push comes first when the patient has registered devices: free, instant, and shown by the app.
//     It counts as delivered when FCM accepted the message for at least one device.
//   - SMS follows only for a patient who opted in and has a phone number, and is used when there is
//     no device or every device failed (unregistered tokens, FCM unavailable after retries). A
//     patient with a phone but no opt-in gets no SMS, even as a fallback.
//
// Sign-in codes do not go through Channels: the patient asked for one, so it is always an SMS to the
// number they typed.
func Channels(hasDevices, smsOptIn, hasPhone bool) []Channel {
	var out []Channel
	if hasDevices {
		out = append(out, Push)
	}
	if smsOptIn && hasPhone {
		out = append(out, SMS)
	}
	return out
}

// The wait-change rule (WaitChange). A patient's range moves a little with every queue change; only a
// move they would act on (go for a coffee, come back sooner) is worth a message.
const (
	// WaitChangeMinutes is the smallest move of the range's upper end that is news: below it the
	// range's own width (often 30 minutes or more) already covers it.
	WaitChangeMinutes = 15
	// WaitChangeShare is the smallest move as a share of the wait the patient still expects: 20
	// minutes matter to someone expecting 40 more, not to someone expecting 4 hours more.
	WaitChangeShare = 0.25
	// WaitChangeSpacing is the least time between two messages about a ticket's wait (the check-in
	// or transfer message included): a queue that swings back and forth sends one message, not many.
	WaitChangeSpacing = 30 * time.Minute
)

// ToldWait is the range a message last told a patient, and when.
type ToldWait struct {
	At        time.Time
	Low, High int
}

// WaitChange reports whether a waiting ticket's patient, last told told (nil: never told a range),
// should now get a "your wait has changed" message, the ticket's range being now (nil: not enough
// data) at the 1-based position of a queue that sends "turn near" at notifyAhead.
//
// The comparison is in clock time: a patient told "40–70 min" 30 minutes ago expects to be called
// within 40 more minutes, so a range of 10–40 now is no change at all, and 40–70 now is 30 minutes
// later than they think. The message goes when the upper end moved by at least WaitChangeMinutes and
// WaitChangeShare of what they still expect (either way: sooner matters as much as later), and the
// rule stays quiet:
//   - when there is no range now (no made-up number) or the patient was never told one (the arrival
//     message had none, or reached nobody);
//   - within the queue's notifyAhead positions, where "your turn is near" speaks instead, and when
//     the range is 0–0 (about to be called: the call itself follows);
//   - within WaitChangeSpacing of the last message about the wait.
func WaitChange(told *ToldWait, now time.Time, current *queue.WaitRange, position, notifyAhead int) bool {
	if !waitChangeCandidate(told, now, position, notifyAhead) || current == nil || current.HighMinutes <= 0 {
		return false
	}
	expected := max(0, told.High-int(now.Sub(told.At)/time.Minute))
	moved := current.HighMinutes - expected
	if moved < 0 {
		moved = -moved
	}
	return moved >= WaitChangeMinutes && float64(moved) >= WaitChangeShare*float64(expected)
}

// AheadTicket is a waiting ticket as the "notify ahead" pass sees it before any estimate: its 1-based
// position, whether it was already told its turn is near, and what its patient was last told of their
// wait (nil: nothing).
type AheadTicket struct {
	ID            string
	Position      int
	NotifiedAhead bool
	Told          *ToldWait
}

// PlanAhead splits a queue's waiting line, at now, into the tickets due a "turn near" message
// (ShouldNotifyAhead) and those whose wait change (WaitChange) must be checked against an estimate:
// only a ticket outside the notifyAhead positions whose patient was told a range at least
// WaitChangeSpacing ago can be owed one, so when recheck is empty the pass needs no estimate at all.
func PlanAhead(line []AheadTicket, notifyAhead int, now time.Time) (due, recheck []string) {
	for _, t := range line {
		switch {
		case ShouldNotifyAhead(t.Position, notifyAhead, t.NotifiedAhead):
			due = append(due, t.ID)
		case waitChangeCandidate(t.Told, now, t.Position, notifyAhead):
			recheck = append(recheck, t.ID)
		}
	}
	return due, recheck
}

// waitChangeCandidate is the part of WaitChange that needs no estimate: false means WaitChange is
// false whatever the range now.
func waitChangeCandidate(told *ToldWait, now time.Time, position, notifyAhead int) bool {
	switch {
	case told == nil || position < 1:
		return false
	case notifyAhead > 0 && position <= notifyAhead:
		return false
	}
	return now.Sub(told.At) >= WaitChangeSpacing
}
