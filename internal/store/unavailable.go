package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// IsUnavailable reports whether err says the database could not serve a call right now — unreachable,
// restarting, out of connections, too slow for the call's deadline, or a lock not granted in time —
// rather than that the call itself was wrong. The same call, made again a moment later, may succeed;
// the API answers these with the retryable code UNAVAILABLE instead of INTERNAL.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if IsLockTimeout(err) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	// A failed connection attempt is unavailability whatever the server said (it may be a PgError: a
	// database not accepting connections, too many clients, starting up).
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return transientSQLState(pgErr.Code)
	}
	var netErr net.Error
	switch {
	case errors.As(err, &netErr), pgconn.Timeout(err):
		return true
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone):
		return true
	}
	// The pool after Close (a replica shutting down) says so only in words: puddle's and database/sql's
	// errors are not exported. A request still running then is best retried on another replica.
	msg := err.Error()
	return strings.Contains(msg, "closed pool") || strings.Contains(msg, "sql: database is closed") ||
		strings.Contains(msg, "conn closed")
}

// transientSQLState is true for the PostgreSQL error classes a retry can cure.
func transientSQLState(code string) bool {
	switch {
	case strings.HasPrefix(code, "08"): // connection exception
		return true
	case strings.HasPrefix(code, "53"): // insufficient resources: too many connections, out of memory
		return true
	case strings.HasPrefix(code, "40"): // serialization failure, deadlock detected
		return true
	}
	switch code {
	case "57014", // query_canceled: statement_timeout, or the call's deadline cancelled it
		"57P01", "57P02", "57P03", // admin or crash shutdown (pg_terminate_backend too), cannot connect now
		"55P03": // lock_not_available: lock_timeout
		return true
	}
	return false
}

// IsLockTimeout reports whether err is a lock that was not granted in time: PostgreSQL's lock_timeout
// (SQLSTATE 55P03), or SQLite's busy (another writer held the database past busy_timeout).
func IsLockTimeout(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "55P03"
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() & 0xff { // the primary code; extended codes keep it in the low byte
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	return false
}
