package session

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// Defaults for the zero values of Options.
const (
	DefaultRefreshTTL   = 30 * 24 * time.Hour
	DefaultCodeTTL      = 5 * time.Minute
	DefaultCodeAttempts = 5
)

// CodeSender delivers a one-time sign-in code to a phone (SMS in production, LogCodeSender without a
// provider). It is called after the code is committed.
type CodeSender interface {
	SendCode(ctx context.Context, phone, code string) error
}

// Service signs people in and out. Staff use e-mail and password, patients a one-time code sent to
// their phone; both get a short-lived access token and a refresh token that rotates on every use.
type Service struct {
	db           *store.DB
	tokens       *auth.Tokens
	hasher       *auth.PasswordHasher
	acctRate     auth.Limiter
	addrRate     auth.Limiter
	addrFailures auth.Limiter // failed sign-ins per address only: see Options
	codes        CodeSender
	cfg          Options
	log          *slog.Logger
	sessions     *sessionCache // see revoke.go
}

// Options are a Service's collaborators and settings, by name so that the two limiters cannot be
// swapped. The collaborators and CodeKey are required; zero durations and counts take the defaults
// above.
type Options struct {
	Tokens *auth.Tokens
	Hasher *auth.PasswordHasher
	// AccountLimiter throttles sign-ins and code requests per e-mail or phone, AddressLimiter code
	// requests per client address (LOGIN_RATE_LIMIT, 5 a minute each in production).
	AccountLimiter auth.Limiter
	AddressLimiter auth.Limiter
	// AddressFailureLimiter counts failed password sign-ins per client address
	// (LOGIN_ADDRESS_FAILURE_LIMIT, 20 a minute): once they are used up every sign-in from the address
	// is refused until the window moves on. Correct sign-ins never count, so a ward of staff signing in
	// from one NAT address at shift change is not throttled, while guessing from one address is.
	AddressFailureLimiter auth.Limiter
	Codes                 CodeSender
	// CodeKey is the HMAC key codes are stored under (the JWT secret).
	CodeKey []byte
	// RefreshTTL is how long a refresh token stays valid; each rotation starts a new one.
	RefreshTTL time.Duration
	// CodeTTL is how long a patient one-time code is valid.
	CodeTTL time.Duration
	// CodeAttempts is how many guesses one code allows before it is dead.
	CodeAttempts int
	// Staff bounds the sessions of admins, receptionists and clinicians, Patient those of patients
	// (see Limits; zero: unbounded, config supplies the defaults). Kiosks and integrations have none.
	Staff   Limits
	Patient Limits
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives failures that must not reach the caller (a code that could not be sent); nil
	// discards them.
	Logger *slog.Logger
	// Revocations tells the other replicas that a user's sessions ended (see revoke.go); nil when
	// this process is the only one.
	Revocations RevocationPublisher
	// RevocationTTL is how long a replica trusts what it read about a session; default
	// DefaultRevocationTTL.
	RevocationTTL time.Duration
}

