// Package sentrytest is a local Sentry for tests: an HTTP server that takes the envelopes the real
// sentry-go client posts to /api/<project>/envelope/ and keeps their event items.
package sentrytest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Project is the project id of DSN.
const Project = "42"

// Server is the fake Sentry.
type Server struct {
	// DSN points the client at the server.
	DSN    string
	mu     sync.Mutex
	events []Event
}

// Event is one event item: its decoded JSON and the whole envelope's text, for scans.
type Event struct {
	JSON     map[string]any
	Envelope string
}

// New starts a fake Sentry, closed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/"+Project+"/envelope/" {
			t.Errorf("sentry: unexpected %s %s", r.Method, r.URL.Path)
			http.Error(w, "unexpected", http.StatusNotFound)
			return
		}
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = zr
		}
		raw, err := io.ReadAll(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		events, err := parseEnvelope(raw)
		if err != nil {
			t.Errorf("sentry: malformed envelope: %v\n%s", err, raw)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		for _, e := range events {
			s.events = append(s.events, Event{JSON: e, Envelope: string(raw)})
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	s.DSN = "http://publickey@" + strings.TrimPrefix(srv.URL, "http://") + "/" + Project
	return s
}

// Events returns the events received so far.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.events...)
}

// parseEnvelope reads an envelope (a header line, then items: a header line with type and length,
// and the payload) and returns the payloads of its event items.
func parseEnvelope(raw []byte) ([]map[string]any, error) {
	r := bufio.NewReader(bytes.NewReader(raw))
	var header map[string]any
	line, err := r.ReadBytes('\n')
	if err != nil && err != io.EOF {
		return nil, err
	}
	if err := json.Unmarshal(line, &header); err != nil {
		return nil, err
	}
	var events []map[string]any
	for {
		line, err := r.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) == 0 {
			if err == io.EOF {
				return events, nil
			}
			continue
		}
		var item struct {
			Type   string `json:"type"`
			Length *int   `json:"length"`
		}
		if err := json.Unmarshal(line, &item); err != nil {
			return nil, err
		}
		var payload []byte
		if item.Length != nil {
			payload = make([]byte, *item.Length)
			if _, err := io.ReadFull(r, payload); err != nil {
				return nil, err
			}
		} else if payload, err = r.ReadBytes('\n'); err != nil && err != io.EOF {
			return nil, err
		}
		if item.Type == "event" {
			var e map[string]any
			if err := json.Unmarshal(payload, &e); err != nil {
				return nil, err
			}
			events = append(events, e)
		}
	}
}
