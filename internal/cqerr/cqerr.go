// Package cqerr defines CareQueue's one coded error type. Services return *Error with a Code and a
// message that is safe to show a person; the GraphQL error presenter is the one place that turns the
// code into extensions.code. Any other error is INTERNAL: logged with the request id, never shown.
package cqerr

import (
	"errors"
	"fmt"
	"strings"
)

// Code is the machine-readable class of an error, sent to clients as extensions.code.
type Code string

// The codes of the API contract (DESIGN.md).
const (
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	NotFound        Code = "NOT_FOUND"
	BadUserInput    Code = "BAD_USER_INPUT"
	Conflict        Code = "CONFLICT"
	RateLimited     Code = "RATE_LIMITED"
	// Unavailable is retryable: the database (or a queue's lock) did not answer in time, or is down.
	// The same request, sent again a moment later, may well succeed; a workflow mutation carries an
	// idempotency key, so retrying it cannot apply it twice.
	Unavailable Code = "UNAVAILABLE"
	Internal    Code = "INTERNAL"
	// PersistedQueryNotFound answers a hash the server does not hold (Apollo's code: its
	// persisted-queries link then sends the query text with the hash).
	PersistedQueryNotFound Code = "PERSISTED_QUERY_NOT_FOUND"
	// PersistedQueryRequired refuses a free-form query from a caller that must send a trusted
	// document's hash (GRAPHQL_DOCUMENTS=allow-list).
	PersistedQueryRequired Code = "PERSISTED_QUERY_REQUIRED"
)

// Error is an error with a code and a message safe for a person. Err, the cause, is for logs only.
type Error struct {
	Code    Code
	Message string
	// Field names the input field at fault, when there is one (e.g. "input.patient.phone").
	Field string
	// Reason refines the code for clients that act on it (extensions.reason), e.g. SESSION_IDLE for
	// an UNAUTHENTICATED refresh, so the sign-in page can say why.
	Reason string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// E returns a new coded error.
func E(code Code, msg string) *Error { return &Error{Code: code, Message: msg} }

// Ef returns a new coded error with a formatted message.
func Ef(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns a coded error that keeps err as its (hidden) cause.
func Wrap(code Code, err error, msg string) *Error { return &Error{Code: code, Message: msg, Err: err} }

// WithField returns a copy of e naming the input field at fault.
func (e *Error) WithField(field string) *Error {
	c := *e
	c.Field = field
	return &c
}

// WithReason returns a copy of e with the reason clients act on.
func (e *Error) WithReason(reason string) *Error {
	c := *e
	c.Reason = reason
	return &c
}

// Under returns err with the field it names placed under path ("input.patient" and "phone" give
// "input.patient.phone"). Entity invariants (ent hooks and validators) name the entity's own field; the
// caller knows where that entity sits in its input. An error naming no field, one already placed under
// path, and an uncoded error, are returned as they are.
func Under(err error, path string) error {
	var e *Error
	if !errors.As(err, &e) || e.Field == "" || e.Field == path || strings.HasPrefix(e.Field, path+".") {
		return err
	}
	return e.WithField(path + "." + e.Field)
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the safe message of the first *Error in err's chain, or "internal error".
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
