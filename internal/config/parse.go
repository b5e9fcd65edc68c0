package config

import (
	"errors"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // DEFAULT_TIMEZONE must validate in minimal container images without /usr/share/zoneinfo.
)

// parser reads one variable at a time; every error it returns names the variable.
type parser struct {
	get func(string) string
}

func (p parser) str(name, def string) string {
	if v := strings.TrimSpace(p.get(name)); v != "" {
		return v
	}
	return def
}

func (p parser) port(name string, def int) (int, error) {
	v := p.str(name, "")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	// 0 asks the system for any free port (tests start the server that way).
	if err != nil || n < 0 || n > 65535 {
		return 0, errf(name, "%q is not a port number (0-65535)", v)
	}
	return n, nil
}

// listenAddr reads an optional host:port to listen on (":9090" listens on every interface).
func (p parser) listenAddr(name string) (string, error) {
	v := p.str(name, "")
	if v == "" {
		return "", nil
	}
	_, port, err := net.SplitHostPort(v)
	n, perr := strconv.Atoi(port)
	if err != nil || perr != nil || n < 0 || n > 65535 {
		return "", errf(name, "%q is not host:port (e.g. :9090 or 10.0.0.5:9090)", v)
	}
	return v, nil
}

func (p parser) positiveInt(name string, def int, unit string) (int, error) {
	v := p.str(name, "")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, errf(name, "%q is not a positive whole number of %s", v, unit)
	}
	return n, nil
}

func (p parser) nonNegativeInt(name string, def int, unit string) (int, error) {
	v := p.str(name, "")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errf(name, "%q is not a whole number of %s (0 for the default)", v, unit)
	}
	return n, nil
}

func (p parser) boolean(name string, def bool) (bool, error) {
	switch v := strings.ToLower(p.str(name, "")); v {
	case "":
		return def, nil
	case "1", "t", "true", "yes", "on":
		return true, nil
	case "0", "f", "false", "no", "off":
		return false, nil
	default:
		return false, errf(name, "%q is not a boolean (true or false)", p.get(name))
	}
}

func (p parser) duration(name string, def time.Duration) (time.Duration, error) {
	v := p.str(name, "")
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, errf(name, "%q is not a positive duration (e.g. 15m, 720h)", v)
	}
	return d, nil
}

// durationIn is duration kept within [lo, hi].
func (p parser) durationIn(name string, def, lo, hi time.Duration) (time.Duration, error) {
	d, err := p.duration(name, def)
	if err == nil && (d < lo || d > hi) {
		return 0, errf(name, "%s is out of range (%s to %s)", d, lo, hi)
	}
	return d, err
}

// durationOrZero is duration allowing 0 (off).
func (p parser) durationOrZero(name string, def time.Duration) (time.Duration, error) {
	v := p.str(name, "")
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, errf(name, "%q is not a duration (e.g. 5s, or 0 for none)", v)
	}
	return d, nil
}

