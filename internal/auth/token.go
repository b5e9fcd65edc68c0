package auth

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// TokenConfig configures access tokens. It is built in cmd/ from the server configuration.
type TokenConfig struct {
	Secret    []byte        // HS256 key, at least MinSecretBytes
	Issuer    string        // iss, e.g. the public base URL
	Audience  string        // aud, e.g. "carequeue-api"
	AccessTTL time.Duration // lifetime of an access token; 0 means DefaultAccessTTL
	Now       func() time.Time
}

const (
	// MinSecretBytes is the shortest accepted HS256 key (RFC 7518 §3.2: at least the hash size).
	MinSecretBytes = 32
	// DefaultAccessTTL keeps a stolen access token useful for minutes, not hours; the refresh
	// token renews it.
	DefaultAccessTTL = 15 * time.Minute

	tokenTypeAccess = "access"
	// leeway tolerates clock skew between replicas for exp and iat.
	leeway = 30 * time.Second
	// maxTokenBytes refuses absurd inputs before any parsing work.
	maxTokenBytes = 4096
)

// AccessClaims is what an access token asserts about its bearer.
type AccessClaims struct {
	UserID     string // sub
	Role       Role   // e.g. RoleClinician
	FacilityID string // optional: staff bound to one facility
	PatientID  string // optional: patient accounts
	SessionID  string // the refresh-token family, so revoking a session can be checked
	// Client marks an API client's token (UserID is the client id, SessionID its secret's id), and
	// Scopes are what it was granted (RFC 9068's space-separated "scope" claim on the wire).
	Client bool
	Scopes []Scope
	// ExpiresAt (UTC) is set by ParseAccess; IssueAccess ignores it.
	ExpiresAt time.Time
	// NotAfter, when set, caps the token's expiry below the TTL: an access token must not outlive the
	// session's idle deadline or lifetime.
	NotAfter time.Time
}

// jwtClaims is the wire form. Short claim names keep the header line small.
type jwtClaims struct {
	jwt.RegisteredClaims
	Type       string `json:"typ"`
	Role       Role   `json:"role"`
	FacilityID string `json:"fid,omitempty"`
	PatientID  string `json:"pid,omitempty"`
	SessionID  string `json:"sid"`
	Client     bool   `json:"cli,omitempty"`
	Scope      string `json:"scope,omitempty"`
}

// Tokens issues and verifies access tokens. It is safe for concurrent use.
type Tokens struct {
	secret   []byte
	issuer   string
	audience string
	ttl      time.Duration
	now      func() time.Time
	parser   *jwt.Parser
}

// NewTokens checks cfg and returns a Tokens. A short secret or a missing issuer or audience is an
// error: those are configuration mistakes to catch at start-up.
func NewTokens(cfg TokenConfig) (*Tokens, error) {
	switch {
	case len(cfg.Secret) < MinSecretBytes:
		return nil, fmt.Errorf("auth: token secret must be at least %d bytes, got %d", MinSecretBytes, len(cfg.Secret))
	case cfg.Issuer == "":
		return nil, errors.New("auth: token issuer is required")
	case cfg.Audience == "":
		return nil, errors.New("auth: token audience is required")
	case cfg.AccessTTL < 0:
		return nil, fmt.Errorf("auth: access token TTL must be positive, got %s", cfg.AccessTTL)
	}
	t := &Tokens{
		secret:   append([]byte(nil), cfg.Secret...),
		issuer:   cfg.Issuer,
		audience: cfg.Audience,
		ttl:      cfg.AccessTTL,
		now:      cfg.Now,
	}
	if t.ttl == 0 {
		t.ttl = DefaultAccessTTL
	}
	if t.now == nil {
		t.now = time.Now
	}
	// Every rule is pinned here rather than trusted from the token header: only HS256 (so neither
	// "none" nor an RS256/HS256 key confusion), our issuer and audience, exp required, iat checked.
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(t.issuer),
		jwt.WithAudience(t.audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(leeway),
		jwt.WithTimeFunc(t.now),
		jwt.WithStrictDecoding(),
	)
	return t, nil
}

