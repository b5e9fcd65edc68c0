package graphiql

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
)

// The page holds no inline script or style: the CSP allows 'self' only, so configuration travels in
// data- attributes that assets/init.js reads. Scripts are deferred, which keeps their order.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="icon" href="data:,">
{{range .Styles}}<link rel="stylesheet" href="{{.URL}}" integrity="{{.Integrity}}">
{{end}}{{range .Scripts}}<script src="{{.URL}}" integrity="{{.Integrity}}" defer></script>
{{end}}</head>
<body>
<header class="session"><span id="session-state" role="status">Not signed in.</span> <button type="button" id="session-forget" hidden>Forget the token</button></header>
<div id="graphiql" data-endpoint="{{.Endpoint}}" data-subscription-endpoint="{{.SubscriptionEndpoint}}">Loading GraphiQL…</div>
<noscript>GraphiQL needs JavaScript.</noscript>
</body>
</html>
`))

// The files the page loads, in order: GraphiQL's UMD bundle expects the React and ReactDOM globals.
var (
	pageStyles  = []string{"graphiql.min.css", "page.css"}
	pageScripts = []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "init.js"}
)

type pageAsset struct{ URL, Integrity string }

func renderPage(opts Options, assets map[string]*asset) ([]byte, error) {
	refs := func(names []string) ([]pageAsset, error) {
		out := make([]pageAsset, 0, len(names))
		for _, n := range names {
			a, ok := assets[n]
			if !ok {
				return nil, fmt.Errorf("embedded asset %s is missing", n)
			}
			out = append(out, pageAsset{URL: a.url(opts.Path), Integrity: a.integrity})
		}
		return out, nil
	}
	styles, err := refs(pageStyles)
	if err != nil {
		return nil, err
	}
	scripts, err := refs(pageScripts)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = pageTemplate.Execute(&buf, map[string]any{
		"Title":                opts.Title,
		"Endpoint":             opts.Endpoint,
		"SubscriptionEndpoint": opts.SubscriptionEndpoint,
		"Styles":               styles,
		"Scripts":              scripts,
	})
	if err != nil {
		return nil, fmt.Errorf("rendering page: %w", err)
	}
	return buf.Bytes(), nil
}

// contentSecurityPolicy allows nothing but this origin (plus the endpoints' origins when they are
// absolute URLs). data: covers the fonts and icons inlined in graphiql.min.css. CSP Level 3 browsers
// match same-origin ws:/wss: with 'self', so a WebSocket path needs no extra source.
func contentSecurityPolicy(opts Options) string {
	connect := []string{"'self'"}
	// withDefaults has validated both endpoints, so errors cannot occur here.
	if origin, _ := endpointOrigin(opts.Endpoint, "http", "https"); origin != "" {
		connect = append(connect, origin)
	}
	if origin, _ := endpointOrigin(opts.SubscriptionEndpoint, "ws", "wss"); origin != "" {
		connect = append(connect, origin)
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src " + strings.Join(connect, " "),
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}
