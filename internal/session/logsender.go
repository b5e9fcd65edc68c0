package session

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/internal/auth"
)

var _ CodeSender = (*LogCodeSender)(nil)

// LogCodeSender is the CodeSender when no SMS provider is configured. On a local install, a demo or in
// development (Reveal) it records each code as a Notification on the LOG channel (visible to admins)
// and writes it to the log: that is how the code reaches a person, who reads it out to the patient.
// In production a sign-in code and the phone it was for are secrets that must not sit in logs or
// tables: it records that a code was asked for and could not be delivered, without either.
type LogCodeSender struct {
	client *ent.Client
	log    *slog.Logger
	reveal bool
}

// NewLogCodeSender returns a LogCodeSender writing through client (outside any transaction) and log
// (nil discards); reveal says whether codes may be shown (never in production).
func NewLogCodeSender(client *ent.Client, log *slog.Logger, reveal bool) *LogCodeSender {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &LogCodeSender{client: client, log: log, reveal: reveal}
}

// SendCode records code for phone (and logs it, when revealing).
func (l *LogCodeSender) SendCode(ctx context.Context, phone, code string) error {
	// The patient asking for a code is not signed in: the notification is written as the system.
	n := l.client.Notification.Create().
		SetChannel(notification.ChannelLOG).
		SetKind("code").
		SetAttempts(1)
	if l.reveal {
		n.SetRecipient(phone).
			SetBody(fmt.Sprintf("Your CareQueue sign-in code is %s. It expires in a few minutes.", code)).
			SetStatus(notification.StatusLOGGED).
			SetError("no SMS provider configured: the code is in the server log (development only)")
	} else {
		n.SetBody("A patient asked for a sign-in code.").
			SetStatus(notification.StatusFAILED).
			SetError(errNoSMSProvider)
	}
	if err := n.Exec(auth.SystemContext(ctx)); err != nil {
		return fmt.Errorf("recording sign-in code notification: %w", err)
	}
	if !l.reveal {
		l.log.WarnContext(ctx, "patient sign-in code not delivered: "+errNoSMSProvider)
		return nil
	}
	// Logging a secret is normally wrong, but outside production, with no SMS provider, the log and the
	// LOG notification are the only way the code reaches a person.
	l.log.InfoContext(ctx, "patient sign-in code (log sender, no SMS provider configured)", "phone", phone, "code", code)
	return nil
}

const errNoSMSProvider = "no SMS provider is configured (TWILIO_ACCOUNT_SID): patients cannot sign in to the app"
