package fcm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"firebase.google.com/go/v4/errorutils"
	"firebase.google.com/go/v4/messaging"

	"github.com/carequeue/carequeue/internal/notify"
)

// ErrUnregistered means the device token will never work again (the app was uninstalled, the token
// expired or was never a valid FCM token): the caller should delete that Device and not retry. It is
// notify.ErrTokenGone, the error the notification pipeline looks for, so notify needs no import of this
// adapter.
var ErrUnregistered = notify.ErrTokenGone

// Error is a failed Send. Its text includes FCM's own message: for logs and admins, never patients.
type Error struct {
	// Status is the HTTP status FCM answered, 0 when there was no answer.
	Status int
	// Code is FCM's error code when it gave one (UNREGISTERED, QUOTA_EXCEEDED, ...), else the Google
	// API status (INVALID_ARGUMENT, UNAVAILABLE, ...).
	Code string
	// Message is FCM's error message or a description of the transport failure.
	Message string
	// RetryAfter is FCM's Retry-After hint, zero when absent.
	RetryAfter time.Duration
	// Err is the error from the Firebase SDK or the context.
	Err error

	retryable, unregistered bool
}

func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("fcm: status %d, %s: %s", e.Status, e.Code, e.Message)
	}
	return fmt.Sprintf("fcm: %s: %s", e.Code, e.Message)
}

// Unwrap gives the cause and, for a dead token, ErrUnregistered.
func (e *Error) Unwrap() []error {
	var out []error
	if e.unregistered {
		out = append(out, ErrUnregistered)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// Retryable reports that the same push may succeed later.
func (e *Error) Retryable() bool { return e.retryable }

// Permanent reports that sending the same push again cannot succeed.
func (e *Error) Permanent() bool { return !e.retryable }

// classify sorts an error from messaging.Client.Send.
func classify(ctx context.Context, err error) *Error {
	e := &Error{Err: err, Message: err.Error()}
	if ctx.Err() != nil {
		// The SDK stops between its own retries with the bare context error.
		e.Code, e.retryable = "CANCELLED", true
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			e.Code = "DEADLINE_EXCEEDED"
		}
		return e
	}
	var env errorEnvelope
	if resp := errorutils.HTTPResponse(err); resp != nil { //nolint:bodyclose // the SDK read and closed it; this copy carries status and headers
		e.Status = resp.StatusCode
		if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s > 0 {
			e.RetryAfter = time.Duration(s) * time.Second
		}
		raw, _ := io.ReadAll(resp.Body) // a buffered copy: the SDK has read the body already
		_ = json.Unmarshal(raw, &env)
		e.Code = env.Error.Status
		if env.Error.Message != "" {
			e.Message = env.Error.Message
		}
	}
	if c := env.fcmCode(); c != "" {
		e.Code = c
	}

	switch {
	case messaging.IsUnregistered(err):
		e.unregistered = true
	case messaging.IsInvalidArgument(err) && env.badToken():
		// A token FCM does not recognise as one at all: as dead as an unregistered one.
		e.unregistered = true
	case messaging.IsQuotaExceeded(err), messaging.IsUnavailable(err), messaging.IsInternal(err),
		errorutils.IsResourceExhausted(err), errorutils.IsUnavailable(err), errorutils.IsInternal(err),
		errorutils.IsDeadlineExceeded(err):
		e.retryable = true
	case e.Status == 0:
		// No HTTP answer at all (after the SDK's own retries): a network failure.
		e.retryable = true
		if e.Code == "" {
			e.Code = "UNAVAILABLE"
		}
	case e.Status >= 500:
		e.retryable = true
	}
	// SENDER_ID_MISMATCH, THIRD_PARTY_AUTH_ERROR, other INVALID_ARGUMENTs, 401/403 stay permanent but
	// do not delete the Device: they point at our configuration or payload, not at the token, and a
	// wrong project ID must not wipe every device.
	if e.Code == "" {
		e.Code = http.StatusText(e.Status)
	}
	return e
}

// errorEnvelope is the Google API error body FCM HTTP v1 answers with.
type errorEnvelope struct {
	Error struct {
		Status  string `json:"status"`
		Message string `json:"message"`
		Details []struct {
			Type            string `json:"@type"`
			ErrorCode       string `json:"errorCode"`
			FieldViolations []struct {
				Field string `json:"field"`
			} `json:"fieldViolations"`
		} `json:"details"`
	} `json:"error"`
}

func (env errorEnvelope) fcmCode() string {
	for _, d := range env.Error.Details {
		if d.Type == "type.googleapis.com/google.firebase.fcm.v1.FcmError" {
			return d.ErrorCode
		}
	}
	return ""
}

// badToken reports an INVALID_ARGUMENT aimed at message.token rather than at the payload.
func (env errorEnvelope) badToken() bool {
	for _, d := range env.Error.Details {
		for _, v := range d.FieldViolations {
			if v.Field == "message.token" {
				return true
			}
		}
	}
	return strings.Contains(env.Error.Message, "not a valid FCM registration token")
}
