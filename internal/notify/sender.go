package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
)

// SMSSender sends a text message to an E.164 number and returns the provider's message id.
// twilio.Sender implements it; errors with a Permanent() bool method that reports true stop retries.
type SMSSender interface {
	Send(ctx context.Context, to, body string) (string, error)
}

// PushSender pushes a notification to one device token and returns the provider's message id.
// fcm.Sender implements it. ErrTokenGone (errors.Is) means the device is gone for good.
type PushSender interface {
	Send(ctx context.Context, token, title, body string, data map[string]string) (string, error)
}

// ErrTokenGone is the error (errors.Is) a PushSender returns for a device token that will never work
// again (the app was uninstalled): its Device is deleted. Adapters return it, so this package needs
// none of them.
var ErrTokenGone = errors.New("push token is no longer registered")

// ErrNoProvider is what a LogSender returns with its id: nothing was sent, the message is in the server
// log only. Callers record it as status LOGGED on channel LOG, never as SENT, and do not retry it.
var ErrNoProvider = errors.New("no provider configured for this channel: written to the server log only")

// LogSender stands in for Twilio and Firebase when no credentials are configured: it logs what would
// be sent and returns ErrNoProvider, so the admins' notification log says plainly that nothing left the
// server. Its provider ids start with "log-".
type LogSender struct {
	Logger *slog.Logger // slog.Default() when nil
	// Reveal logs each message's text; otherwise only its channel and length (see Options.RevealInLogs).
	Reveal bool
	n      atomic.Int64
}

// SMS returns s as an SMSSender.
func (s *LogSender) SMS() SMSSender { return logSMS{s} }

// Push returns s as a PushSender.
func (s *LogSender) Push() PushSender { return logPush{s} }

func (s *LogSender) log(ctx context.Context, channel, body string) string {
	id := fmt.Sprintf("log-%d", s.n.Add(1))
	l := s.Logger
	if l == nil {
		l = slog.Default()
	}
	// The recipient is personal data: it stays in the Notification row, out of the logs. So does the
	// text, unless revealing: it holds the status link.
	if s.Reveal {
		l.InfoContext(ctx, "notification not sent: no provider configured", "channel", channel, "provider_id", id, "body", body)
	} else {
		l.InfoContext(ctx, "notification not sent: no provider configured", "channel", channel, "provider_id", id, "length", len(body))
	}
	return id
}

type logSMS struct{ s *LogSender }

func (l logSMS) Send(ctx context.Context, _, body string) (string, error) {
	return l.s.log(ctx, "SMS", body), ErrNoProvider
}

type logPush struct{ s *LogSender }

func (l logPush) Send(ctx context.Context, _, title, body string, _ map[string]string) (string, error) {
	return l.s.log(ctx, "PUSH", title+": "+body), ErrNoProvider
}
