// Package queue owns CareQueue's queue: its rules and (in the service files) the workflows that apply
// them. The rules are the ticket statuses and the legal moves between them, the triage levels with their
// target waits, the order in which a queue is called (TRIAGE or FIFO) and each ticket's position, the
// human ticket codes with the facility's service day, and the estimated wait shown to patients. The
// rule files are pure — no database, no GraphQL types, no I/O beyond reading the time-zone database —
// so every rule is table-tested on its own, and the service wraps them in one transaction per workflow.
package queue
