package notify

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
