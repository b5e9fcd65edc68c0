package webhook

import (
	"context"
	"errors"
	"net"
	"net/http"
)

// Outcome is what one attempt's result means.
type Outcome struct {
	// OK: delivered (2xx).
	OK bool
	// Retry: a transient failure worth another attempt (network error, timeout, 408, 429, 5xx).
	Retry bool
	// Class names the failure for the log: timeout, connection, blocked_address, redirect, http_4xx,
	// http_408, http_429, http_5xx; "" on success.
	Class string
}

// Classify returns the outcome of an attempt that got status (0 when no answer) or err. Other 4xx
// answers (and redirects, which are never followed) are permanent: the receiver refused this delivery,
// and sending it again will not change its mind.
func Classify(status int, err error) Outcome {
	if err != nil {
		var ne net.Error
		switch {
		case errors.Is(err, errBlockedAddress):
			return Outcome{Class: "blocked_address"}
		case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
			return Outcome{Retry: true, Class: "timeout"}
		default:
			return Outcome{Retry: true, Class: "connection"}
		}
	}
	switch {
	case status >= 200 && status < 300:
		return Outcome{OK: true}
	case status == http.StatusRequestTimeout:
		return Outcome{Retry: true, Class: "http_408"}
	case status == http.StatusTooManyRequests:
		return Outcome{Retry: true, Class: "http_429"}
	case status >= 500:
		return Outcome{Retry: true, Class: "http_5xx"}
	case status >= 300 && status < 400:
		return Outcome{Class: "redirect"}
	default:
		return Outcome{Class: "http_4xx"}
	}
}
