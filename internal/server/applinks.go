package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
)

// AppLinks names the patient apps that may open this server's ticket links (https://<host>/t/<token>)
// instead of the browser. A phone opens such a link in an app only after fetching the server's
// association file for its platform and finding the app there.
type AppLinks struct {
	// AndroidPackage and AndroidSHA256 (signing-certificate fingerprints, "AB:CD:…") make
	// /.well-known/assetlinks.json (Android App Links); no fingerprint, no file.
	AndroidPackage string
	AndroidSHA256  []string
	// IOSAppIDs ("TEAMID.bundle.id") make /.well-known/apple-app-site-association (iOS universal
	// links); none, no file.
	IOSAppIDs []string
}

// ticketLinks is the path pattern, in Apple's syntax, of the links the app handles: a ticket's status
// page. Android takes its pattern from the app's own intent filter (pathPrefix /t/).
const ticketLinks = "/t/*"

// appLinksCache lets caches (Apple's CDN, proxies) keep the files for an hour, so a changed key or app
// ID is picked up within the hour.
const appLinksCache = "public, max-age=3600"

// appLinkRoutes returns the association-file handlers by path. Each answers 404 while its platform is
// not configured, so the paths never fall through to the web app.
func appLinkRoutes(l AppLinks) map[string]http.Handler {
	return map[string]http.Handler{
		"/.well-known/assetlinks.json":            jsonFile(assetLinks(l)),
		"/.well-known/apple-app-site-association": jsonFile(appleAppSiteAssociation(l)),
	}
}

// assetLinks is the Digital Asset Links statement list, or nil without a fingerprint.
func assetLinks(l AppLinks) []byte {
	if len(l.AndroidSHA256) == 0 {
		return nil
	}
	type target struct {
		Namespace    string   `json:"namespace"`
		PackageName  string   `json:"package_name"`
		Fingerprints []string `json:"sha256_cert_fingerprints"`
	}
	type statement struct {
		Relation []string `json:"relation"`
		Target   target   `json:"target"`
	}
	return mustMarshal([]statement{{
		Relation: []string{"delegate_permission/common.handle_all_urls"},
		Target:   target{Namespace: "android_app", PackageName: l.AndroidPackage, Fingerprints: l.AndroidSHA256},
	}})
}

// appleAppSiteAssociation is the universal-links file in the format of iOS 13 and later (the iOS 12
// keys are left out: Expo apps need a much newer iOS), or nil without an app ID.
func appleAppSiteAssociation(l AppLinks) []byte {
	if len(l.IOSAppIDs) == 0 {
		return nil
	}
	type component struct {
		Path    string `json:"/"`
		Comment string `json:"comment"`
	}
	type detail struct {
		AppIDs     []string    `json:"appIDs"`
		Components []component `json:"components"`
	}
	type appLinks struct {
		Details []detail `json:"details"`
	}
	return mustMarshal(struct {
		AppLinks appLinks `json:"applinks"`
	}{appLinks{Details: []detail{{
		AppIDs:     l.IOSAppIDs,
		Components: []component{{Path: ticketLinks, Comment: "ticket status links"}},
	}}}})
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("server: encoding an app links file: " + err.Error())
	}
	return b
}

// jsonFile serves body as a cacheable JSON document, or 404 when body is nil. It never redirects:
// Android and Apple refuse a redirected association file.
type jsonFile []byte

func (f jsonFile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if f == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", appLinksCache)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f))
}
