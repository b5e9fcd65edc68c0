package graphiql

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed assets
var embedded embed.FS

// contentTypes lists what is served; anything else under assets/ (README.md) stays private.
var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".txt": "text/plain; charset=utf-8",
}

// asset is one embedded file, prepared once: the 1 MiB GraphiQL bundle is gzipped at startup rather
// than per request, since slow hospital links are the reason it is self-hosted.
type asset struct {
	name        string
	contentType string
	body        []byte
	gzipped     []byte // nil when gzip does not make it smaller
	version     string // content hash, the ?v= of the URL
	integrity   string // Subresource Integrity value for <script>/<link>
}

func loadAssets() (map[string]*asset, error) {
	entries, err := fs.ReadDir(embedded, "assets")
	if err != nil {
		return nil, fmt.Errorf("reading embedded assets: %w", err)
	}
	assets := make(map[string]*asset, len(entries))
	for _, e := range entries {
		ct, ok := contentTypes[path.Ext(e.Name())]
		if e.IsDir() || !ok {
			continue
		}
		body, err := embedded.ReadFile("assets/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("reading embedded asset %s: %w", e.Name(), err)
		}
		a := &asset{name: e.Name(), contentType: ct, body: body}
		sum := sha256.Sum256(body)
		a.version = hex.EncodeToString(sum[:8])
		sri := sha512.Sum384(body)
		a.integrity = "sha384-" + base64.StdEncoding.EncodeToString(sri[:])
		if a.gzipped, err = gzipped(body); err != nil {
			return nil, fmt.Errorf("compressing %s: %w", e.Name(), err)
		}
		assets[e.Name()] = a
	}
	return assets, nil
}

func gzipped(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if buf.Len() >= len(body) {
		return nil, nil
	}
	return buf.Bytes(), nil
}

// url is the asset's address as the page refers to it.
func (a *asset) url(mount string) string {
	return mount + "/assets/" + a.name + "?v=" + a.version
}

func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Type", a.contentType)
	hd.Set("Vary", "Accept-Encoding")
	// Only the URL the page hands out is immutable; a bare or stale ?v= must revalidate, or a client
	// could pin an old file under a name that a deploy has changed.
	if r.URL.Query().Get("v") == a.version {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hd.Set("Cache-Control", "no-cache")
	}
	body, etag := a.body, `"`+a.version+`"`
	if a.gzipped != nil && acceptsGzip(r) {
		body, etag = a.gzipped, `"`+a.version+`-gz"`
		hd.Set("Content-Encoding", "gzip")
	}
	hd.Set("ETag", etag)
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(body))
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
