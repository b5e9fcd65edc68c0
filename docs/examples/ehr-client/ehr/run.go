package ehr

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/carequeue/carequeue/docs/examples/webhook-receiver/verify"
)

// Options are what Run needs; the command's flags fill them.
type Options struct {
	Server       string // e.g. http://localhost:8080
	ClientID     string // AK..., from createAPIClient
	ClientSecret string // cqs_..., shown once by createAPIClient
	// QueueID is where to check the patient in; empty picks the first open queue.
	QueueID string
	// Patient is who arrives; an empty FacilityID is the facility of the first open queue.
	Patient Patient
	// Webhooks, when set, receives CareQueue's webhook deliveries (an endpoint an admin registered with
	// createWebhookEndpoint pointing at it), verified with WebhookSecret (whsec_...).
	Webhooks      net.Listener
	WebhookSecret string
	// WebhookWait is how long Run waits, once the visit is over, for the webhook announcing it
	// (default 30s).
	WebhookWait time.Duration
	// CheckedIn, when set, hears of the ticket as soon as it exists.
	CheckedIn func(Ticket)
}

// Run is the integration end to end: token, queues, check-in, then the ticket followed live until
// the visit is over, printing each step to out; with Webhooks it also prints every verified webhook
// and waits for the one that ends the visit.
func Run(ctx context.Context, o Options, out io.Writer) error {
	var hooks *hookLog
	if o.Webhooks != nil {
		var err error
		if hooks, err = receiveWebhooks(o.Webhooks, o.WebhookSecret, out); err != nil {
			return err
		}
		defer hooks.close()
	}
	c := &Client{BaseURL: o.Server}
	if err := c.Authenticate(ctx, o.ClientID, o.ClientSecret); err != nil {
		return err
	}
	fmt.Fprintln(out, "1. got an access token (client credentials)")

	queues, err := c.Queues(ctx)
	if err != nil {
		return err
	}
	if len(queues) == 0 {
		return errors.New("the facility has no open queue")
	}
	queueID := o.QueueID
	if queueID == "" {
		queueID = queues[0].ID
		fmt.Fprintf(out, "2. %d open queues; using %s (%s, %s)\n", len(queues), queues[0].Name, queues[0].Department, queueID)
	} else {
		fmt.Fprintf(out, "2. %d open queues; using %s\n", len(queues), queueID)
	}
	if o.Patient.FacilityID == "" {
		o.Patient.FacilityID = queues[0].FacilityID
	}

	ticket, err := c.CheckIn(ctx, queueID, o.Patient, "ehr-"+rand.Text())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "3. checked in: ticket %s (%s), %s, position %s\n", ticket.Code, ticket.ID, ticket.Status, show(ticket.Position))
	if o.CheckedIn != nil {
		o.CheckedIn(ticket)
	}

	var last TicketUpdate
	err = c.Follow(ctx, ticket.ID, func(u TicketUpdate) bool {
		last = u
		where := ""
		if u.Ticket.ServicePoint != nil {
			where = " → " + u.Ticket.ServicePoint.Name
		}
		fmt.Fprintf(out, "4. live: %s %s%s, position %s, about %s min (version %d)\n",
			u.Ticket.Code, u.Ticket.Status, where, show(u.Position), show(u.EstimatedWaitMinutes), u.Version)
		return true
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   the visit is over: %s\n", last.Ticket.Status)
	enc, err := c.Encounter(ctx, ticket.ID)
	if err != nil {
		return err
	}
	at := ""
	if len(enc.Location) > 0 {
		at = " at " + enc.Location[0].Location.Display
	}
	fmt.Fprintf(out, "   as a FHIR Encounter: Encounter/%s %s%s\n", enc.ID, enc.Status, at)
	if hooks == nil {
		return nil
	}
	wait := o.WebhookWait
	if wait <= 0 {
		wait = 30 * time.Second
	}
	if !hooks.waitFor(ctx, ticket.ID, finalEvent[last.Ticket.Status], wait) {
		return fmt.Errorf("no verified webhook %s for %s within %s", finalEvent[last.Ticket.Status], ticket.Code, wait)
	}
	return nil
}

// finalEvent is the webhook type announcing each final status.
var finalEvent = map[string]string{
	"COMPLETED": "ticket.completed", "NO_SHOW": "ticket.noShow", "CANCELLED": "ticket.cancelled", "TRANSFERRED": "ticket.transferred",
}

func show(n *int) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprint(*n)
}

// hookLog remembers the verified deliveries (type and ticket).
type hookLog struct {
	srv  *http.Server
	mu   sync.Mutex
	seen map[string]bool // ticketID + " " + type
	news chan struct{}
}

func receiveWebhooks(ln net.Listener, secret string, out io.Writer) (*hookLog, error) {
	v, err := verify.NewVerifier(secret, nil)
	if err != nil {
		return nil, fmt.Errorf("webhook secret: %w", err)
	}
	h := &hookLog{seen: map[string]bool{}, news: make(chan struct{}, 1)}
	var outMu sync.Mutex
	h.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: v.Handler(func(body []byte) {
		var d struct {
			Type string `json:"type"`
			Data struct {
				TicketID string `json:"ticketId"`
				Code     string `json:"code"`
				Status   string `json:"status"`
			} `json:"data"`
		}
		if json.Unmarshal(body, &d) != nil {
			return
		}
		outMu.Lock()
		fmt.Fprintf(out, "5. webhook (signature verified): %s %s %s\n", d.Type, d.Data.Code, d.Data.Status)
		outMu.Unlock()
		h.mu.Lock()
		h.seen[d.Data.TicketID+" "+d.Type] = true
		h.mu.Unlock()
		select {
		case h.news <- struct{}{}:
		default:
		}
	})}
	go func() { _ = h.srv.Serve(ln) }() // ends with close
	return h, nil
}

func (h *hookLog) waitFor(ctx context.Context, ticketID, event string, wait time.Duration) bool {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		h.mu.Lock()
		ok := h.seen[ticketID+" "+event]
		h.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-h.news:
		case <-deadline.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

func (h *hookLog) close() { _ = h.srv.Close() }