// byteSize accepts a plain number of bytes or one with a KiB or MiB suffix.
func (p parser) byteSize(name string, def int64) (int64, error) {
	v := p.str(name, "")
	if v == "" {
		return def, nil
	}
	num, mult := v, int64(1)
	for suffix, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20} {
		if s, ok := strings.CutSuffix(v, suffix); ok {
			num, mult = strings.TrimSpace(s), m
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 1 || n > (1<<40)/mult {
		return 0, errf(name, "%q is not a positive size in bytes (e.g. 1048576 or 1MiB)", v)
	}
	return n * mult, nil
}

func (p parser) logLevel(name string) (slog.Level, error) {
	switch v := strings.ToLower(p.str(name, "info")); v {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	default:
		return 0, errf(name, "%q is not one of debug, info, warn, error", p.get(name))
	}
}

func (p parser) timezone(name, def string) (*time.Location, error) {
	v := p.str(name, def)
	// LoadLocation also accepts "" and "Local", which depend on the host: not a facility's zone.
	if v == "Local" {
		return nil, errf(name, "%q is not an IANA time zone name (e.g. Europe/Berlin, UTC)", v)
	}
	loc, err := time.LoadLocation(v)
	if err != nil {
		return nil, errf(name, "%q is not an IANA time zone name (e.g. Europe/Berlin, UTC)", v)
	}
	return loc, nil
}

func (p parser) publicURL(name, def string) (string, error) {
	v := p.str(name, def)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errf(name, "%q is not an absolute http(s) URL (e.g. https://queue.example-hospital.org)", v)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", errf(name, "%q must not carry credentials, a query or a fragment", u.Redacted())
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// baseURL parses the scheme and host of a provider's API (no path: the client adds its own). Production
// talks to providers over https only.
func (p parser) baseURL(name, def string, env Env) (string, error) {
	v := p.str(name, def)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errf(name, "%q is not an absolute http(s) URL (e.g. %s)", v, def)
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", errf(name, "%q must be scheme://host[:port] only (no path, credentials, query or fragment)", u.Redacted())
	}
	if env == Production && u.Scheme != "https" {
		return "", errf(name, "%q must use https in production", v)
	}
	return u.Scheme + "://" + u.Host, nil
}

// origins parses a comma list of exact origins. The default is the origin of publicURL.
func (p parser) origins(name, publicURL string, env Env) ([]string, error) {
	v := p.str(name, "")
	if v == "" {
		u, _ := url.Parse(publicURL) // validated by publicURL
		return []string{u.Scheme + "://" + u.Host}, nil
	}
	var out []string
	for _, o := range strings.Split(v, ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if o == "*" {
			if env == Production {
				return nil, errf(name, "\"*\" is not allowed in production: list the origins of the web app")
			}
			out = append(out, o)
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			return nil, errf(name, "%q is not an origin (scheme://host[:port], no path)", o)
		}
		out = append(out, u.Scheme+"://"+u.Host)
	}
	if len(out) == 0 {
		return nil, errf(name, "%q lists no origin", v)
	}
	return out, nil
}

var (
	// androidPackage is an application id: two or more dot-separated names, each starting with a letter.
	androidPackage = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$`)
	// certFingerprint is a SHA-256 digest as keytool and the Play Console print it: AB:CD:… (32 bytes).
	certFingerprint = regexp.MustCompile(`^[0-9A-F]{2}(:[0-9A-F]{2}){31}$`)
	// appleAppID is a Team ID (10 upper-case letters or digits), a dot and a bundle id.
	appleAppID = regexp.MustCompile(`^[A-Z0-9]{10}\.[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$`)
)

func (p parser) appLinks() (AppLinks, error) {
	var l AppLinks
	var err error
	l.AndroidPackage = p.str("APP_LINKS_ANDROID_PACKAGE", DefaultAndroidPackage)
	if !androidPackage.MatchString(l.AndroidPackage) {
		return l, errf("APP_LINKS_ANDROID_PACKAGE", "%q is not an Android application id (e.g. %s)", l.AndroidPackage, DefaultAndroidPackage)
	}
	if l.AndroidSHA256, err = p.list("APP_LINKS_ANDROID_SHA256", certFingerprint, "SHA-256 certificate fingerprint",
		"32 upper-case hex bytes separated by colons, as `keytool -list -v` prints it"); err != nil {
		return l, err
	}
	if l.IOSAppIDs, err = p.list("APP_LINKS_IOS_APP_IDS", appleAppID, "app ID",
		"TEAMID.bundle.id, the Team ID being 10 upper-case letters or digits"); err != nil {
		return l, err
	}
	return l, nil
}

// list parses a comma-separated list whose every item matches valid; unset means none.
func (p parser) list(name string, valid *regexp.Regexp, noun, form string) ([]string, error) {
	v := p.str(name, "")
	if v == "" {
		return nil, nil
	}
	var out []string
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !valid.MatchString(item) {
			return nil, errf(name, "%q is not a valid %s (%s)", item, noun, form)
		}
		out = append(out, item)
	}
	if len(out) == 0 {
		return nil, errf(name, "%q lists no %s", v, noun)
	}
	return out, nil
}

// parseDatabaseURL splits DATABASE_URL into a PostgreSQL URL or a SQLite file path (exactly one of them
// non-empty, or both empty for the default SQLite path).
func parseDatabaseURL(v string) (pgURL, sqlitePath string, err error) {
	const name = "DATABASE_URL"
	const expected = "(expected postgres://user@host:5432/db or sqlite path)"
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", "", nil
	case strings.HasPrefix(v, "postgres://"), strings.HasPrefix(v, "postgresql://"):
		u, perr := url.Parse(v)
		if perr != nil {
			return "", "", errf(name, "cannot parse %q: %s %s", redactRaw(v), shortURLError(perr), expected)
		}
		if u.Host == "" {
			return "", "", errf(name, "cannot parse %q: missing host %s", u.Redacted(), expected)
		}
		if strings.Trim(u.Path, "/") == "" {
			return "", "", errf(name, "cannot parse %q: missing database name %s", u.Redacted(), expected)
		}
		return v, "", nil
	case strings.HasPrefix(v, "sqlite:"), strings.HasPrefix(v, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(v, "sqlite:"), "file:")
		path = strings.TrimPrefix(path, "//")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			return "", "", errf(name, "cannot use %q: SQLite options are set by CareQueue, remove %q", v, path[i:])
		}
		if path == "" || path == ":memory:" {
			return "", "", errf(name, "cannot use %q: a SQLite database needs a file path", v)
		}
		return "", path, nil
	default:
		return "", "", errf(name, "cannot parse %q: missing scheme %s", redactRaw(v), expected)
	}
}

func parseRedisURL(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
		return "", errf("REDIS_URL", "cannot parse %q (expected redis://[:password@]host:6379/0 or rediss://...)", redactRaw(v))
	}
	return v, nil
}

func shortURLError(err error) string {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err.Error()
	}
	return err.Error()
}
