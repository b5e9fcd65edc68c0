// Package graphiql owns the self-hosted GraphiQL page: the HTML page, its strict Content-Security-Policy
// and the vendored GraphiQL 4 and React 18 files embedded in the binary, so that admins on hospital
// networks without a CDN still get an IDE. It only serves the page; who may open it, and whether
// introspection is on, is decided by the caller's middleware and the GraphQL handler.
package graphiql

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Options configures the page. The zero value serves "/graphiql" against "/graphql" without
// subscriptions.
type Options struct {
	// Path is where the page is mounted (default "/graphiql"); assets are served under Path+"/assets/".
	Path string
	// Title is the browser tab's title (default "CareQueue GraphiQL").
	Title string
	// Endpoint is the GraphQL HTTP endpoint, normally a path such as "/graphql" (the default).
	// An absolute http(s) URL is allowed and added to the page's connect-src.
	Endpoint string
	// SubscriptionEndpoint is the GraphQL WebSocket endpoint (a path such as "/graphql", or an
	// absolute ws(s) URL); empty disables subscriptions in GraphiQL. The headers typed into GraphiQL's
	// headers editor are sent as graphql-ws connectionParams.
	SubscriptionEndpoint string
}

// Handler serves the page at opts.Path (with or without a trailing slash) and the embedded assets under
// opts.Path+"/assets/". Mount it on both patterns, e.g. mux.Handle("/graphiql", h) and
// mux.Handle("/graphiql/", h). It answers GET and HEAD only, and 404 for any other path.
// It panics when opts.Path is not an absolute path or an endpoint is not a path or an http(s)/ws(s)
// URL: that is a wiring mistake, found at startup.
func Handler(opts Options) http.Handler {
	opts, err := withDefaults(opts)
	if err != nil {
		panic("graphiql: " + err.Error())
	}
	assets, err := loadAssets()
	if err != nil {
		panic("graphiql: " + err.Error())
	}
	page, err := renderPage(opts, assets)
	if err != nil {
		panic("graphiql: " + err.Error())
	}
	return &handler{mount: opts.Path, page: page, csp: contentSecurityPolicy(opts), assets: assets}
}

type handler struct {
	mount  string
	page   []byte
	csp    string
	assets map[string]*asset
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	p := r.URL.Path
	switch {
	case p == h.mount || p == h.mount+"/":
		h.servePage(w, r)
	case strings.HasPrefix(p, h.mount+"/assets/"):
		// Only flat names from the map are served, so "..", "a/b" and encoded variants are all 404.
		a, ok := h.assets[strings.TrimPrefix(p, h.mount+"/assets/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		a.serve(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (h *handler) servePage(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", h.csp)
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "no-referrer")
	// The page names assets by content hash; it must be refetched so a deploy takes effect at once.
	hd.Set("Cache-Control", "no-cache")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(h.page)
}

func withDefaults(opts Options) (Options, error) {
	if opts.Path == "" {
		opts.Path = "/graphiql"
	}
	if !strings.HasPrefix(opts.Path, "/") {
		return opts, fmt.Errorf("path %q must start with /", opts.Path)
	}
	opts.Path = strings.TrimSuffix(opts.Path, "/")
	if opts.Title == "" {
		opts.Title = "CareQueue GraphiQL"
	}
	if opts.Endpoint == "" {
		opts.Endpoint = "/graphql"
	}
	if _, err := endpointOrigin(opts.Endpoint, "http", "https"); err != nil {
		return opts, err
	}
	if opts.SubscriptionEndpoint != "" {
		if _, err := endpointOrigin(opts.SubscriptionEndpoint, "ws", "wss"); err != nil {
			return opts, err
		}
	}
	return opts, nil
}

// endpointOrigin returns "" for a same-origin path and scheme://host for an absolute URL, which the CSP
// must then allow explicitly.
func endpointOrigin(endpoint string, schemes ...string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", fmt.Errorf("endpoint %q: %w", endpoint, err)
	}
	if u.Scheme == "" && u.Host == "" {
		if !strings.HasPrefix(u.Path, "/") {
			return "", fmt.Errorf("endpoint %q must be an absolute path or URL", endpoint)
		}
		return "", nil
	}
	for _, s := range schemes {
		if u.Scheme == s && u.Host != "" {
			return u.Scheme + "://" + u.Host, nil
		}
	}
	return "", fmt.Errorf("endpoint %q must be a path or a %s URL", endpoint, strings.Join(schemes, "/"))
}
