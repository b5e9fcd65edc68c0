package twilio

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
)

// maxReply bounds how much of a reply is buffered; Twilio's message and error JSON are about 1 KiB.
const maxReply = 1 << 20

// callTransport serves one Send. It sends the request to the configured API's scheme and host (twilio-go
// always addresses api.twilio.com), makes it honour the caller's ctx (on top of the client's own
// timeout), remembers the HTTP status and whether the request was fully written, and buffers the reply
// so the connection is released even on the SDK's error path, which never closes the body.
type callTransport struct {
	ctx    context.Context
	base   http.RoundTripper
	api    *url.URL
	status int
	wrote  atomic.Bool // set from the transport's write goroutine
}

func (t *callTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// req's context carries the http.Client timeout; the caller's ctx may end sooner.
	ctx, cancel := context.WithCancelCause(req.Context())
	defer cancel(nil)
	stop := context.AfterFunc(t.ctx, func() { cancel(context.Cause(t.ctx)) })
	defer stop()
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				t.wrote.Store(true)
			}
		},
	})

	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	out := req.WithContext(ctx) // a shallow copy: the URL is replaced, never changed in place
	u := *req.URL
	u.Scheme, u.Host = t.api.Scheme, t.api.Host
	out.URL, out.Host = &u, ""
	resp, err := base.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	t.status = resp.StatusCode
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}