// New returns a Service on db: it writes in db's transactions and reads through db.Ent. It panics on
// a missing collaborator or an empty CodeKey: wiring mistakes to catch at start-up.
func New(db *store.DB, opts Options) *Service {
	switch {
	case db == nil, opts.Tokens == nil, opts.Hasher == nil, opts.AccountLimiter == nil, opts.AddressLimiter == nil,
		opts.AddressFailureLimiter == nil, opts.Codes == nil:
		panic("session.New: every collaborator is required")
	case len(opts.CodeKey) == 0:
		panic("session.New: Options.CodeKey is required")
	}
	if opts.RefreshTTL <= 0 {
		opts.RefreshTTL = DefaultRefreshTTL
	}
	if opts.CodeTTL <= 0 {
		opts.CodeTTL = DefaultCodeTTL
	}
	if opts.CodeAttempts <= 0 {
		opts.CodeAttempts = DefaultCodeAttempts
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RevocationTTL <= 0 {
		opts.RevocationTTL = DefaultRevocationTTL
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{
		db: db, tokens: opts.Tokens, hasher: opts.Hasher, acctRate: opts.AccountLimiter,
		addrRate: opts.AddressLimiter, addrFailures: opts.AddressFailureLimiter, codes: opts.Codes, cfg: opts, log: log,
		sessions: newSessionCache(opts.RevocationTTL),
	}
}

// now is the clock in UTC: SQLite compares times as text, so every stored time must share one zone.
func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// Errors a caller can cause. Each says only what a person may know: never whether an account exists.
func errBadCredentials() error {
	return cqerr.E(cqerr.Unauthenticated, "email or password is incorrect")
}

func errSessionExpired(cause error) error {
	return cqerr.Wrap(cqerr.Unauthenticated, cause, "session expired, sign in again")
}

func errSessionRevoked() error {
	return cqerr.E(cqerr.Unauthenticated, "session revoked, sign in again")
}

func errBadCode(cause error) error {
	return cqerr.Wrap(cqerr.Unauthenticated, cause, "code is incorrect or expired")
}

// limit asks both limiters, the account's first; the first refusal wins. A limiter failure fails
// closed: an unthrottled login endpoint is worse than a short outage.
func (s *Service) limit(ctx context.Context, acctKey, addrKey string) error {
	if err := refuseOver(s.acctRate.Allow(ctx, acctKey)); err != nil {
		return err
	}
	return refuseOver(s.addrRate.Allow(ctx, addrKey))
}

// limitSignIn is limit for password sign-ins: every attempt counts against the account, but the
// address is only checked here; its failures are counted by failedFrom once the password was wrong.
func (s *Service) limitSignIn(ctx context.Context, acctKey, addrKey string) error {
	if err := refuseOver(s.addrFailures.Check(ctx, addrKey)); err != nil {
		return err
	}
	return refuseOver(s.acctRate.Allow(ctx, acctKey))
}

// failedFrom counts a failed sign-in against its address. The caller is refused either way, so a
// limiter failure is only logged.
func (s *Service) failedFrom(ctx context.Context, addrKey string) {
	if _, _, err := s.addrFailures.Allow(ctx, addrKey); err != nil {
		s.log.ErrorContext(ctx, "counting a failed sign-in against its address failed", "err", err)
	}
}

// refuseOver turns a limiter's answer into RATE_LIMITED or, for the limiter's own failure, an error.
func refuseOver(ok bool, retry time.Duration, err error) error {
	switch {
	case err != nil:
		return fmt.Errorf("checking rate limit: %w", err)
	case !ok:
		return auth.TooManyAttempts(retry)
	}
	return nil
}

func viewerOf(u *ent.User) auth.Viewer {
	return auth.Viewer{UserID: u.ID, Role: auth.Role(u.Role), FacilityID: u.FacilityID}
}

// asUser is the context for work done on behalf of u before u holds a token (sign-in, rotation):
// privacy rules are bypassed, since nobody is signed in yet, but the audit log names u as the actor.
func asUser(ctx context.Context, u *ent.User) context.Context {
	return auth.NewContext(auth.SystemContext(ctx), viewerOf(u))
}

// maxAddress is the column width of refresh_tokens.address; a longer value is cut rather than making
// sign-in fail.
const maxAddress = 64

func clientAddress(ctx context.Context) string {
	a := audit.RequestFrom(ctx).Address
	if len(a) > maxAddress {
		a = a[:maxAddress]
	}
	return a
}

// newFamily names a new session: every refresh token rotated from one sign-in shares it, and access
// tokens carry it as their session id.
func newFamily() string { return string(pulid.New("SE")) }

// startSession stores a refresh token of family (signed in at started) for u and signs an access
// token, inside tx. The token's created_at is set from the service clock: the idle timeout counts
// from it.
func (s *Service) startSession(ctx context.Context, tx *store.Tx, u *ent.User, family string, started time.Time) (*Session, error) {
	now := s.now()
	plain, hash := auth.NewRefreshToken()
	err := tx.Client.RefreshToken.Create().
		SetTokenHash(hash).
		SetFamilyID(family).
		SetCreatedAt(now).
		SetSessionStartedAt(started).
		SetExpiresAt(now.Add(s.cfg.RefreshTTL)).
		SetAddress(clientAddress(ctx)).
		SetUserID(u.ID).
		Exec(auth.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("storing refresh token: %w", err)
	}
	limits := s.cfg.limitsFor(auth.Role(u.Role))
	access, exp, err := s.tokens.IssueAccess(auth.AccessClaims{
		UserID:     string(u.ID),
		Role:       auth.Role(u.Role),
		FacilityID: string(u.FacilityID),
		SessionID:  family,
		NotAfter:   limits.end(now, started),
	})
	if err != nil {
		return nil, err
	}
	if u.FacilityID != "" && u.Edges.Facility == nil {
		// The response is resolved before the client holds the new token: load what a dashboard asks
		// of its user at sign-in (its facility: name, time zone, language) here, as the system.
		f, err := tx.Client.Facility.Get(auth.SystemContext(ctx), u.FacilityID)
		if err != nil {
			return nil, fmt.Errorf("reading the user's facility: %w", err)
		}
		u.Edges.Facility = f
	}
	return newSession(access, plain, exp, u, limits, started), nil
}

// recordSession writes the audit entry of a session event (login, refresh, logout, reuse).
func recordSession(ctx context.Context, tx *store.Tx, action, family string, facilityID pulid.ID, after any) error {
	return audit.Record(ctx, tx.Client, audit.Entry{
		Action:     action,
		EntityType: "Session",
		EntityID:   family,
		FacilityID: string(facilityID),
		After:      after,
	})
}
