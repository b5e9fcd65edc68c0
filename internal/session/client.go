package session

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/apiclient"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// API clients (service accounts) sign in with the OAuth 2.0 client credentials grant (RFC 6749 §4.4):
// client_id is the APIClient's id, client_secret a random secret shown once. The access token is a
// staff-like JWT (role INTEGRATION, the client's facility, its scopes) whose session id is the id of
// the secret that obtained it, so rotating or revoking the client ends its tokens through the same
// revocation check as staff sessions (revoke.go).

const (
	// ClientSecretPrefix starts every client secret, so secret scanners recognise a leaked one.
	ClientSecretPrefix = "cqs_"
	clientSecretBytes  = 32
	// secretPrefixLen is how much of a secret is kept in clear to tell secrets apart (prefix and 8
	// characters: 48 of the 256 random bits, too few to matter).
	secretPrefixLen  = len(ClientSecretPrefix) + 8
	maxClientNameLen = 100
	maxClientIDLen   = 32
	maxSecretLen     = 128
)

// NewClientInput is what an admin gives to create an API client.
type NewClientInput struct {
	Name string
	// FacilityID defaults to the admin's own facility; a global admin must name one.
	FacilityID *pulid.ID
	Scopes     []string
}

// ClientSecret is an API client with its secret in clear: returned once, by creation and rotation.
type ClientSecret struct {
	Client       *ent.APIClient
	ClientSecret string
}

// ClientToken is the answer to a client credentials grant.
type ClientToken struct {
	AccessToken string
	ExpiresAt   time.Time
	Scopes      []auth.Scope
}

// newClientSecret returns a secret, its hash, its id (the tokens' session id) and its shown prefix.
func newClientSecret() (plain, hash, id, prefix string) {
	b := make([]byte, clientSecretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	plain = ClientSecretPrefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, auth.HashSecret(plain), string(pulid.New("CS")), plain[:secretPrefixLen]
}

// CreateAPIClient creates an API client of one facility with the given scopes and returns its secret,
// which is not stored and cannot be shown again.
//
// Errors: UNAUTHENTICATED when nobody is signed in; FORBIDDEN for anyone but an ADMIN of the facility
// (or a global admin); BAD_USER_INPUT for an empty or long name (field name), no scope or an unknown
// one (field scopes), no facility for a global admin or an unknown one (field facilityID).
func (s *Service) CreateAPIClient(ctx context.Context, input NewClientInput) (*ClientSecret, error) {
	v, ok := auth.FromContext(ctx)
	if !ok {
		return nil, cqerr.E(cqerr.Unauthenticated, "sign in to manage API clients")
	}
	name := strings.TrimSpace(input.Name)
	if name == "" || utf8.RuneCountInString(name) > maxClientNameLen {
		return nil, cqerr.E(cqerr.BadUserInput, fmt.Sprintf("name must be 1 to %d characters", maxClientNameLen)).WithField("name")
	}
	scopes, unknown := auth.ParseScopes(input.Scopes)
	switch {
	case unknown != "":
		return nil, cqerr.E(cqerr.BadUserInput, fmt.Sprintf("unknown scope %.40q", unknown)).WithField("scopes")
	case len(scopes) == 0:
		return nil, cqerr.E(cqerr.BadUserInput, "give the client at least one scope").WithField("scopes")
	}
	facility := v.FacilityID
	if input.FacilityID != nil && *input.FacilityID != "" {
		facility = *input.FacilityID
	}
	if facility == "" {
		return nil, cqerr.E(cqerr.BadUserInput, "name the client's facility").WithField("facilityID")
	}
	var out *ClientSecret
	err := s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		// Read through the admin's own scope: another facility is simply not found.
		if _, err := tx.Client.Facility.Get(ctx, facility); err != nil {
			if ent.IsNotFound(err) {
				return cqerr.Wrap(cqerr.BadUserInput, err, "facility does not exist").WithField("facilityID")
			}
			return clientWriteError(err)
		}
		plain, hash, id, prefix := newClientSecret()
		c, err := tx.Client.APIClient.Create().
			SetName(name).SetFacilityID(facility).SetScopes(scopeNames(scopes)).
			SetSecretHash(hash).SetSecretID(id).SetSecretPrefix(prefix).SetCreatedBy(string(v.UserID)).
			Save(ctx)
		if err != nil {
			return clientWriteError(err)
		}
		out = &ClientSecret{Client: c, ClientSecret: plain}
		return audit.Record(ctx, tx.Client, audit.Entry{Action: "apiClient.create", EntityType: "APIClient",
			EntityID: string(c.ID), FacilityID: string(c.FacilityID), After: c})
	})
	if err != nil {
		return nil, fmt.Errorf("creating API client: %w", err)
	}
	return out, nil
}

