package notify

import (
	"strconv"
	"strings"
	"text/template"

	"github.com/carequeue/carequeue/internal/queue"
)

// Kind is what happened to the patient's ticket; it is stored as Notification.kind.
type Kind string

// The kinds of message a patient can receive.
const (
	CheckedIn   Kind = "checked_in"
	WaitChanged Kind = "wait_changed" // the wait range moved materially since the patient was told (WaitChange)
	Ahead       Kind = "ahead"        // the ticket reached the queue's "notify ahead" position
	Called      Kind = "called"
	Transferred Kind = "transferred"
	Cancelled   Kind = "cancelled"
	Code        Kind = "code" // a one-time sign-in code
)

// Kinds lists every kind, in the order of a ticket's life.
var Kinds = []Kind{CheckedIn, WaitChanged, Ahead, Called, Transferred, Cancelled, Code}

// Message is everything a template may show. It deliberately has no field for the patient's name.
// Callers fill the fields the kind uses; an empty optional field drops its phrase rather than
// leaving a gap ("position" without a number, "Status:" without a link).
type Message struct {
	Kind Kind
	// Language is the patient's BCP 47 tag as stored ("es", "es-MX", "fr-CA"); see LangOf.
	Language string
	// Code is the ticket code shown on the board ("C-012"); for Transferred, the new ticket's code.
	Code string
	// Position is the 1-based place in line; nil or zero omits it.
	Position *int
	// Wait is the estimated wait's range, as patients see it ("about 40-70 min"; 0–0 "about to be
	// called"). Nil (not enough data yet) omits it: a message never makes a number up.
	Wait *queue.WaitRange
	// ServicePoint is where a Called patient goes ("Room 3"); QueueName the queue they wait in.
	ServicePoint, QueueName string
	// StatusURL links to the public status page; SignInCode is the one-time code of a Code message.
	StatusURL, SignInCode string
}

// Lang is a language CareQueue has templates for.
type Lang string

// The languages with templates; English is the fallback.
const (
	English Lang = "en"
	Spanish Lang = "es"
	French  Lang = "fr"
)

// Langs lists every language with templates; each has every kind, title and counted word
// (render_test.go, plural_test.go), and the web and patient apps offer the same ones.
var Langs = []Lang{English, Spanish, French}

// LangOf maps a patient's language tag to a template language by its primary subtag, ignoring case
// and region ("es-MX" and "ES_es" are Spanish). Anything unknown or empty is English.
func LangOf(tag string) Lang {
	primary, _, _ := strings.Cut(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"), "-")
	switch Lang(strings.ToLower(primary)) {
	case Spanish:
		return Spanish
	case French:
		return French
	default:
		return English
	}
}

// Render returns the SMS text of m in the patient's language, prefixed with "CareQueue:" so the
// sender is clear on a shared phone. It returns "" for an unknown kind: the caller must not send it.
func Render(m Message) string {
	body := render(m)
	if body == "" {
		return ""
	}
	return catalogs[LangOf(m.Language)].brand + body
}

// RenderPush returns the title and body of m as a push notification: the title says what happened
// in a few words, the body is the SMS text without the brand prefix (the app name already shows).
// Both are "" for an unknown kind.
func RenderPush(m Message) (title, body string) {
	body = render(m)
	if body == "" {
		return "", ""
	}
	return catalogs[LangOf(m.Language)].titles[m.Kind], body
}

// view is what templates see: plain values, so a nil pointer and a zero both read as "absent".
type view struct {
	Code, Queue, Point, URL, SignIn string
	Position                        int
	// Ahead is how many patients are before this one (Position-1); only meaningful with a Position.
	Ahead int
	// Range is the wait as "40-70" (a hyphen: the en dash is not GSM-7; ends rounded by roundOut) or
	// "5" when both ends agree;
	// Soon says the range is 0–0. Both are empty without a range.
	Range string
	Soon  bool
}

func render(m Message) string {
	t, ok := catalogs[LangOf(m.Language)].bodies[m.Kind]
	if !ok {
		return ""
	}
	v := view{Code: m.Code, Queue: m.QueueName, Point: m.ServicePoint, URL: m.StatusURL, SignIn: m.SignInCode}
	if m.Position != nil && *m.Position > 0 {
		v.Position = *m.Position
		v.Ahead = v.Position - 1
	}
	if w := m.Wait; w != nil {
		low, high := roundOut(max(0, min(w.LowMinutes, w.HighMinutes)), false), roundOut(w.HighMinutes, true)
		switch {
		case w.HighMinutes <= 0:
			v.Soon = true
		case low >= high:
			v.Range = strconv.Itoa(high)
		default:
			v.Range = strconv.Itoa(low) + "-" + strconv.Itoa(high)
		}
	}
	var b strings.Builder
	// The templates are fixed and the view has every field they name; only a counted word without the
	// form a number needs could fail, and the tests render every noun in every category.
	if err := t.Execute(&b, v); err != nil {
		return ""
	}
	return b.String()
}

// roundOut rounds a range's end as people say it, as the patient's screens do (patientWait in
// web/graphql): up to 10 minutes as it is, longer to 5 minutes, outwards (up for the upper end, down for
// the lower), so the text never narrows the range the server measured.
func roundOut(m int, up bool) int {
	if m <= 10 {
		return m
	}
	if up {
		return (m + 4) / 5 * 5
	}
	return m / 5 * 5
}

type catalog struct {
	brand  string
	titles map[Kind]string
	bodies map[Kind]*template.Template
}

func parse(lang Lang, bodies map[Kind]string) map[Kind]*template.Template {
	out := make(map[Kind]*template.Template, len(bodies))
	funcs := template.FuncMap{"count": func(n int, noun Noun) (string, error) { return Count(lang, n, noun) }}
	for k, src := range bodies {
		out[k] = template.Must(template.New(string(lang) + "/" + string(k)).Option("missingkey=error").Funcs(funcs).Parse(src))
	}
	return out
}