// IssueAccess signs an access token for c, valid for the configured TTL from now. It fails only on
// a programming error (missing user id, role or session id).
func (t *Tokens) IssueAccess(c AccessClaims) (token string, expiresAt time.Time, err error) {
	if c.UserID == "" || c.Role == "" || c.SessionID == "" {
		return "", time.Time{}, errors.New("auth: access claims need a user id, role and session id")
	}
	now := t.now().Truncate(time.Second) // JWT times are whole seconds
	expiresAt = now.Add(t.ttl).UTC()
	if !c.NotAfter.IsZero() && c.NotAfter.Before(expiresAt) {
		expiresAt = c.NotAfter.Truncate(time.Second).UTC()
	}
	claims := jwtClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   c.UserID,
			Audience:  jwt.ClaimStrings{t.audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(expiresAt),
		},
		Type:       tokenTypeAccess,
		Role:       c.Role,
		FacilityID: c.FacilityID,
		PatientID:  c.PatientID,
		SessionID:  c.SessionID,
		Client:     c.Client,
		Scope:      JoinScopes(c.Scopes),
	}
	token, err = jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("signing access token: %w", err)
	}
	return token, expiresAt, nil
}

// ParseAccess verifies token and returns its claims. Every failure is UNAUTHENTICATED: "session
// expired, sign in again" when it has expired, "invalid access token" for anything else. The token
// itself never appears in the error.
func (t *Tokens) ParseAccess(token string) (AccessClaims, error) {
	if token == "" || len(token) > maxTokenBytes || strings.HasPrefix(token, RefreshTokenPrefix) {
		return AccessClaims{}, errInvalidAccess(nil)
	}
	var claims jwtClaims
	if _, err := t.parser.ParseWithClaims(token, &claims, t.key); err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return AccessClaims{}, cqerr.Wrap(cqerr.Unauthenticated, err, "session expired, sign in again")
		}
		return AccessClaims{}, errInvalidAccess(err)
	}
	if claims.Type != tokenTypeAccess {
		return AccessClaims{}, errInvalidAccess(fmt.Errorf("token type %q", claims.Type))
	}
	if claims.Subject == "" || claims.Role == "" || claims.SessionID == "" {
		return AccessClaims{}, errInvalidAccess(errors.New("missing sub, role or sid"))
	}
	var scopes []Scope
	if claims.Scope != "" {
		var unknown string
		if scopes, unknown = ParseScopes(strings.Fields(claims.Scope)); unknown != "" {
			return AccessClaims{}, errInvalidAccess(fmt.Errorf("unknown scope %q", unknown))
		}
	}
	// A client is always INTEGRATION; scopes on a person's token mean someone forged a mix.
	if (claims.Client && claims.Role != RoleIntegration) || (!claims.Client && len(scopes) > 0) {
		return AccessClaims{}, errInvalidAccess(errors.New("client claims do not match"))
	}
	return AccessClaims{
		UserID:     claims.Subject,
		Role:       claims.Role,
		FacilityID: claims.FacilityID,
		PatientID:  claims.PatientID,
		SessionID:  claims.SessionID,
		Client:     claims.Client,
		Scopes:     scopes,
		ExpiresAt:  claims.ExpiresAt.UTC(),
	}, nil
}

// IsExpired reports whether err is ParseAccess refusing a token only because it has expired: the
// routine end of a session, unlike a token that was forged or tampered with.
func IsExpired(err error) bool { return errors.Is(err, jwt.ErrTokenExpired) }

func (t *Tokens) key(*jwt.Token) (any, error) { return t.secret, nil }

func errInvalidAccess(cause error) error {
	return cqerr.Wrap(cqerr.Unauthenticated, cause, "invalid access token")
}
