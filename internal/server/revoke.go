package server

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// CloseForbidden is graphql-ws's 4403 Forbidden: an open socket's account was disabled or its role or
// facility changed. An open socket whose session ended (logout, refresh-token reuse, password change)
// closes with CloseUnauthorized (4401) instead. A graphql-ws client reconnects after 4403, presents the
// same token, and is refused with 4401 at connection_init, after which it refreshes (refused too) and
// signs out.
const CloseForbidden = 4403

// DefaultSocketSweep is how often Sockets.Run re-checks every signed-in socket.
const DefaultSocketSweep = 30 * time.Second

// Sockets is one replica's registry of signed-in WebSockets by account, so that a revocation closes
// them. The revocation subscriber (cmd/carequeue) calls Recheck for each message; Run re-checks all of
// them now and then, in case a message was lost. The check is the same as at connection_init
// (Deps.Viewer on the socket's token), so the database decides, not the message.
type Sockets struct {
	viewer func(context.Context, string) (auth.Viewer, error) // set by New
	log    *slog.Logger

	mu     sync.Mutex
	byUser map[string]map[*wsConn]struct{}
}

// NewSockets returns an empty registry for Deps.Sockets.
func NewSockets() *Sockets { return &Sockets{byUser: map[string]map[*wsConn]struct{}{}} }

func (s *Sockets) add(c *wsConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.byUser[c.user]
	if m == nil {
		m = map[*wsConn]struct{}{}
		s.byUser[c.user] = m
	}
	m[c] = struct{}{}
}

func (s *Sockets) remove(c *wsConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.byUser[c.user]; m != nil {
		delete(m, c)
		if len(m) == 0 {
			delete(s.byUser, c.user)
		}
	}
}

// of lists userID's sockets, or every signed-in socket when userID is empty.
func (s *Sockets) of(userID string) []*wsConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*wsConn
	for u, m := range s.byUser {
		if userID != "" && u != userID {
			continue
		}
		for c := range m {
			out = append(out, c)
		}
	}
	return out
}

// Count is the number of userID's signed-in sockets on this replica.
func (s *Sockets) Count(userID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byUser[userID])
}

// Recheck checks the tokens of userID's sockets on this replica again and closes those now refused.
func (s *Sockets) Recheck(ctx context.Context, userID string) {
	if userID != "" {
		s.recheck(ctx, s.of(userID))
	}
}

// RecheckAll checks every signed-in socket on this replica again.
func (s *Sockets) RecheckAll(ctx context.Context) { s.recheck(ctx, s.of("")) }

// Run calls RecheckAll every interval (DefaultSocketSweep when 0) until ctx ends.
func (s *Sockets) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultSocketSweep
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.RecheckAll(ctx)
		}
	}
}

func (s *Sockets) recheck(ctx context.Context, conns []*wsConn) {
	if s.viewer == nil {
		return
	}
	for _, c := range conns {
		_, err := s.viewer(ctx, c.token)
		if err == nil {
			continue
		}
		code, msg, _ := classifyErr(ctx, s.log, err)
		if code != cqerr.Unauthenticated {
			// The check itself failed (the database is down): the socket stays until the next check
			// rather than closing every socket of the replica at once.
			s.log.WarnContext(ctx, "re-checking a websocket's token", "user", c.user, "err", err)
			continue
		}
		s.log.InfoContext(ctx, "websocket closed: token revoked", "user", c.user, "reason", msg)
		c.sock.closeWith(revokedCloseCode(err), msg)
	}
}

// revokedCloseCode is the close code for a token refused with err.
func revokedCloseCode(err error) int {
	if errors.Is(err, auth.ErrAccountChanged) {
		return CloseForbidden
	}
	return CloseUnauthorized
}
