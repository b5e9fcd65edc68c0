package session

import (
	"context"
	"errors"

	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// recordFailure writes the audit entry of a refused sign-in or token, in a transaction of its own (the
// attempt itself wrote nothing) and as the system, since nobody is signed in. Identifiers in after
// (email, phone) are stored as keyed hashes by audit.Record; secrets never reach it. A failure to
// record is logged: the caller is refused either way.
func (s *Service) recordFailure(ctx context.Context, e audit.Entry) {
	err := s.db.InTx(auth.SystemContext(ctx), func(ctx context.Context, tx *store.Tx) error {
		return audit.Record(ctx, tx.Client, e)
	})
	if err != nil {
		s.log.ErrorContext(ctx, "recording a refused sign-in in the audit log failed", "action", e.Action, "err", err)
	}
}

// mayRecord bounds the refusals of one kind recorded to the login rate a minute, for refusals nothing
// else limits: a flood of garbage cannot flood the log (and the chain every audited write waits for).
// A signed-in caller is counted per account, wherever it calls from; anyone else per client address.
func (s *Service) mayRecord(ctx context.Context, kind string) bool {
	ok, _, err := s.addrRate.Allow(ctx, recordKey(ctx, kind))
	return err == nil && ok
}

// recordKey is the limiter key mayRecord counts a refusal under.
func recordKey(ctx context.Context, kind string) string {
	if v, ok := auth.FromContext(ctx); ok && v.UserID != "" {
		return "audit:" + kind + ":user:" + string(v.UserID)
	}
	return "audit:" + kind + ":addr:" + audit.RequestFrom(ctx).Address
}

// RecordRejectedToken writes the audit entry of an access token the server refused for a reason other
// than expiry: the token appears only as a keyed hash, with why it was refused. Each client address
// gets at most the login rate of these entries a minute (mayRecord); the server's metrics count every one.
func (s *Service) RecordRejectedToken(ctx context.Context, token string, err error) {
	if !s.mayRecord(ctx, "token") {
		return
	}
	reason := cqerr.MessageOf(err)
	if cause := errors.Unwrap(err); cause != nil {
		reason += ": " + truncate(cause.Error(), 200)
	}
	s.recordFailure(ctx, audit.Entry{
		Action: "session.tokenRejected", EntityType: "Session",
		After: map[string]any{"token": audit.HashIdentifier(token), "reason": reason},
	})
}

// RecordDeniedRequest writes the audit entry (access.denied) of an HTTP request the server refused with
// status 401 or 403 before any GraphQL ran (a malformed or expired token, a refused Origin, the job
// monitor's sign-in): method and path only, never the query string or headers, which may carry tokens.
// The viewer in ctx, if any, is the actor. Each account, or each client address for anonymous callers,
// gets at most the login rate of these a minute (mayRecord).
func (s *Service) RecordDeniedRequest(ctx context.Context, method, path string, status int) {
	if !s.mayRecord(ctx, "denied") {
		return
	}
	s.recordFailure(ctx, audit.Entry{
		Action: "access.denied", EntityType: "Request",
		After: map[string]any{"method": method, "path": truncate(path, 200), "status": status},
	})
}

// MayRecordDenial reports whether a refusal (FORBIDDEN, or UNAUTHENTICATED for a signed-out caller) may
// be recorded now: as for RecordDeniedRequest, at most the login rate a minute per signed-in account or,
// for anonymous callers, per client address, so a client hammering a field it may not read cannot flood
// the audit log (and the chain every audited write waits for).
func (s *Service) MayRecordDenial(ctx context.Context) bool { return s.mayRecord(ctx, "denied") }
