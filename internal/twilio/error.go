package twilio

import (
	"errors"
	"fmt"
)

// Twilio error codes a caller may act on (https://www.twilio.com/docs/api/errors).
const (
	CodeInvalidTo       = 21211 // the To number is not a valid phone number
	CodeUnsubscribed    = 21610 // the recipient replied STOP: clear their SMS opt-in
	CodeUnreachable     = 21612 // Twilio cannot route to this number
	CodeNotMobile       = 21614 // the number is not a mobile number
	CodeRegionForbidden = 21408 // the account may not send to this region
	CodeAuthFailed      = 20003 // wrong account SID or auth token
	CodeTooManyRequests = 20429
)

// Error is a failed Send. Its text includes Twilio's own message: fit for logs and the admins'
// notification log, never for patients.
type Error struct {
	// Status is the HTTP status Twilio answered, 0 when there was no answer.
	Status int
	// Code is Twilio's error code (e.g. 21211), 0 when the answer had none.
	Code int
	// Message is Twilio's error message or a description of the transport failure.
	Message string
	// Err is the underlying error from twilio-go or net/http, if any.
	Err error

	permanent, maybeSent bool
}

func (e *Error) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("twilio: status %d, error %d: %s", e.Status, e.Code, e.Message)
	}
	if e.Status != 0 {
		return fmt.Sprintf("twilio: status %d: %s", e.Status, e.Message)
	}
	return "twilio: " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Permanent reports that sending the same message again cannot succeed (or could send it twice):
// the job should stop and record the failure for admins.
func (e *Error) Permanent() bool { return e.permanent }

// MaybeSent reports that Twilio may have accepted the message although Send failed (a timeout after
// the request was written, or an unreadable success reply). A retry then risks a duplicate SMS.
func (e *Error) MaybeSent() bool { return e.maybeSent }

// IsPermanent reports whether err is a permanent Send failure.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent()
}
