package server

import (
	"context"
	"encoding/json"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/carequeue/carequeue/internal/audit/reads"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/realtime"
)

// member is one subscriber of a group.
type member struct {
	ctx   context.Context // the subscription's: ends with it
	id    string
	sock  *gorillaConn
	slot  string
	seen  int64
	token uint64   // the last frame spliced
	push  *leanSub // set when leanWebsocket pushes the member's frames
	// pushAt is the member's index in its group's pushers (-1: not there); the group's mu guards it.
	pushAt int
}

// next returns the member's response handler: the group's newest frame it has not had, waiting for one
// (or driving the group's stream to get it).
func (m *member) next(g *group) graphql.ResponseHandler {
	return func(context.Context) *graphql.Response {
		for m.ctx.Err() == nil {
			g.mu.Lock()
			if fr, shared := m.unseen(g); fr != nil {
				g.mu.Unlock()
				return m.deliver(g, fr, shared)
			}
			if g.done {
				g.mu.Unlock()
				return nil
			}
			if !g.driving {
				g.driving = true
				g.mu.Unlock()
				g.drive(m.ctx)
				continue
			}
			changed := g.changed
			g.mu.Unlock()
			select {
			case <-changed:
			case <-m.ctx.Done():
			}
		}
		return nil
	}
}

// unseen returns the group's newest frame m has not had, now had, and whether other members send the
// same bytes (shared); g.mu is held.
func (m *member) unseen(g *group) (fr *frame, shared bool) {
	if fr := g.latest; fr != nil && fr.seq > m.seen {
		m.seen = fr.seq
		return fr, g.slots.get(m.slot) > 1
	}
	return nil, false
}

// poll returns a pushed member's response handler: the group's newest frame it has not had, or nil at
// once, with push.skip set when that is not the end (the connection was told of a frame it has since
// written).
func (m *member) poll(g *group) graphql.ResponseHandler {
	return func(context.Context) *graphql.Response {
		g.mu.Lock()
		if fr, shared := m.unseen(g); fr != nil {
			g.mu.Unlock()
			return m.deliver(g, fr, shared)
		}
		done := g.done
		g.mu.Unlock()
		m.push.skip = !done && m.ctx.Err() == nil
		return nil
	}
}

func (m *member) deliver(g *group, fr *frame, shared bool) *graphql.Response {
	g.fan.deliveries.Inc()
	if s := reads.From(m.ctx); s != nil && len(fr.reads) > 0 {
		s.Add(fr.reads...) // the member's read trail records what its answer holds
	}
	if d := realtime.DeliveryFrom(m.ctx); d != nil && fr.changed {
		d.Mark(fr.since) // the member's fan-out latency (carequeue_realtime_fanout_seconds)
	}
	switch {
	case fr.payload == nil:
		return fr.resp
	case m.push != nil: // leanWebsocket writes the frame itself
		m.push.frame = &splicedFrame{fr: fr, shared: shared}
		return &graphql.Response{Data: spliceMarker(0)}
	case m.sock == nil: // not a gorilla socket (cannot happen on /graphql): gqlgen encodes it
		var resp graphql.Response
		if err := json.Unmarshal(fr.payload, &resp); err != nil {
			return &graphql.Response{Errors: gqlerror.List{{Message: "internal error", Extensions: map[string]any{"code": string(cqerr.Internal)}}}}
		}
		return &resp
	}
	m.token = m.sock.splice(splicedFrame{fr: fr, shared: shared})
	return &graphql.Response{Data: spliceMarker(m.token)}
}
