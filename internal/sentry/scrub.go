package sentry

import (
	"regexp"
	"strings"

	sentrygo "github.com/getsentry/sentry-go"
)

// filtered replaces whatever was scrubbed.
const filtered = "[Filtered]"

// Scrub removes from an event everything that could hold patient data or a credential before it is
// sent: the request's body, query string, cookies and every header but a few harmless ones; the user;
// breadcrumbs; and, in every message, exception value, tag, context value and transaction name, the shapes that
// patient data and tokens take (quoted values, key=(value) details, e-mail addresses, phone numbers and
// long digit runs, dates, JWTs, bearer tokens and long random-looking tokens such as a status link's). Context values whose key names a patient
// field are dropped whole, and so are values of kinds it cannot read (structs, lists). The server sends
// little to begin with; Scrub is what makes that a guarantee rather than a habit.
func Scrub(e *sentrygo.Event) *sentrygo.Event {
	if e == nil {
		return nil
	}
	if e.Request != nil {
		headers := map[string]string{}
		for k, v := range e.Request.Headers {
			if keptHeaders[strings.ToLower(k)] {
				headers[k] = v
			}
		}
		e.Request = &sentrygo.Request{Method: e.Request.Method, URL: scrubURL(e.Request.URL), Headers: headers}
	}
	e.User = sentrygo.User{}
	e.Breadcrumbs = nil
	e.Message = ScrubText(e.Message)
	for i := range e.Exception {
		e.Exception[i].Value = ScrubText(e.Exception[i].Value)
		scrubFrames(e.Exception[i].Stacktrace)
	}
	for i := range e.Threads {
		scrubFrames(e.Threads[i].Stacktrace)
	}
	for k, v := range e.Tags {
		if !idTags[k] {
			e.Tags[k] = ScrubText(v)
		}
	}
	for _, c := range e.Contexts {
		scrubValues(c)
	}
	e.Transaction = ScrubText(e.Transaction)
	e.Attachments = nil
	return e
}

// scrubValues drops the values of m whose key names a patient's data, scrubs its strings and goes
// into its maps; numbers and booleans stay, values of other kinds (structs, lists) are dropped.
func scrubValues(m map[string]any) {
	for k, v := range m {
		if patientKey(k) {
			delete(m, k)
			continue
		}
		switch v := v.(type) {
		case string:
			m[k] = ScrubText(v)
		case map[string]any:
			scrubValues(v)
		case bool, int, int64, uint64, float64:
		default:
			delete(m, k)
		}
	}
}

// scrubFrames drops what a stack frame can hold besides where it is: local variables and the source
// lines around it (code, but a literal in it could be anything).
func scrubFrames(st *sentrygo.Stacktrace) {
	if st == nil {
		return
	}
	for j := range st.Frames {
		f := &st.Frames[j]
		f.Vars, f.PreContext, f.ContextLine, f.PostContext = nil, nil, "", nil
	}
}

// idTags are the tags Reporter sets to lead to the logs and the trace: a request id (the server's, or a
// caller's of at most 64 characters from [A-Za-z0-9._-]) and a trace id (hex), kept as they are, where
// the token and digit-run shapes would take them for data.
var idTags = map[string]bool{"request_id": true, "trace_id": true}

// keptHeaders are request headers that say nothing about who is calling or with what credentials.
var keptHeaders = map[string]bool{"content-type": true, "content-length": true, "accept": true, "x-request-id": true}

// patientKey reports whether a context value's key names a patient's data.
func patientKey(k string) bool {
	k = strings.ToLower(k)
	for _, p := range []string{"name", "mrn", "phone", "birth", "dob", "email", "address", "note", "variables", "body",
		"token", "password", "code", "patient"} {
		if strings.Contains(k, p) {
			return true
		}
	}
	return false
}

var scrubbers = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+`),                // Authorization values
	regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`),         // JWT
	regexp.MustCompile(`'(?:[^']|'')*'`),                                            // 'quoted'
	regexp.MustCompile(`"(?:[^"\\]|\\.)*"`),                                         // "quoted"
	regexp.MustCompile(`\((?:[^()]*)\)=\((?:[^()]*)\)`),                             // PostgreSQL's Key (mrn)=(…)
	regexp.MustCompile(`[^\s@'"<>()]+@[^\s@'"<>()]+\.[A-Za-z]{2,}`),                 // e-mail
	regexp.MustCompile(`\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?`), // dates
	regexp.MustCompile(`\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b`),                       // 23/07/1961
	regexp.MustCompile(`\b\d{1,2}\.?\s+(?:de\s+)?\pL{3,12}\.?\s+(?:de\s+)?\d{4}\b`), // 23 Jul 1961, 23 de julio de 1961
	regexp.MustCompile(`\b\pL{3,12}\.?\s+\d{1,2},?\s+\d{4}\b`),                      // Jul 23, 1961
	regexp.MustCompile(`\?[^\s?#]*=[^\s#]*`),                                        // a query string inside a message
	regexp.MustCompile(`\+?\d[\d\s().-]{5,}\d`),                                     // phones, MRNs, long numbers
}

// longToken is a run of 20 or more URL-safe characters: with a digit in it, a token or an ID (a status
// link's token, a ULID), not a word or an identifier.
var longToken = regexp.MustCompile(`[A-Za-z0-9_-]{20,}`)

// ScrubText replaces the shapes of patient data and credentials in s by [Filtered].
func ScrubText(s string) string {
	for _, re := range scrubbers {
		s = re.ReplaceAllString(s, filtered)
	}
	return longToken.ReplaceAllStringFunc(s, func(t string) string {
		if strings.ContainsAny(t, "0123456789") {
			return filtered
		}
		return t
	})
}

// scrubURL keeps a URL's path, scrubbed (a status link's path holds its token), and drops its query
// (which may hold a token or a search).
func scrubURL(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return ScrubText(u)
}
