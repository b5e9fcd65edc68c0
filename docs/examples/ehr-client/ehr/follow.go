package ehr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// TicketUpdate is one state of a followed ticket.
type TicketUpdate struct {
	Version              int  `json:"version"`
	Position             *int `json:"position"`
	EstimatedWaitMinutes *int `json:"estimatedWaitMinutes"`
	Ticket               struct {
		ID           string `json:"id"`
		Code         string `json:"code"`
		Status       string `json:"status"`
		ServicePoint *struct {
			Name string `json:"name"`
		} `json:"servicePoint"`
	} `json:"ticket"`
}

// Final reports whether the ticket's visit in its queue is over (no more changes will come).
func (u TicketUpdate) Final() bool {
	switch u.Ticket.Status {
	case "COMPLETED", "NO_SHOW", "CANCELLED", "TRANSFERRED":
		return true
	}
	return false
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Follow subscribes to ticketChanged over graphql-transport-ws and calls each with the current state,
// then with every change, until each returns false, the ticket's visit is over (Final), or ctx ends.
// The socket closes when the access token expires (close code 4401): call Authenticate and Follow
// again; the first message after a reconnect is the current state, so nothing is missed.
func (c *Client) Follow(ctx context.Context, ticketID string, each func(TicketUpdate) bool) error {
	wsURL := "ws" + strings.TrimPrefix(c.BaseURL, "http") + "/graphql"
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 10 * time.Second}
	conn, res, err := d.DialContext(ctx, wsURL, http.Header{})
	if res != nil && res.Body != nil {
		_ = res.Body.Close()
	}
	if err != nil {
		return fmt.Errorf("opening the WebSocket: %w", err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()

	init, _ := json.Marshal(map[string]string{"authorization": "Bearer " + c.Token})
	if err := conn.WriteJSON(wsMessage{Type: "connection_init", Payload: init}); err != nil {
		return err
	}
	doc := document("FollowTicket")
	vars := map[string]any{"ticketID": ticketID}
	subscribe := func(id string, withText bool) error {
		payload, _ := json.Marshal(newRequest(doc, vars, withText))
		return conn.WriteJSON(wsMessage{ID: id, Type: "subscribe", Payload: payload})
	}
	for {
		var m wsMessage
		if err := conn.ReadJSON(&m); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return fmt.Errorf("the server closed the socket: %d %s", ce.Code, ce.Text)
			}
			return err
		}
		switch m.Type {
		case "connection_ack":
			if err := subscribe("1", false); err != nil {
				return err
			}
		case "ping":
			if err := conn.WriteJSON(wsMessage{Type: "pong"}); err != nil {
				return err
			}
		case "next":
			var r struct {
				Data struct {
					TicketChanged TicketUpdate `json:"ticketChanged"`
				} `json:"data"`
				Errors []gqlError `json:"errors"`
			}
			if err := json.Unmarshal(m.Payload, &r); err != nil {
				return err
			}
			if len(r.Errors) > 0 {
				if m.ID == "1" && r.Errors[0].Extensions.Code == "PERSISTED_QUERY_NOT_FOUND" {
					if err := subscribe("2", true); err != nil { // the server does not know the hash
						return err
					}
					continue
				}
				return r.Errors[0].err()
			}
			u := r.Data.TicketChanged
			if !each(u) || u.Final() {
				_ = conn.WriteJSON(wsMessage{ID: m.ID, Type: "complete"})
				return nil
			}
		case "error":
			var errs []gqlError
			if err := json.Unmarshal(m.Payload, &errs); err != nil || len(errs) == 0 {
				return fmt.Errorf("subscription refused: %s", m.Payload)
			}
			return errs[0].err()
		case "complete":
			if m.ID == "1" {
				continue // the hash was not found; "2" is the subscription now
			}
			return nil
		}
	}
}
