package notify

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/ent/patient"
	"github.com/carequeue/carequeue/internal/auth"
)

// codeSendTimeout bounds one sign-in code SMS.
const codeSendTimeout = 20 * time.Second

// CodeSender sends patients their one-time sign-in codes by SMS (it implements session.CodeSender).
//
// The send happens after SendCode returns: how long a code request takes must not reveal whether the
// phone belongs to a patient, and a provider's latency would. It is not a River job on purpose: the
// job's arguments would keep the plaintext code in the database, and a lost code costs only a new
// request (codes live five minutes). Each send is recorded as a Notification whose body hides the code.
type CodeSender struct {
	client *ent.Client
	sms    SMSSender
	log    *slog.Logger
	wg     sync.WaitGroup
}

// NewCodeSender returns a CodeSender sending through sms.
func NewCodeSender(client *ent.Client, sms SMSSender, log *slog.Logger) *CodeSender {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &CodeSender{client: client, sms: sms, log: log}
}

// SendCode queues the code's SMS and returns at once.
func (c *CodeSender) SendCode(ctx context.Context, phone, code string) error {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), codeSendTimeout)
		defer cancel()
		c.send(ctx, phone, code)
	}()
	return nil
}

// Wait blocks until the codes in flight are sent (for shutdown and tests).
func (c *CodeSender) Wait() { c.wg.Wait() }

func (c *CodeSender) send(ctx context.Context, phone, code string) {
	sys := auth.SystemContext(ctx)
	lang := English
	if p, err := c.client.Patient.Query().Where(patient.Phone(phone)).First(sys); err == nil {
		lang = LangOf(p.Language)
	}
	m := Message{Kind: Code, Language: string(lang), SignInCode: code}
	body := Render(m)
	id, err := c.sms.Send(ctx, phone, body)
	// The code never goes into the admin-visible record.
	hidden := Render(Message{Kind: Code, Language: string(lang), SignInCode: strings.Repeat("•", len(code))})
	rec := c.client.Notification.Create().
		SetChannel(notification.ChannelSMS).
		SetKind(string(Code)).
		SetRecipient(phone).
		SetBody(hidden).
		SetAttempts(1)
	if errors.Is(err, ErrNoProvider) {
		rec.SetStatus(notification.StatusLOGGED).SetChannel(notification.ChannelLOG).SetProviderID(id).SetError(err.Error())
	} else if err != nil {
		c.log.WarnContext(ctx, "sending sign-in code", "err", err)
		rec.SetStatus(notification.StatusFAILED).SetError(shortError(err.Error()))
	} else {
		rec.SetStatus(notification.StatusSENT).SetProviderID(id).SetSentAt(time.Now().UTC())
	}
	if err := rec.Exec(sys); err != nil {
		c.log.WarnContext(ctx, "recording sign-in code message", "err", err)
	}
}
