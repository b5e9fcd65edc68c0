package server

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// Defaults for BasicAuth's zero values.
const (
	DefaultBasicAuthCacheTTL  = 2 * time.Minute
	DefaultBasicAuthCacheSize = 256
)

// BasicAuth configures AdminBasicAuth.
type BasicAuth struct {
	// Realm is shown by the browser's sign-in prompt (e.g. "CareQueue jobs"). Required.
	Realm string
	// Verify checks an e-mail and password (session.Service.VerifyStaffPassword): a *cqerr.Error with
	// code UNAUTHENTICATED means wrong credentials, RATE_LIMITED too many attempts. Required.
	Verify func(ctx context.Context, email, password string) (auth.Viewer, error)
	// CacheTTL is how long a verified Authorization header is remembered (default
	// DefaultBasicAuthCacheTTL). It is also how long a changed password or a deactivated account
	// keeps working for a browser that already signed in.
	CacheTTL time.Duration
	// CacheSize bounds how many verified headers are remembered (default DefaultBasicAuthCacheSize).
	CacheSize int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives verification failures that are not the caller's fault; nil discards them.
	Logger *slog.Logger
}

// AdminBasicAuth lets only ADMIN staff reach next, signed in with HTTP Basic auth (e-mail and password),
// which a browser can do by itself: for pages that are not part of the GraphQL client, such as the job
// monitor. Missing or wrong credentials are a 401 with a Basic challenge, a valid account of another
// role a 403, too many attempts a 429 (the rate limits of Verify). next finds the viewer in the request
// context.
//
// Those pages poll, and a password check costs an argon2id hash, so a verified Authorization header is
// remembered for CacheTTL, keyed by its SHA-256 (the password itself is never kept); the memory is
// bounded by CacheSize. A password change or a deactivated account therefore stops working at the
// latest CacheTTL after that browser's last fresh check.
//
// Browsers send Basic credentials with every request to the origin, including requests a foreign page
// makes them send, so unsafe methods from another origin are refused (http.CrossOriginProtection).
func AdminBasicAuth(cfg BasicAuth, next http.Handler) http.Handler {
	if cfg.Realm == "" || cfg.Verify == nil {
		panic("server: BasicAuth.Realm and BasicAuth.Verify are required")
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = DefaultBasicAuthCacheTTL
	}
	if cfg.CacheSize <= 0 {
		cfg.CacheSize = DefaultBasicAuthCacheSize
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cache := &viewerCache{ttl: cfg.CacheTTL, size: cfg.CacheSize, now: cfg.Now, entries: map[[sha256.Size]byte]cachedViewer{}}
	challenge := fmt.Sprintf("Basic realm=%q, charset=\"UTF-8\"", cfg.Realm)
	csrf := http.NewCrossOriginProtection()

	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		email, password, ok := r.BasicAuth()
		if !ok {
			w.Header().Set("WWW-Authenticate", challenge)
			refuse(w, http.StatusUnauthorized, "sign in with your CareQueue e-mail and password")
			return
		}
		key := sha256.Sum256([]byte(r.Header.Get("Authorization")))
		v, ok := cache.get(key)
		if !ok {
			var err error
			v, err = cfg.Verify(r.Context(), email, password)
			if err != nil {
				// A browser shows this page: the same code and status as everywhere, as text.
				code, msg, _ := classifyErr(r.Context(), log, err)
				if code == cqerr.Unauthenticated {
					w.Header().Set("WWW-Authenticate", challenge)
				}
				refuse(w, httpStatus(code), msg)
				return
			}
			cache.put(key, v)
		}
		if v.Role != auth.RoleAdmin {
			refuse(w, http.StatusForbidden, "only administrators may open this page")
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.NewContext(r.Context(), v)))
	})
	return csrf.Handler(h)
}

// refuse answers in plain text, for a person in a browser.
func refuse(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, msg, status)
}

// viewerCache remembers verified Authorization headers by their hash, for a while and up to a size.
type viewerCache struct {
	ttl  time.Duration
	size int
	now  func() time.Time

	mu      sync.Mutex
	entries map[[sha256.Size]byte]cachedViewer
}

type cachedViewer struct {
	viewer  auth.Viewer
	expires time.Time
}

func (c *viewerCache) get(key [sha256.Size]byte) (auth.Viewer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return auth.Viewer{}, false
	}
	if !c.now().Before(e.expires) {
		delete(c.entries, key)
		return auth.Viewer{}, false
	}
	return e.viewer, true
}

// put remembers v under key; when full it drops the expired entries, then the one closest to expiry.
func (c *viewerCache) put(key [sha256.Size]byte, v auth.Viewer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if _, ok := c.entries[key]; !ok && len(c.entries) >= c.size {
		var oldest [sha256.Size]byte
		var oldestExp time.Time
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
				continue
			}
			if oldestExp.IsZero() || e.expires.Before(oldestExp) {
				oldest, oldestExp = k, e.expires
			}
		}
		if len(c.entries) >= c.size {
			delete(c.entries, oldest)
		}
	}
	c.entries[key] = cachedViewer{viewer: v, expires: now.Add(c.ttl)}
}
