package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/carequeue/carequeue/web"
)

// appCSP is the Content-Security-Policy of the web app's pages: everything from this origin only, no
// inline script or style, no plugins, no framing. connect-src 'self' covers the same-origin WebSocket
// (CSP Level 3); data: images are QR codes drawn by the kiosk.
const appCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; media-src 'self'; manifest-src 'self'; worker-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

const (
	// Vite puts a content hash in every name under assets/: a changed file gets a new name.
	immutableCache = "public, max-age=31536000, immutable"
	// index.html and unhashed files must be revalidated so a deploy is picked up at once.
	revalidateCache = "no-cache"
)

// spa serves the built web app at "/": files under assets/ with a year-long immutable cache, every
// other file revalidated, and index.html for client-side routes (paths whose last segment has no
// extension). A missing asset or file is a 404, never index.html, so a stale page fails loudly
// instead of executing HTML as JavaScript. A file's .gz sibling (written by the build) is sent to
// clients that accept gzip.
type spa struct {
	files     fs.FS
	built     bool
	index     []byte
	indexETag string
	csp       string
}

// dsnOrigin is the scheme and host a DSN's events are posted to, or "" for no (or no valid) DSN.
func dsnOrigin(dsn string) string {
	u, err := url.Parse(dsn)
	if dsn == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// withReportMeta writes reports into index as <meta> elements at the end of its head (at its start
// without one); nothing without a DSN.
func withReportMeta(index []byte, reports WebErrorReports) []byte {
	if dsnOrigin(reports.DSN) == "" {
		return index
	}
	var meta bytes.Buffer
	for _, m := range [][2]string{{"sentry-dsn", reports.DSN}, {"sentry-environment", reports.Environment}, {"sentry-release", reports.Release}} {
		fmt.Fprintf(&meta, `<meta name="%s" content="%s" />`, m[0], html.EscapeString(m[1]))
	}
	at := bytes.Index(index, []byte("</head>"))
	if at < 0 {
		at = 0
	}
	return slices.Concat(index[:at:at], meta.Bytes(), index[at:])
}

// WebErrorReports says where the web app reports its errors (SENTRY_WEB_DSN); an empty DSN: nowhere.
// The page's <meta name="sentry-dsn|sentry-environment|sentry-release"> carry it to the app at run time,
// so one build serves every environment, and the page may connect to the DSN's origin.
type WebErrorReports struct {
	DSN, Environment, Release string
}

// webApp serves the web app embedded in the binary (package web).
func webApp(reports WebErrorReports) http.Handler { return newSPA(web.Dist(), reports) }

// newSPA returns the handler for the app in files, its pages told where to report errors.
func newSPA(files fs.FS, reports WebErrorReports) http.Handler {
	s := &spa{files: files, built: web.Built(files), csp: appCSP}
	if origin := dsnOrigin(reports.DSN); origin != "" {
		s.csp = strings.Replace(appCSP, "connect-src 'self'", "connect-src 'self' "+origin, 1)
	}
	if s.built {
		index, err := fs.ReadFile(files, "index.html")
		if err != nil {
			panic("server: reading the web app's index.html: " + err.Error())
		}
		index = withReportMeta(index, reports)
		sum := sha256.Sum256(index)
		s.index, s.indexETag = index, `"`+hex.EncodeToString(sum[:8])+`"`
	}
	return s
}

func (s *spa) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if hiddenPath(name) {
		http.NotFound(w, r)
		return
	}
	if name == "" || name == "index.html" {
		s.serveIndex(w, r)
		return
	}
	if st, err := fs.Stat(s.files, name); err == nil && !st.IsDir() {
		s.serveFile(w, r, name)
		return
	}
	if strings.HasPrefix(name, "assets/") || strings.Contains(path.Base(name), ".") {
		http.NotFound(w, r)
		return
	}
	s.serveIndex(w, r) // a client-side route: /reception, /board/DP01…, /t/<token>
}

// hiddenPath reports whether any segment of name starts with "." (the build's .keep placeholder, a
// stray dotfile): those are never served.
func hiddenPath(name string) bool {
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}

func (s *spa) serveIndex(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", s.csp)
	h.Set("Content-Type", "text/html; charset=utf-8")
	if !s.built {
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		if r.Method != http.MethodHead {
			_, _ = w.Write(web.Unbuilt())
		}
		return
	}
	h.Set("Cache-Control", revalidateCache)
	h.Set("ETag", s.indexETag)
	http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(s.index))
}

func (s *spa) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	h := w.Header()
	if strings.HasPrefix(name, "assets/") {
		h.Set("Cache-Control", immutableCache)
	} else {
		h.Set("Cache-Control", revalidateCache)
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		h.Set("Content-Type", ct)
	}
	if strings.HasSuffix(name, ".html") {
		h.Set("Content-Security-Policy", s.csp)
	}
	h.Add("Vary", "Accept-Encoding")
	served := name
	if acceptsGzip(r) {
		if st, err := fs.Stat(s.files, name+".gz"); err == nil && !st.IsDir() {
			served = name + ".gz"
			h.Set("Content-Encoding", "gzip")
		}
	}
	f, err := s.files.Open(served)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	rs, ok := f.(interface {
		Read([]byte) (int, error)
		Seek(int64, int) (int64, error)
	})
	if !ok {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	// A zero modtime (embed.FS has none) sends no Last-Modified; the hashed names make it moot.
	http.ServeContent(w, r, name, time.Time{}, rs)
}

// acceptsGzip reports whether the client listed gzip in Accept-Encoding without q=0.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
