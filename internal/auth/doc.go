// Package auth owns who a request is and what it may prove: argon2id password hashing and the
// password policy, the signed short-lived access token (JWT), the opaque secrets stored only as
// hashes (refresh tokens, one-time patient codes), the Limiter contract that login and code
// requests are throttled through, and the Viewer that authorization reads from the context. It
// does no I/O of its own; storage and rate-limit state live in adapters (internal/inmem,
// internal/redis) and the services that use them. Errors a caller can provoke are *cqerr.Error
// with code UNAUTHENTICATED, BAD_USER_INPUT or RATE_LIMITED and never echo a secret.
package auth
