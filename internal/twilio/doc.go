// Package twilio is CareQueue's SMS adapter for Twilio Programmable Messaging, built on twilio-go: it
// sends one text to one number with a delivery-status callback, sorts Twilio's failures into permanent
// (a number Twilio rejects, a patient who replied STOP: never retry) and retryable (rate limits,
// outages, timeouts), and checks the X-Twilio-Signature of the status callbacks Twilio posts back.
// Twilio's error text is kept in the error for logs and the admins' notification log; it is never
// meant for patients. Wording and channel rules live in notify; job scheduling lives with the caller.
package twilio
