package session

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/internal/auth"
)

var _ CodeSender = (*LogCodeSender)(nil)

// LogCodeSender is the CodeSender of the embedded default, when no SMS provider is configured: it
// records each code as a Notification on the LOG channel (visible to admins) and writes it to the log.
type LogCodeSender struct {
	client *ent.Client
	log    *slog.Logger
}

// NewLogCodeSender returns a LogCodeSender writing through client (outside any transaction) and log
// (nil discards).
func NewLogCodeSender(client *ent.Client, log *slog.Logger) *LogCodeSender {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &LogCodeSender{client: client, log: log}
}

// SendCode records and logs code for phone.
func (l *LogCodeSender) SendCode(ctx context.Context, phone, code string) error {
	// The patient asking for a code is not signed in: the notification is written as the system.
	err := l.client.Notification.Create().
		SetChannel(notification.ChannelLOG).
		SetKind("code").
		SetRecipient(phone).
		SetBody(fmt.Sprintf("Your CareQueue sign-in code is %s. It expires in a few minutes.", code)).
		SetStatus(notification.StatusSENT).
		SetAttempts(1).
		SetSentAt(time.Now().UTC()).
		Exec(auth.SystemContext(ctx))
	if err != nil {
		return fmt.Errorf("recording sign-in code notification: %w", err)
	}
	// Logging a secret is normally wrong, but this sender is only wired when there is no SMS provider
	// (a local install, a demo, development): the log and the LOG notification are then the only way
	// the code reaches a person, who reads it out to the patient. With Twilio configured this type is
	// not used, and production never logs codes.
	l.log.InfoContext(ctx, "patient sign-in code (log sender, no SMS provider configured)", "phone", phone, "code", code)
	return nil
}