// RotateAPIClientSecret gives a client a new secret and returns it once. The old secret and every
// token it obtained stop working at once (tokens within the revocation window, DefaultRevocationTTL,
// on other replicas when their revocation message is lost).
//
// Errors: UNAUTHENTICATED; NOT_FOUND for a client the admin cannot see; CONFLICT for a revoked one.
func (s *Service) RotateAPIClientSecret(ctx context.Context, id pulid.ID) (*ClientSecret, error) {
	var out *ClientSecret
	err := s.changeClient(ctx, id, "apiClient.rotateSecret", func(c *ent.APIClient, u *ent.APIClientUpdateOne) *ent.APIClientUpdateOne {
		plain, hash, sid, prefix := newClientSecret()
		out = &ClientSecret{ClientSecret: plain}
		return u.SetSecretHash(hash).SetSecretID(sid).SetSecretPrefix(prefix)
	}, func(c *ent.APIClient) { out.Client = c })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RevokeAPIClient revokes a client for good: its secret and tokens stop working as on rotation.
//
// Errors: UNAUTHENTICATED; NOT_FOUND for a client the admin cannot see; CONFLICT when already revoked.
func (s *Service) RevokeAPIClient(ctx context.Context, id pulid.ID) (*ent.APIClient, error) {
	var out *ent.APIClient
	err := s.changeClient(ctx, id, "apiClient.revoke", func(_ *ent.APIClient, u *ent.APIClientUpdateOne) *ent.APIClientUpdateOne {
		return u.SetRevokedAt(s.now())
	}, func(c *ent.APIClient) { out = c })
	return out, err
}

// changeClient applies change to a live client the viewer may manage, audits it as action, and
// tells every replica to re-check the client's tokens after the commit.
func (s *Service) changeClient(ctx context.Context, id pulid.ID, action string,
	change func(*ent.APIClient, *ent.APIClientUpdateOne) *ent.APIClientUpdateOne, done func(*ent.APIClient)) error {
	if _, ok := auth.FromContext(ctx); !ok {
		return cqerr.E(cqerr.Unauthenticated, "sign in to manage API clients")
	}
	err := s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		before, err := tx.Client.APIClient.Get(ctx, id)
		if err != nil {
			return clientWriteError(err)
		}
		if before.RevokedAt != nil {
			return cqerr.E(cqerr.Conflict, "this API client is revoked")
		}
		after, err := change(before, tx.Client.APIClient.UpdateOne(before)).Save(ctx)
		if err != nil {
			return clientWriteError(err)
		}
		done(after)
		s.announceOnCommit(ctx, tx, after.ID)
		return audit.Record(ctx, tx.Client, audit.Entry{Action: action, EntityType: "APIClient",
			EntityID: string(after.ID), FacilityID: string(after.FacilityID), Before: before, After: after})
	})
	if err != nil {
		return fmt.Errorf("changing API client: %w", err)
	}
	return nil
}

func clientWriteError(err error) error {
	if ent.IsNotFound(err) {
		return cqerr.Wrap(cqerr.NotFound, err, "API client not found")
	}
	return userWriteError(err, "manage API clients")
}

func scopeNames(scopes []auth.Scope) []string {
	out := make([]string, len(scopes))
	for i, sc := range scopes {
		out[i] = string(sc)
	}
	return out
}

