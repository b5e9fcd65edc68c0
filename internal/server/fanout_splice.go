package server

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"

	"github.com/gorilla/websocket"
)

// spliceMarker is what gqlgen encodes in place of a spliced frame: the socket recognises it by the exact
// bytes (GraphQL reserves names starting with "__", and a subscription's field is an object, never a
// number) and writes the frame instead.
func spliceMarker(token uint64) json.RawMessage {
	return append(strconv.AppendUint([]byte(`{"__fanout":`), token, 10), '}')
}

const splicePrefix = `{"data":{"__fanout":`

// splicedFrame is a group's frame waiting to be written by one member's socket.
type splicedFrame struct {
	fr     *frame
	shared bool
}

// parts returns the protocol's data message for id around the encoded payload: together, byte for byte
// what gorilla's WriteJSON of gqlgen's message is.
func (s splicedFrame) parts(protocol, id string) (head, payload, tail []byte) {
	typ := "next"
	if protocol != "graphql-transport-ws" {
		typ = "data" // the legacy graphql-ws protocol
	}
	quoted, _ := json.Marshal(id)
	tail = make([]byte, 0, len(quoted)+24)
	tail = append(tail, `,"id":`...)
	tail = append(tail, quoted...)
	tail = append(tail, `,"type":"`...)
	tail = append(tail, typ...)
	tail = append(tail, "\"}\n"...)
	return []byte(`{"payload":`), s.fr.payload, tail
}

// prepared returns the frame's PreparedMessage for protocol and id, made once for all the members that
// send it.
func (s splicedFrame) prepared(protocol, id string) (*websocket.PreparedMessage, error) {
	slot := protocol + "\x00" + id
	s.fr.mu.Lock()
	defer s.fr.mu.Unlock()
	if pm := s.fr.prepared[slot]; pm != nil {
		return pm, nil
	}
	head, payload, tail := s.parts(protocol, id)
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, slices.Concat(head, payload, tail))
	if err != nil {
		return nil, err
	}
	if s.fr.prepared == nil {
		s.fr.prepared = map[string]*websocket.PreparedMessage{}
	}
	s.fr.prepared[slot] = pm
	return pm, nil
}

// socket returns the connection's upgraded socket, if any.
func (c *wsConn) socket() *gorillaConn {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sock
}

// splice keeps fr for the data message whose payload carries spliceMarker(token).
func (c *gorillaConn) splice(fr splicedFrame) (token uint64) {
	c.smu.Lock()
	defer c.smu.Unlock()
	if c.spliced == nil {
		c.spliced = map[uint64]splicedFrame{}
	}
	c.tokens++
	c.spliced[c.tokens] = fr
	return c.tokens
}

// unsplice drops a frame never written (its subscription ended first).
func (c *gorillaConn) unsplice(token uint64) {
	c.smu.Lock()
	defer c.smu.Unlock()
	delete(c.spliced, token)
}

// spliced reports whether v is gqlgen's data message carrying a splice marker, and takes its frame
// (found false: its subscription ended, nothing is to be sent).
func (c *gorillaConn) takeSpliced(v any) (s splicedFrame, id string, marker, found bool) {
	id, typ, payload := messageFields(v)
	if (typ != "next" && typ != "data") || !bytes.HasPrefix(payload, []byte(splicePrefix)) || !bytes.HasSuffix(payload, []byte("}}")) {
		return s, "", false, false
	}
	token, err := strconv.ParseUint(string(payload[len(splicePrefix):len(payload)-2]), 10, 64)
	if err != nil {
		return s, "", false, false
	}
	c.smu.Lock()
	defer c.smu.Unlock()
	s, found = c.spliced[token]
	delete(c.spliced, token)
	return s, id, true, found
}

// messageFields reads the ID, Type and Payload fields of gqlgen's (unexported) protocol message structs.
func messageFields(v any) (id, typ string, payload []byte) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return "", "", nil
	}
	if f := rv.FieldByName("ID"); f.IsValid() && f.Kind() == reflect.String {
		id = f.String()
	}
	if f := rv.FieldByName("Type"); f.IsValid() && f.Kind() == reflect.String {
		typ = f.String()
	}
	if f := rv.FieldByName("Payload"); f.IsValid() && f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Uint8 {
		payload = f.Bytes()
	}
	return id, typ, payload
}

// writeSpliced writes a group's encoded frame: one PreparedMessage for the members that send the same
// bytes (same protocol and id), else the parts copied into the socket's pooled write buffer.
func (c *gorillaConn) writeSpliced(s splicedFrame, id string) error {
	protocol := c.conn.Subprotocol()
	if s.shared {
		pm, err := s.prepared(protocol, id)
		if err != nil {
			return err
		}
		return c.conn.WritePreparedMessage(pm)
	}
	w, err := c.conn.NextWriter(websocket.TextMessage)
	if err != nil {
		return err
	}
	head, payload, tail := s.parts(protocol, id)
	for _, b := range [][]byte{head, payload, tail} {
		if _, err := w.Write(b); err != nil {
			_ = w.Close()
			return err
		}
	}
	return w.Close()
}