// IssueClientToken is the client credentials grant: it checks client_id and client_secret and issues
// an access token for the client's scopes, or the requested subset (scope, space-separated; empty
// means all). Attempts are rate-limited like password sign-ins (per client id, and failures per
// address) and audited with the client as actor.
//
// Errors: RATE_LIMITED; UNAUTHENTICATED for an unknown, revoked or wrong-secret client, alike and in
// the same time (OAuth's invalid_client); BAD_USER_INPUT with field scope for a scope the client does
// not hold or that does not exist (invalid_scope).
func (s *Service) IssueClientToken(ctx context.Context, clientID, secret, scope string) (*ClientToken, error) {
	addrKey := "login:addr:" + audit.RequestFrom(ctx).Address
	if len(clientID) > maxClientIDLen || len(secret) > maxSecretLen {
		clientID, secret = clientID[:min(len(clientID), maxClientIDLen)], ""
	}
	if err := s.limitSignIn(ctx, "oauth:client:"+clientID, addrKey); err != nil {
		return nil, err
	}
	c, err := s.db.Ent.APIClient.Get(auth.SystemContext(ctx), pulid.ID(clientID))
	if err != nil && !ent.IsNotFound(err) {
		return nil, fmt.Errorf("reading API client: %w", err)
	}
	failed := func(reason string) error {
		e := audit.Entry{Action: "oauth.tokenFailed", EntityType: "APIClient", After: map[string]any{"reason": reason}}
		if c != nil {
			e.EntityID, e.FacilityID = string(c.ID), string(c.FacilityID)
		}
		s.recordFailure(ctx, e)
		s.failedFrom(ctx, addrKey)
		return cqerr.E(cqerr.Unauthenticated, "client authentication failed")
	}
	// Hash before looking at the row so that an unknown client costs the same as a wrong secret.
	presented := auth.HashSecret(secret)
	switch {
	case c == nil:
		return nil, failed("unknown client")
	case secret == "" || subtle.ConstantTimeCompare([]byte(presented), []byte(c.SecretHash)) != 1:
		return nil, failed("wrong secret")
	case c.RevokedAt != nil:
		return nil, failed("revoked client")
	}
	granted, _ := auth.ParseScopes(c.Scopes)
	if scope != "" {
		asked, unknown := auth.ParseScopes(strings.Fields(scope))
		for _, a := range asked {
			if !slices.Contains(granted, a) {
				unknown = string(a)
			}
		}
		if unknown != "" || len(asked) == 0 {
			return nil, cqerr.E(cqerr.BadUserInput, fmt.Sprintf("the client may not have scope %.40q", unknown)).WithField("scope")
		}
		granted = asked
	}
	access, exp, err := s.tokens.IssueAccess(auth.AccessClaims{
		UserID: string(c.ID), Role: auth.RoleIntegration, FacilityID: string(c.FacilityID),
		SessionID: c.SecretID, Client: true, Scopes: granted,
	})
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		ctx = auth.NewContext(auth.SystemContext(ctx), clientViewer(c, granted))
		if err := tx.Client.APIClient.UpdateOneID(c.ID).SetLastUsedAt(s.now()).Exec(ctx); err != nil {
			return fmt.Errorf("recording the client's use: %w", err)
		}
		return audit.Record(ctx, tx.Client, audit.Entry{Action: "oauth.token", EntityType: "APIClient",
			EntityID: string(c.ID), FacilityID: string(c.FacilityID), After: map[string]any{"scope": auth.JoinScopes(granted)}})
	})
	if err != nil {
		return nil, fmt.Errorf("issuing client token: %w", err)
	}
	return &ClientToken{AccessToken: access, ExpiresAt: exp, Scopes: granted}, nil
}

func clientViewer(c *ent.APIClient, scopes []auth.Scope) auth.Viewer {
	return auth.Viewer{UserID: c.ID, ClientID: c.ID, Role: auth.RoleIntegration, FacilityID: c.FacilityID, Scopes: scopes}
}

// loadClient is loadSession for an API client's token: the client stands for the account (found,
// active while not revoked) and its current secret for the session.
func (s *Service) loadClient(ctx context.Context, c auth.AccessClaims) (sessionState, error) {
	st := sessionState{userID: c.UserID}
	cl, err := s.db.Ent.APIClient.Query().Where(apiclient.ID(pulid.ID(c.UserID))).Only(auth.SystemContext(ctx))
	switch {
	case ent.IsNotFound(err):
		return st, nil
	case err != nil:
		return st, fmt.Errorf("reading the token's API client: %w", err)
	}
	st.found, st.active, st.role, st.facility = true, cl.RevokedAt == nil, auth.RoleIntegration, string(cl.FacilityID)
	st.revoked = cl.SecretID != c.SessionID
	return st, nil
}
